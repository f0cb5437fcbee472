"""Single-use invitations: tokens of 128 bits from ``secrets``, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consult.collection.models import Invitation, InvitationUse
from consult.surveys.models import StakeholderGroup, Survey

TOKEN_BYTES = 16  # 128 bits


class InvitationUsed(Exception):
    """The invitation has been used already: one invitation, one response."""


@dataclass(frozen=True)
class Invitee:
    """One row of an uploaded list; every field optional but the group may be required."""

    name: str | None = None
    contact: str | None = None
    group: StakeholderGroup | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_invitations(
    session: Session, survey: Survey, invitees: Iterable[Invitee], expires_on: date | None = None
) -> list[tuple[Invitation, str]]:
    """New invitations with their tokens; the tokens are returned once and never stored."""
    made = []
    for invitee in invitees:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        invitation = Invitation(
            survey_id=survey.id,
            group_id=invitee.group.id if invitee.group else None,
            token_hash=token_hash(token),
            name=invitee.name,
            contact=invitee.contact,
            expires_on=expires_on,
        )
        session.add(invitation)
        made.append((invitation, token))
    session.flush()
    return made


def find_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation a token belongs to, or None; the same answer for unknown and malformed."""
    if not 16 <= len(token) <= 64:
        return None
    wanted = token_hash(token)
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == wanted))
    # The index finds the row; the final comparison is constant-time all the same.
    if invitation is None or not hmac.compare_digest(invitation.token_hash, wanted):
        return None
    return invitation


def is_used(session: Session, invitation: Invitation) -> bool:
    stmt = select(InvitationUse.invitation_id).where(InvitationUse.invitation_id == invitation.id)
    return session.scalar(stmt) is not None


def mark_used(session: Session, invitation: Invitation, response_id: int | None) -> None:
    """Record the use; a second use fails on the primary key (raises InvitationUsed).

    Runs in a SAVEPOINT so the caller's transaction survives a refused second use; on
    PostgreSQL a concurrent second use waits for the first to commit, then fails the same way.
    """
    try:
        with session.begin_nested():
            session.add(InvitationUse(invitation_id=invitation.id, response_id=response_id))
            session.flush()
    except IntegrityError as error:
        raise InvitationUsed(str(invitation.id)) from error


def link_response(session: Session, invitation_id: int, response_id: int) -> None:
    """For identified surveys: point an invitation consumed by a saved draft at its response."""
    use = session.get(InvitationUse, invitation_id)
    if use is not None:
        use.response_id = response_id
        session.flush()


def revoke(session: Session, invitation: Invitation) -> None:
    invitation.revoked = True
    session.flush()


def invitation_in_survey(session: Session, survey: Survey, invitation_id: int) -> Invitation | None:
    """An invitation loaded through its survey, never by id alone."""
    stmt = select(Invitation).where(
        Invitation.id == invitation_id, Invitation.survey_id == survey.id
    )
    return session.scalar(stmt)
