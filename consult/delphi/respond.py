"""A panellist's answers to one round: read from the form, checked, stored. Flush only.

Each item takes a rating or "cannot judge", an optional comment, and — when the rating
crosses from agree to disagree or back since the panellist's previous round — a short reason,
required then (checked here, on the server, so it holds without JavaScript).
The response is stored like any other (collection.responses) and carries the keyed pseudonym
in ``delphi_response``; the invitation's use is recorded without a link to the response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.collection.invitations import mark_used
from consult.collection.models import Channel, Invitation, Response
from consult.collection.responses import insert_responses, response_values
from consult.delphi import rankings
from consult.delphi.models import DelphiRound, ItemNote, PanelResponse
from consult.delphi.panel import rating_items
from consult.delphi.protocol import Protocol
from consult.forms import TYPED_CONTROLS
from consult.problems import Refusal
from consult.surveys.models import Question, QuestionRole

CANNOT = "cj"  # the form's value for "cannot judge"
MAX_COMMENT, MAX_REASON = 2000, 1000


@dataclass(frozen=True)
class ItemInput:
    value: str  # "1".."n", CANNOT, or "" (not answered)
    comment: str
    reason: str

    @property
    def rating(self) -> int | None:
        return int(self.value) if self.value.isdigit() else None


def _typed(form: Mapping[str, str], name: str) -> str:
    return TYPED_CONTROLS.sub("", form.get(name, "") or "").strip()


def read(form: Mapping[str, str], codes: list[str]) -> dict[str, ItemInput]:
    return {
        code: ItemInput(
            _typed(form, f"item-{code}"),
            _typed(form, f"comment-{code}"),
            _typed(form, f"reason-{code}"),
        )  # fmt: skip
        for code in codes
    }


def crosses(protocol: Protocol, previous: int | None, now: int | None) -> bool:
    """From agree to disagree, or back (neither and cannot-judge cross nothing)."""
    if previous is None or now is None:
        return False
    return {protocol.position(previous), protocol.position(now)} == {"agree", "disagree"}


# Each ranking question's typed ranks: {item code: rank typed}.
Ranked = dict[Question, dict[str, str]]


def check(
    inputs: dict[str, ItemInput], points: int, protocol: Protocol,
    previous: dict[str, int | None], ranked: Ranked | None = None,
) -> None:  # fmt: skip
    """Refusal with a message beside each field that is wrong."""
    errors: dict[str, str] = {}
    for question, ranks in (ranked or {}).items():
        problem = rankings.check(question, ranks)
        if problem:
            errors[f"rank-{question.code}"] = problem
    valid = {str(p) for p in range(1, points + 1)} | {CANNOT}
    for code, given in inputs.items():
        if given.value not in valid:
            errors[f"item-{code}"] = str(_l("Choose a rating, or “cannot judge”."))
        if len(given.comment) > MAX_COMMENT:
            errors[f"comment-{code}"] = str(_l("Keep it under %(n)d characters.", n=MAX_COMMENT))
        if len(given.reason) > MAX_REASON:
            errors[f"reason-{code}"] = str(_l("Keep it under %(n)d characters.", n=MAX_REASON))
        elif crosses(protocol, previous.get(code), given.rating) and not given.reason:
            errors[f"reason-{code}"] = str(
                _l("You moved between agree and disagree: say briefly why.")
            )
    if errors:
        raise Refusal.fields(errors)


def store(
    session: Session, round_: DelphiRound, invitation: Invitation, pkey: str,
    inputs: dict[str, ItemInput], language: str, ranked: Ranked | None = None,
) -> None:  # fmt: skip
    """The response, its ratings, notes and keyed pseudonym; the invitation used up
    (collection.invitations.InvitationUsed when it was used already)."""
    survey = round_.survey
    mark_used(session, invitation, None)
    items = {q.code: q for q in rating_items(survey)}
    answers = {items[c].id: i.value for c, i in inputs.items() if i.rating is not None}
    for question, ranks in (ranked or {}).items():
        order = rankings.stored(ranks)
        if order is not None:
            answers[question.id] = order
    group = next((g for g in survey.groups if g.id == invitation.group_id), None)
    asks_group = next((q for q in survey.questions if q.role == QuestionRole.group), None)
    if asks_group is not None and group is not None:
        answers[asks_group.id] = group.code
    row = response_values(survey, answers, language, Channel.web)
    row["group_id"] = invitation.group_id
    insert_responses(session, [row], [answers])
    response_id = session.scalar(select(Response.id).where(Response.public_id == row["public_id"]))
    assert response_id is not None  # noqa: S101 - inserted just above
    session.add(PanelResponse(response_id=response_id, round_id=round_.id, panel_key=pkey))
    for code, given in inputs.items():
        if given.value == CANNOT or given.comment or given.reason:
            session.add(ItemNote(
                response_id=response_id, question_id=items[code].id,
                cannot_judge=given.value == CANNOT, comment=given.comment or None,
                reason=given.reason or None,
            ))  # fmt: skip
    session.flush()
