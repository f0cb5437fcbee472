"""Invitations as organizers handle them: counts per group, lists of people uploaded."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from consult.collection.invitations import Invitee
from consult.collection.models import Invitation, InvitationUse
from consult.collection.pending import PendingUses
from consult.mail import valid_address
from consult.problems import Problem, Refusal
from consult.surveys.models import StakeholderGroup, Survey


def recent_invitations(
    session: Session, survey: Survey, limit: int = 200
) -> list[tuple[Invitation, bool | None]]:
    """The newest invitations with whether each was used, for the organizer's list.

    Anonymous surveys: None, never whether. A name that turns "used" while a response
    arrives would pair the two (docs/privacy.md); the counts per group say how many.
    """
    if survey.anonymous:
        newest = select(Invitation).where(Invitation.survey_id == survey.id)
        found = session.scalars(newest.order_by(Invitation.id.desc()).limit(limit))
        return [(inv, None) for inv in found]
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


def invitation_counts(
    session: Session, survey: Survey, lang: str, store: PendingUses | None = None
) -> list[InvitationCounts]:
    """Made, used and revoked per group. An anonymous survey's uses waiting for their batch
    (``store``, pending.py) count as used already: a group's count is no one's."""
    waiting: Counter[int | None] = Counter()
    if survey.anonymous and store is not None:
        waiting.update(group for _id, group in store.confirmed(survey.id))
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
        InvitationCounts(
            labels.get(gid, "–") if gid else "–", made, used + waiting[gid], int(revoked or 0)
        )
        for gid, made, used, revoked in rows
    ]


def invitees_from_sheet(
    survey: Survey, header: list[str], rows: list[list[str]], default: StakeholderGroup | None
) -> list[Invitee]:
    """Invitees from a list with optional columns name, email, phone and group.

    ``group`` holds a group's code or its label in any language; rows without one take
    ``default``. Every problem is listed with its row number (as in the spreadsheet).
    """
    known = {"name", "email", "phone", "group"}
    if not set(header) & known:
        raise Refusal.at("file", "The first row must name the columns: name, email, phone, group.")
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
        raise Refusal([Problem(p, field="file") for p in problems[:50]], more=len(problems[50:]))
    return invitees


def check_addresses(invitees: list[Invitee]) -> None:
    """Every invitee of a list sent by e-mail has one valid address (rows numbered as in the
    sheet, the header being row 1)."""
    bad = [
        f"row {number}: no valid e-mail address"
        for number, invitee in enumerate(invitees, start=2)
        if not invitee.contact or not valid_address(invitee.contact)
    ]
    if not invitees:
        raise Refusal.at("file", "The list has no rows.")
    if bad:
        raise Refusal([Problem(p, field="file") for p in bad[:50]], more=len(bad[50:]))
