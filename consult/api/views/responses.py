"""Responses: pages of the raw export's rows (cursor, dates, channel, labels or codes), and
one response sent by a program (validated and stored as the web form's)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_smorest import abort

from consult import db
from consult.accounts.audit import Action, record
from consult.accounts.roles import INTERVIEWERS, ORGANIZERS
from consult.analysis.filters import Filters
from consult.api import schemas
from consult.api.posting import Sender, client_nonce, post_response
from consult.api.responses import BadCursor, decode_cursor, page_json, page_of_responses
from consult.api.views.auth import current_token, token_survey
from consult.api.views.blueprint import bp
from consult.collection.responses import DuplicateSubmission, QuotaFull, SurveyClosed
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.models import Survey

IDEMPOTENCY_HEADER = "Idempotency-Key"


@bp.route("/surveys/<slug>/responses", methods=["GET"])
@bp.response(200, schemas.ResponsesPage)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*ORGANIZERS)
@bp.arguments(schemas.ResponsesQuery, location="query", as_kwargs=True)
def responses(survey: Survey, **query: Any) -> Response:
    """A page of responses, in the raw export's columns; follow ``next_cursor`` for the next.

    An anonymous survey's responses come in random order and carry the day only."""
    secret = str(current_app.config["SECRET_KEY"])
    after = None
    if query.get("cursor"):
        try:
            after = decode_cursor(secret, survey, query["cursor"])
        except BadCursor:
            abort(422, errors={"query": {"cursor": ["Not a cursor of this survey's pages."]}})
    filters = Filters(channel=query.get("channel"), since=query.get("since"),
                      until=query.get("until"))  # fmt: skip
    lang = content_language(survey.languages, query.get("lang") or "")
    session = db.session()
    page = page_of_responses(session, survey, lang, not query["labels"], filters,
                             query["limit"], after, secret)  # fmt: skip
    if after is None:  # one audit event per reading, not one per page
        record(session, current_token().user, Action.export, survey, target="api responses",
               codes=not query["labels"])  # fmt: skip
        session.commit()
    return Response(page_json(page), mimetype="application/json")


@bp.route("/surveys/<slug>/responses", methods=["POST"])
@bp.response(201, schemas.ResponseCreated)
@bp.alt_response(200, schema=schemas.ResponseCreated, description="Already stored (same key)")
@bp.alt_response(404, schema=schemas.Error)
@bp.alt_response(409, schema=schemas.Error)
@bp.doc(parameters=[{
    "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
    "description": "A key of the client's: the same key twice stores one response.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}])  # fmt: skip
@token_survey(*INTERVIEWERS, write=True)
@bp.arguments(schemas.ResponseIn)
def create_response(body: dict[str, Any], survey: Survey) -> tuple[dict[str, Any], int]:
    """Store one response, checked as the web form checks it (422: messages by column).

    Send an ``Idempotency-Key`` header (or ``client_key``): the same key twice stores one
    response, and the second answer (200) names it."""
    key = request.headers.get(IDEMPOTENCY_HEADER) or body.get("client_key")
    if key is not None and not 1 <= len(key) <= 200:
        abort(422, errors={"headers": {IDEMPOTENCY_HEADER: ["Use 1 to 200 characters."]}})
    token = current_token()
    nonce = client_nonce(token.user_id, key) if key else None
    session = db.session()
    try:
        sender = Sender(token.user_id, consent_read=body["consent_read"])
        posted = post_response(session, survey, body["answers"], body.get("language"),
                               body["channel"], nonce, sender)  # fmt: skip
    except Refusal as refusal:
        session.rollback()
        abort(422, message="The response was not stored.", errors=_by_field(refusal))
    except SurveyClosed:
        session.rollback()
        abort(409, message="This survey does not take responses now.")
    except DuplicateSubmission:
        session.rollback()
        abort(409, message="A response with this key is being stored now: send it again.")
    except QuotaFull:
        session.rollback()
        abort(409, message="This stakeholder group has all the responses its quota allows.")
    session.commit()
    return {"response_id": posted.public_id, "created": posted.created}, (
        201 if posted.created else 200
    )


def _by_field(refusal: Refusal) -> dict[str, Any]:
    """Messages by column (answers) or by field of the body (language, channel)."""
    answers: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for problem in refusal.problems:
        into = other if problem.field in ("language", "channel", "consent_read", None) else answers
        into.setdefault(problem.field or "_", []).append(problem.message)
    return {"json": {**other, **({"answers": answers} if answers else {})}}
