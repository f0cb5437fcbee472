"""Every voice on the web: the open comments of a view, a page at a time, searchable, and the
comments organizers star as quotes for the brief.

The same rules as the workbook's Comments sheet (comments.py): a comment from a group with
fewer than k respondents in the view carries no group name; a filtered view of fewer than k
respondents shows no comment (``comments_withheld``); within a question, comments are listed
by group and then by text, never in the order they arrived. A comment is named on the page by
an opaque token (an HMAC of its row id under the instance's secret key): row ids rise with time
and would line up one respondent's comments across questions.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, delete, func, select
from sqlalchemy.orm import Session

from consult.analysis.comments import comment_questions, comments_withheld
from consult.analysis.counting import group_sizes
from consult.analysis.filters import Filters
from consult.analysis.models import StarredComment
from consult.analysis.summarising import Thresholds, small_groups
from consult.collection.models import Answer, Response
from consult.problems import Refusal
from consult.spreadsheets.sanitise import clean_display_text
from consult.surveys.models import Question, Survey

PAGE_SIZE = 50
SEARCH_LIMIT = 200  # characters of a search


@dataclass(frozen=True)
class Voice:
    """One comment as the page shows it."""

    token: str
    question: Question
    group: str | None  # the group's code; None: not shown (or not given)
    text: str
    starred: bool


@dataclass
class Voices:
    """One page of comments, and how many match in all."""

    voices: list[Voice] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    withheld: bool = False


@dataclass(frozen=True)
class View:
    """What the comments of a view depend on: the survey, the filters, who is too few to name."""

    survey: Survey
    filters: Filters
    small: set[str]
    total: float
    k: int

    @property
    def withheld(self) -> bool:
        return comments_withheld(self.filters, self.total, self.k)


def token(secret: bytes, answer_id: int) -> str:
    """The name of a comment on the page: the same for the same comment, linking nothing."""
    digest = hmac.new(secret, f"comment:{answer_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:24]


def _statement(
    view: View, questions: Sequence[Question], search: str, starred: bool, dialect: str
) -> Select[Any]:
    """(answer id, question id, group id, text) of the view's comments, in reading order."""
    survey, a, r = view.survey, Answer.__table__.c, Response.__table__.c
    hidden = [g.id for g in survey.groups if g.code in view.small]
    shown = [g.id for g in sorted(survey.groups, key=lambda g: g.position) if g.id not in hidden]
    order = {gid: place for place, gid in enumerate(shown)}
    order |= dict.fromkeys(hidden, len(shown) + 1)  # after the answers without a group
    bucket = case(order, value=a.group_id, else_=len(shown)) if order else a.group_id
    reading = {q.id: place for place, q in enumerate(questions)}
    stmt = select(a.id, a.question_id, a.group_id, a.value).where(a.question_id.in_(list(reading)))
    if view.filters.active:
        stmt = stmt.where(a.response_id.in_(select(r.id).where(*view.filters.where(survey))))
    if search:
        stmt = stmt.where(a.value.icontains(search, autoescape=True))
    if starred:
        stmt = stmt.where(a.id.in_(select(StarredComment.answer_id)))
    by_question = case(reading, value=a.question_id) if len(reading) > 1 else a.question_id
    # Code point order on PostgreSQL too, as in the workbook (comments.py).
    text = a.value.collate("C") if dialect == "postgresql" else a.value
    return stmt.order_by(by_question, bucket, text, a.id)


def voices(
    session: Session,
    view: View,
    secret: bytes,
    question: Question | None = None,
    search: str = "",
    page: int = 1,
    starred: bool = False,
) -> Voices:
    """One page of the view's comments (of ``question``, or of every comment question)."""
    if view.withheld:
        return Voices(withheld=True)
    questions = [question] if question is not None else comment_questions(view.survey)
    if not questions:
        return Voices()
    search = search.strip()[:SEARCH_LIMIT]
    stmt = _statement(view, questions, search, starred, session.get_bind().dialect.name)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    ids = [row[0] for row in rows]
    stars = set(
        session.scalars(select(StarredComment.answer_id).where(StarredComment.answer_id.in_(ids)))
    )
    named = {g.id: g.code for g in view.survey.groups if g.code not in view.small}
    by_id = {q.id: q for q in questions}
    found = [
        Voice(
            token(secret, aid),
            by_id[qid],
            named.get(gid) if gid else None,
            clean_display_text(text),
            aid in stars,
        )
        for aid, qid, gid, text in rows
    ]
    return Voices(found, total, page, pages)


def star(
    session: Session, survey: Survey, question: Question, name: str, secret: bytes, on: bool
) -> None:
    """Star (or unstar) the comment named ``name`` among ``question``'s; flushes."""
    if question not in comment_questions(survey):
        raise Refusal.at("question", _("This question has no comments."))
    a = Answer.__table__.c
    ids = session.scalars(select(a.id).where(a.question_id == question.id))
    answer_id = next((i for i in ids if hmac.compare_digest(token(secret, i), name)), None)
    if answer_id is None:
        raise Refusal.at("comment", _("That comment is no longer there."))
    session.execute(delete(StarredComment).where(StarredComment.answer_id == answer_id))
    if on:
        session.add(StarredComment(survey_id=survey.id, answer_id=answer_id))
    session.flush()


def quotes(session: Session, view: View) -> list[tuple[Question, str | None, str]]:
    """The starred comments in the view, in reading order: (question, group code or None, text).

    The same rules as every comment: none when the view is withheld, no group name when the
    group is too small in this view.
    """
    if view.withheld:
        return []
    questions = comment_questions(view.survey)
    if not questions:
        return []
    by_id = {q.id: q for q in questions}
    named = {g.id: g.code for g in view.survey.groups if g.code not in view.small}
    dialect = session.get_bind().dialect.name
    rows = session.execute(_statement(view, questions, "", True, dialect)).all()
    return [
        (by_id[qid], named.get(gid) if gid else None, clean_display_text(text))
        for _aid, qid, gid, text in rows
    ]


def comment_view(session: Session, survey: Survey, filters: Filters) -> View:
    """The view's comment rules from the respondents per group alone (no answer counted)."""
    k = Thresholds.of(survey).k
    sizes = group_sizes(session, survey, filters)
    return View(survey, filters, small_groups(survey, sizes, k), sum(sizes.values()), k)
