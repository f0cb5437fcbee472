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
from consult.collection.pending import PendingUses
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


def is_used(session: Session, invitation: Invitation, store: PendingUses | None = None) -> bool:
    """Used: recorded in the database, or (anonymous surveys) waiting in the pending store."""
    stmt = select(InvitationUse.invitation_id).where(InvitationUse.invitation_id == invitation.id)
    if session.scalar(stmt) is not None:
        return True
    return store is not None and store.holds(invitation.id)


def claim_anonymously(session: Session, store: PendingUses, invitation: Invitation) -> None:
    """Claim an anonymous survey's invitation for the response about to be stored (pending.py):
    InvitationUsed when it was used, or is being used, already. Nothing is written to the
    database: the caller confirms the claim after its commit, or releases it."""
    if not store.claim(invitation.id, invitation.survey_id, invitation.group_id):
        raise InvitationUsed(str(invitation.id))
    if is_used(session, invitation):  # recorded by a batch between a look-up and the claim
        store.release(invitation.id)
        raise InvitationUsed(str(invitation.id))


def record_batch(session: Session, store: PendingUses, survey: Survey, minimum: int) -> list[int]:
    """Record the survey's confirmed uses when there are at least ``minimum``: all of them in
    one flush, in random order (the caller commits, then drops them from the store). Returns
    the invitation ids recorded (none while fewer than ``minimum`` wait)."""
    waiting = store.confirmed(survey.id)
    if len(waiting) < minimum:
        return []
    ids = [invitation_id for invitation_id, _group in waiting]
    secrets.SystemRandom().shuffle(ids)
    recorded = set(session.scalars(
        select(InvitationUse.invitation_id).where(InvitationUse.invitation_id.in_(ids))
    ))  # fmt: skip
    session.add_all(
        InvitationUse(invitation_id=i, response_id=None) for i in ids if i not in recorded
    )
    session.flush()
    return ids


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
