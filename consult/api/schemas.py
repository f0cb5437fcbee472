"""What the API takes and gives, as marshmallow schemas (the OpenAPI document is made of them)."""

from __future__ import annotations

from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate

from consult.collection.models import Channel

# The channels an API client may give a response; the others say how the web or a command
# stored it (synthetic) and are not the API's to claim.
POSTED_CHANNELS = (Channel.api.value, Channel.paper.value, Channel.enumerator.value)
PAGE_MAX = 1000


# Errors are flask-smorest's: {code, status, message, errors} (errors by location and field).
Error = ErrorSchema


class SurveyOut(Schema):
    slug = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    state = fields.String(required=True)
    anonymous = fields.Boolean(required=True)
    languages = fields.List(fields.String(), required=True)
    accepting_answers = fields.Boolean(required=True)


class SurveyList(Schema):
    surveys = fields.List(fields.Nested(SurveyOut), required=True)


class Definition(Schema):
    """The survey as consult/data/*.yaml holds it (authoring/dumping.py; the keys that
    authoring/definitions.py reads)."""

    slug = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    default_language = fields.String(required=True)
    anonymous = fields.Boolean(required=True)
    k_min = fields.Integer(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    description = fields.Dict(keys=fields.String(), values=fields.String())
    thanks = fields.Dict(keys=fields.String(), values=fields.String())
    groups = fields.List(fields.Dict())
    recommendations = fields.List(fields.Dict())
    scales = fields.Dict(keys=fields.String(), values=fields.List(fields.Dict()))
    sections = fields.List(fields.Dict(), required=True)
    analysis = fields.Dict(keys=fields.String(), values=fields.Float())


class ResponsesQuery(Schema):
    """Filters and paging of the responses; dates are submission days, both included."""

    cursor = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=PAGE_MAX))
    since = fields.Date(data_key="from")
    until = fields.Date(data_key="to")
    channel = fields.String(validate=validate.OneOf([c.value for c in Channel]))
    labels = fields.Boolean(load_default=True)
    lang = fields.String(validate=validate.Length(max=12))


class ResponsesPage(Schema):
    responses = fields.List(
        fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)), required=True
    )
    columns = fields.List(fields.String(), required=True)
    count = fields.Integer(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ResponseIn(Schema):
    """One response: answers by question code, as the web form's fields take them (a list for
    a multiple choice or a ranking)."""

    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(max=80)),
        values=fields.Raw(allow_none=True),
        required=True,
    )
    language = fields.String(validate=validate.Length(max=12))
    channel = fields.String(
        load_default=Channel.api.value, validate=validate.OneOf(POSTED_CHANNELS)
    )
    client_key = fields.String(validate=validate.Length(min=1, max=200))
    # An interview (channel enumerator) needs the consent statement read aloud, as on the web.
    consent_read = fields.Boolean(load_default=False)


class ResponseCreated(Schema):
    response_id = fields.String(required=True)
    created = fields.Boolean(required=True)


class SummaryQuery(Schema):
    since = fields.Date(data_key="from")
    until = fields.Date(data_key="to")
    channel = fields.String(validate=validate.OneOf([c.value for c in Channel]))


class SummaryOut(Schema):
    total = fields.Integer(required=True)
    k = fields.Integer(required=True)
    groups = fields.List(fields.String(), required=True)
    regions = fields.List(fields.String(), required=True)
    questions = fields.List(fields.Dict(), required=True)


class InvitationOut(Schema):
    id = fields.Integer(required=True)
    group = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    contact = fields.String(allow_none=True, required=True)
    expires_on = fields.Date(allow_none=True, required=True)
    revoked = fields.Boolean(required=True)
    # Identified surveys only: an anonymous survey never says whose invitation was used.
    used = fields.Boolean(allow_none=True, required=True)


class InvitationList(Schema):
    invitations = fields.List(fields.Nested(InvitationOut), required=True)


class InviteeIn(Schema):
    name = fields.String(validate=validate.Length(max=200))
    contact = fields.String(validate=validate.Length(max=254))
    group = fields.String(validate=validate.Length(max=64))


class InvitationsIn(Schema):
    invitees = fields.List(
        fields.Nested(InviteeIn), required=True, validate=validate.Length(min=1, max=1000)
    )
    expires_on = fields.Date()


class MadeInvitation(Schema):
    id = fields.Integer(required=True)
    group = fields.String(allow_none=True, required=True)
    link = fields.String(required=True)


class MadeInvitations(Schema):
    invitations = fields.List(fields.Nested(MadeInvitation), required=True)
