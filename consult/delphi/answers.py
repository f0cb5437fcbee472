"""The panel's answers, read per round and keyed by keyed pseudonym: what the statistics,
the feedback and the workbook are computed from. Reads only; nothing here names a person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.collection.models import Answer, Invitation, Response
from consult.delphi.models import DelphiRound, ItemNote, PanelResponse, RoundLink
from consult.delphi.panel import rating_items
from consult.delphi.rankings import ranking_items
from consult.surveys.models import Question, StakeholderGroup

CANNOT_JUDGE = None  # an item answered "cannot judge" holds None


@dataclass
class RoundAnswers:
    number: int
    # Keyed pseudonym → group code, of everyone sent a link this round.
    invited: dict[str, str | None] = field(default_factory=dict)
    # Keyed pseudonym → group code, of everyone who answered.
    groups: dict[str, str | None] = field(default_factory=dict)
    # Keyed pseudonym → {item code: rating, or None for cannot judge}.
    ratings: dict[str, dict[str, int | None]] = field(default_factory=dict)
    # Ranking question code → keyed pseudonym → item codes, best first.
    rankings: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Approved comments: (item code, group code, rating or None, text).
    comments: list[tuple[str, str | None, int | None, str]] = field(default_factory=list)
    # For organizers: every comment and reason, (item code, kind, approved, text), with no
    # keyed pseudonym (free text is kept apart from the key that joins rounds).
    notes: list[tuple[str, str, bool, str]] = field(default_factory=list)

    def values(self, code: str, keys: set[str] | None = None) -> list[int]:
        return [r[code] for k, r in self.ratings.items()  # type: ignore[misc]
                if r.get(code) is not None and (keys is None or k in keys)]  # fmt: skip

    def cannot_judge(self, code: str, keys: set[str] | None = None) -> int:
        return sum(1 for k, r in self.ratings.items()
                   if code in r and r[code] is None and (keys is None or k in keys))  # fmt: skip


def item_codes(first: DelphiRound) -> list[str]:
    return [q.code for q in rating_items(first.survey)]


def _group_codes(session: Session, round_: DelphiRound) -> dict[int, str]:
    stmt = select(StakeholderGroup.id, StakeholderGroup.code).where(
        StakeholderGroup.survey_id == round_.survey_id
    )
    return {gid: code for gid, code in session.execute(stmt)}


def round_answers(session: Session, round_: DelphiRound) -> RoundAnswers:
    """Everything one round holds, by keyed pseudonym."""
    found = RoundAnswers(round_.number)
    codes = _group_codes(session, round_)
    for pkey, gid in session.execute(
        select(RoundLink.panel_key, Invitation.group_id)
        .join(Invitation, Invitation.id == RoundLink.invitation_id)
        .where(RoundLink.round_id == round_.id)
    ):
        found.invited[pkey] = codes.get(gid) if gid else None
    items = {q.id: q.code for q in rating_items(round_.survey)}
    ranked = {q.id: q.code for q in ranking_items(round_.survey)}
    by_response: dict[int, str] = {}
    for rid, pkey, gid in session.execute(
        select(Response.id, PanelResponse.panel_key, Response.group_id)
        .join(PanelResponse, PanelResponse.response_id == Response.id)
        .where(PanelResponse.round_id == round_.id)
    ):
        by_response[rid] = pkey
        found.groups[pkey] = codes.get(gid) if gid else None
        found.ratings[pkey] = {}
    if not by_response:
        return found
    answers = select(Answer.response_id, Answer.question_id, Answer.value).where(
        Answer.response_id.in_(list(by_response)),
        Answer.question_id.in_([*items, *ranked]),
    )
    for rid, qid, value in session.execute(answers):
        if qid in ranked:
            found.rankings.setdefault(ranked[qid], {})[by_response[rid]] = value.split()
        else:
            found.ratings[by_response[rid]][items[qid]] = int(value)
    _notes(session, found, by_response, items)
    return found


def _notes(
    session: Session, found: RoundAnswers, by_response: dict[int, str], items: dict[int, str]
) -> None:
    stmt = select(ItemNote).where(ItemNote.response_id.in_(list(by_response)))
    for note in session.scalars(stmt):
        pkey, code = by_response[note.response_id], items.get(note.question_id)
        if code is None:
            continue
        if note.cannot_judge:
            found.ratings[pkey][code] = CANNOT_JUDGE
        if note.comment and note.approved:
            rating = found.ratings[pkey].get(code)
            found.comments.append((code, found.groups[pkey], rating, note.comment))
        if note.comment:
            found.notes.append((code, "comment", note.approved, note.comment))
        if note.reason:
            found.notes.append((code, "reason for crossing", False, note.reason))


def notes_to_moderate(session: Session, round_: DelphiRound) -> list[tuple[ItemNote, Question]]:
    """The round's comments and reasons, for the organizer's moderation list."""
    stmt = (
        select(ItemNote, Question)
        .join(Question, Question.id == ItemNote.question_id)
        .join(PanelResponse, PanelResponse.response_id == ItemNote.response_id)
        .where(PanelResponse.round_id == round_.id, ItemNote.comment.is_not(None))
        .order_by(Question.position, ItemNote.id)
    )
    return [(note, question) for note, question in session.execute(stmt)]


def approve(session: Session, round_: DelphiRound, note_ids: set[int]) -> int:
    """Approve exactly ``note_ids`` among the round's comments (others are withdrawn)."""
    changed = 0
    for note, _question in notes_to_moderate(session, round_):
        wanted = note.id in note_ids
        if note.approved != wanted:
            note.approved, changed = wanted, changed + 1
    session.flush()
    return changed


def group_sizes(found: RoundAnswers) -> dict[str | None, int]:
    sizes: dict[str | None, int] = defaultdict(int)
    for code in found.groups.values():
        sizes[code] += 1
    return dict(sizes)
