"""Invitations: list, make (their links come back once), revoke (collection/invitations.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult import db
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS
from consult.api import schemas
from consult.api.views.auth import current_token, token_survey
from consult.api.views.blueprint import bp
from consult.collection import invitations
from consult.collection.models import Invitation
from consult.surveys.models import Survey

LISTED = 5000
MAX_ID = 2**31 - 1


def _out(survey: Survey, invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "group": invitation.group.code if invitation.group else None,
        "name": invitation.name,
        "contact": invitation.contact,
        "expires_on": invitation.expires_on,
        "revoked": invitation.revoked,
        # An anonymous survey never says whose invitation was used (docs/privacy.md).
        "used": None if survey.anonymous else invitation.use is not None,
    }


@bp.route("/surveys/<slug>/invitations", methods=["GET"])
@bp.response(200, schemas.InvitationList)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*ORGANIZERS)
def list_invitations(survey: Survey) -> dict[str, Any]:
    """The survey's invitations, newest first (at most 5,000)."""
    stmt = (
        select(Invitation)
        .where(Invitation.survey_id == survey.id)
        .options(selectinload(Invitation.group), selectinload(Invitation.use))
        .order_by(Invitation.id.desc())
        .limit(LISTED)
    )
    found = db.session().scalars(stmt)
    return {"invitations": [_out(survey, i) for i in found]}


@bp.route("/surveys/<slug>/invitations", methods=["POST"])
@bp.response(201, schemas.MadeInvitations)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*ORGANIZERS, write=True)
@bp.arguments(schemas.InvitationsIn)
def create_invitations(body: dict[str, Any], survey: Survey) -> tuple[dict[str, Any], int]:
    """Invitations for people (or just for groups); each link is in this answer only."""
    groups = {g.code: g for g in survey.groups}
    errors: dict[int, dict[str, list[str]]] = {}
    invitees = []
    for number, item in enumerate(body["invitees"]):
        code = item.get("group")
        if code is None and groups:
            errors[number] = {"group": ["Give the stakeholder group (its code)."]}
        elif code is not None and code not in groups:
            errors[number] = {"group": ["Not a stakeholder group of this survey."]}
        invitees.append(
            invitations.Invitee(name=item.get("name") or None, group=groups.get(code or ""),
                                contact=item.get("contact") or None)
        )  # fmt: skip
    found: dict[str, Any] = {"invitees": errors} if errors else {}
    expires = body.get("expires_on")
    if expires is not None and expires < date.today():  # as the invitations page refuses it
        found["expires_on"] = ["The expiry date is in the past."]
    if found:
        abort(422, message="No invitation was made.", errors={"json": found})
    session = db.session()
    made = invitations.create_invitations(session, survey, invitees, expires)
    record(session, current_token().user, Action.invitations_made, survey, count=len(made),
           via="api")  # fmt: skip
    session.commit()
    links = [
        {"id": inv.id, "group": inv.group.code if inv.group else None,
         "link": url_for("take.invitation", token=token, _external=True)}
        for inv, token in made
    ]  # fmt: skip
    return {"invitations": links}, 201


@bp.route("/surveys/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@bp.response(200, schemas.InvitationOut)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*ORGANIZERS, write=True)
def revoke_invitation(survey: Survey, invitation_id: int) -> dict[str, Any]:
    """Revoke one invitation: its link opens nothing any more."""
    session = db.session()
    # An id past any database's integer is no invitation (and no overflow in the driver).
    found = (
        invitations.invitation_in_survey(session, survey, invitation_id)
        if 0 < invitation_id <= MAX_ID
        else None
    )
    if found is None:
        abort(404, message="No invitation of this survey has this id.")
        raise AssertionError  # abort raises; this tells the type checker
    invitations.revoke(session, found)
    session.commit()
    return _out(survey, found)
