"""Rounds: opening (round 1 is the study's survey, each later one a copy of the round before),
closing (every link of the round stops working), and each round's fresh single-use links for
every panellist — not only those who answered the round before. Flush, never commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from consult.accounts.models import SurveyMember
from consult.authoring.surveys import change_state, duplicate_survey
from consult.collection.invitations import Invitee, create_invitations
from consult.collection.models import Invitation
from consult.db import utcnow
from consult.delphi import keys
from consult.delphi.models import DelphiRound, DelphiStudy, Panellist, RoundLink
from consult.delphi.panel import panel, panel_size
from consult.delphi.protocol import Protocol
from consult.problems import Refusal
from consult.surveys.models import Survey, SurveyState


def current(study: DelphiStudy) -> DelphiRound | None:
    return study.rounds[-1] if study.rounds else None


def round_of(study: DelphiStudy, number: int) -> DelphiRound | None:
    return next((r for r in study.rounds if r.number == number), None)


def _free_slug(session: Session, base: str, number: int) -> str:
    """``<base>-r<n>``, or with a random suffix when that address is taken."""
    slug = f"{base[:60]}-r{number}"
    while session.scalar(select(Survey.id).where(Survey.slug == slug)) is not None:
        slug = f"{base[:60]}-r{number}-{secrets.token_hex(2)}"
    return slug


def open_round(session: Session, study: DelphiStudy) -> DelphiRound:
    """The next round, open: refused while a round is open, past the protocol's maximum,
    or without a panel. Opening round 1 fixes the protocol."""
    protocol = Protocol.of(study.protocol)
    last = current(study)
    if last is not None and last.is_open:
        raise Refusal.conflicting(str(_l("Close round %(n)d first.", n=last.number)))
    number = (last.number + 1) if last else 1
    if number > protocol.max_rounds:
        raise Refusal.conflicting(str(_l("The protocol allows %(n)d rounds.",
                                          n=protocol.max_rounds)))  # fmt: skip
    if not panel_size(session, study):
        raise Refusal.conflicting(str(_l("Add panellists before opening round 1.")))
    if last is None:
        survey = study.survey
    else:
        slug = _free_slug(session, study.survey.slug, number)
        survey = duplicate_survey(session, last.survey, slug)
        session.flush()
        _same_team(session, study.survey, survey)
    if survey.state != SurveyState.open:
        change_state(session, survey, "open")
    made = DelphiRound(study_id=study.id, number=number, survey_id=survey.id)
    study.rounds.append(made)
    session.flush()
    return made


def _same_team(session: Session, source: Survey, copy: Survey) -> None:
    """The round's survey gets the study survey's members, so they may see its pages."""
    for member in session.scalars(select(SurveyMember).where(SurveyMember.survey_id == source.id)):
        session.add(SurveyMember(survey_id=copy.id, user_id=member.user_id, role=member.role))
    session.flush()


def close_round(session: Session, study: DelphiStudy, number: int) -> DelphiRound:
    """Close the round's survey; its links expire (revoked) at the same moment."""
    found = round_of(study, number)
    if found is None or not found.is_open:
        raise Refusal.conflicting(str(_l("This round is not open.")))
    if found.survey.state == SurveyState.open:
        change_state(session, found.survey, "close")
    found.closed_at = utcnow()
    links = select(RoundLink.invitation_id).where(RoundLink.round_id == found.id)
    session.execute(
        update(Invitation).where(Invitation.id.in_(links)).values(revoked=True)
    )  # fmt: skip
    session.flush()
    return found


@dataclass(frozen=True)
class Link:
    """A new link, in memory only: the token is returned once, never stored."""

    panellist: Panellist
    invitation: Invitation
    token: str


def study_key(study: DelphiStudy, master: bytes) -> bytes:
    return keys.study_key(master, study.key_salt)


def make_links(session: Session, study: DelphiStudy, number: int, master: bytes) -> list[Link]:
    """A fresh single-use link for each panellist who has no live link to this round yet.

    The invitation carries the group (so the response counts in it) and no name or address;
    the link row knows the panellist only by keyed pseudonym."""
    found = round_of(study, number)
    if found is None or not found.is_open:
        raise Refusal.conflicting(str(_l("This round is not open.")))
    key = study_key(study, master)
    live = set(session.scalars(
        select(RoundLink.panel_key).join(Invitation, Invitation.id == RoundLink.invitation_id)
        .where(RoundLink.round_id == found.id, Invitation.revoked.is_(False))
    ))  # fmt: skip
    groups = {g.code: g for g in found.survey.groups}
    made: list[Link] = []
    people = panel(session, study)
    # In random order: invitation ids and times in the panel's (alphabetical) order would
    # let anyone with the database pair the contact table with the keyed pseudonyms.
    secrets.SystemRandom().shuffle(people)
    for person in people:
        pkey = keys.panel_key(key, person.pseudonym)
        if pkey in live:
            continue
        invitee = Invitee(group=groups.get(person.group_code or ""))
        [(invitation, token)] = create_invitations(session, found.survey, [invitee])
        session.add(RoundLink(invitation_id=invitation.id, round_id=found.id, panel_key=pkey))
        made.append(Link(person, invitation, token))
    session.flush()
    return made


def withdraw(session: Session, link: Link) -> None:
    """A link whose e-mail could not be sent: revoked, so the next sending makes a new one."""
    link.invitation.revoked = True
    session.flush()


def round_link(session: Session, invitation: Invitation) -> tuple[DelphiRound, str] | None:
    """The round and keyed pseudonym an invitation belongs to (None: not a Delphi link)."""
    row = session.get(RoundLink, invitation.id)
    if row is None:
        return None
    found = session.get(DelphiRound, row.round_id)
    return (found, row.panel_key) if found is not None else None
