"""Single-use invitations: tokens of 128 bits from ``secrets``, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Invitation, InvitationUse, StakeholderGroup, Survey

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


def recent_invitations(
    session: Session, survey: Survey, limit: int = 200
) -> list[tuple[Invitation, bool]]:
    """The newest invitations with whether each was used, for the organizer's list."""
    rows = session.execute(
        select(Invitation, InvitationUse.invitation_id.is_not(None))
        .outerjoin(InvitationUse)
        .where(Invitation.survey_id == survey.id)
        .order_by(Invitation.id.desc())
        .limit(limit)
    ).all()
    return [(inv, bool(used)) for inv, used in rows]


@dataclass
class InvitationCounts:
    group: str
    made: int
    used: int
    revoked: int


def invitation_counts(session: Session, survey: Survey, lang: str) -> list[InvitationCounts]:
    rows = session.execute(
        select(
            Invitation.group_id,
            func.count(Invitation.id),
            func.count(InvitationUse.invitation_id),
            func.sum(case((Invitation.revoked, 1), else_=0)),
        )
        .outerjoin(InvitationUse)
        .where(Invitation.survey_id == survey.id)
        .group_by(Invitation.group_id)
    ).all()
    labels = {g.id: survey.text(g.label, lang) for g in survey.groups}
    return [
        InvitationCounts(labels.get(gid, "–") if gid else "–", made, used, int(revoked or 0))
        for gid, made, used, revoked in rows
    ]


class ListError(ValueError):
    """Rows of an uploaded list that cannot become invitations; nothing is created."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def invitees_from_sheet(
    survey: Survey, header: list[str], rows: list[list[str]], default: StakeholderGroup | None
) -> list[Invitee]:
    """Invitees from a list with optional columns name, email, phone and group.

    ``group`` holds a group's code or its label in any language; rows without one take
    ``default``. Every problem is listed with its row number (as in the spreadsheet).
    """
    known = {"name", "email", "phone", "group"}
    if not set(header) & known:
        raise ListError(["The first row must name the columns: name, email, phone, group."])
    column = {name: header.index(name) for name in known if name in header}
    by_key: dict[str, StakeholderGroup] = {}
    for known_group in survey.groups:
        by_key[known_group.code.lower()] = known_group
        for label in known_group.label.values():
            by_key[label.strip().lower()] = known_group
    invitees: list[Invitee] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):

        def cell(name: str, row: list[str] = row) -> str:
            return row[column[name]].strip() if name in column else ""

        group: StakeholderGroup | None = default
        if cell("group"):
            group = by_key.get(cell("group").lower())
            if group is None:
                problems.append(f"row {number}: no stakeholder group {cell('group')!r}")
                continue
        if group is None and survey.groups:
            problems.append(f"row {number}: no group given, and no default group chosen")
            continue
        contact = cell("email") or cell("phone")
        invitees.append(Invitee(cell("name")[:200] or None, contact[:254] or None, group))
    if problems:
        raise ListError(problems)
    return invitees
