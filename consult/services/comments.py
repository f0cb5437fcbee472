"""Open answers for the summary: which questions are comments, and their texts in reading order.

Counting (analysis.py) never keeps a text; comments are read separately, streamed and sorted by
the database, once the figures are known, because a group's size decides whether its comments
may carry its name.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ..models import Answer, Question, Response, Survey
from .analysis import TEXT_TYPES, Summary


def comment_questions(survey: Survey) -> list[Question]:
    """Open answers shown as comments: long answers, and any text tagged with a recommendation.

    Short untagged text (the NISP's district) is profile data, not opinion: never listed.
    """
    return [
        q
        for q in survey.ordered_questions()
        if q.type == "long_text" or (q.type in TEXT_TYPES and q.recommendation_id is not None)
    ]


def open_answers(session: Session, summary: Summary) -> Iterator[tuple[Question, str | None, str]]:
    """(question, group code or None when not shown, text), streamed in reading order.

    Per question: the groups shown in survey order, then answers without a group, then those
    of groups too small to name (together, as one "group not shown"). Within each, by text: no
    respondent's comments can be lined up across questions by their position.
    """
    survey = summary.survey
    r, a = Response.__table__.c, Answer.__table__.c
    small = {g.id for g in survey.groups if g.code in summary.small_groups}
    order = {g.id: g.position for g in survey.groups if g.id not in small}
    order |= dict.fromkeys(small, len(survey.groups) + 1)
    bucket = case(order, value=r.group_id, else_=len(survey.groups)) if order else r.group_id
    codes = {g.id: g.code for g in survey.groups}
    # Code point order on both databases (SQLite compares bytes; PostgreSQL would otherwise use
    # the server's language collation), so a workbook does not depend on where it was made.
    by_text = a.value.collate("C") if session.get_bind().dialect.name == "postgresql" else a.value
    for question in comment_questions(survey):
        stmt = (
            select(r.group_id, a.value)
            .join_from(Answer.__table__, Response.__table__, a.response_id == r.id)
            .where(a.question_id == question.id, *summary.filters.where(survey))
            .order_by(bucket, by_text)
            .execution_options(yield_per=2000)
        )
        for group_id, text in session.connection().execute(stmt):
            code = codes.get(group_id) if group_id is not None else None
            yield question, None if code in summary.small_groups else code, text
