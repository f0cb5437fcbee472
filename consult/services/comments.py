"""Open answers for the summary: which questions are comments, and their texts in reading order.

Counting (analysis.py) never keeps a text; comments are read separately, streamed and sorted by
the database. A group's size decides whether its comments may carry its name, and only the
respondents per group are needed for that (counting.group_sizes), so the comment queries can
be made before any answer is counted and run on another connection (see summary_comments.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from ..models import Answer, Question, Response, Survey
from .analysis import TEXT_TYPES, Summary
from .exports import STREAM_CHUNK, Filters

# (group id or None, text), in reading order, as many as the database hands over at a time.
Chunk = Sequence[Any]


def comment_questions(survey: Survey) -> list[Question]:
    """Open answers shown as comments: long answers, and any text tagged with a recommendation.

    Short untagged text (the NISP's district) is profile data, not opinion: never listed.
    """
    return [
        q
        for q in survey.ordered_questions()
        if q.type == "long_text" or (q.type in TEXT_TYPES and q.recommendation_id is not None)
    ]


@dataclass(frozen=True)
class CommentQueries:
    """The comment queries of one view: plain statements, runnable on any connection."""

    # In reading order: (comment question id, a statement of (group id, text) rows); a
    # question's statements follow one another, one per group bucket.
    statements: list[tuple[int, Select[Any]]]
    # Group id → code, for the groups whose comments may carry their name.
    named: dict[int, str]


def comment_queries(
    survey: Survey, small: set[str], filters: Filters, dialect: str
) -> CommentQueries:
    """Per question: the groups shown in survey order, then answers without a group, then those
    of groups too small to name (together, as one "group not shown"). Within each, by text: no
    respondent's comments can be lined up across questions by their position.

    One statement per question and group: each answer carries its group, so on SQLite each
    statement reads its rows from the tally index already in text order (models.Answer).
    """
    r, a = Response.__table__.c, Answer.__table__.c
    hidden = [g.id for g in survey.groups if g.code in small]
    shown = [g.id for g in sorted(survey.groups, key=lambda g: g.position) if g.code not in small]
    buckets = [a.group_id == gid for gid in shown] + [a.group_id.is_(None)]
    if hidden:
        buckets.append(a.group_id.in_(hidden))
    in_view = (
        [a.response_id.in_(select(r.id).where(*filters.where(survey)))] if filters.active else []
    )
    # Code point order on both databases (SQLite compares bytes; PostgreSQL would otherwise use
    # the server's language collation), so a workbook does not depend on where it was made.
    by_text = a.value.collate("C") if dialect == "postgresql" else a.value
    statements = [
        (
            question.id,
            select(a.group_id, a.value)
            .where(a.question_id == question.id, bucket, *in_view)
            .order_by(by_text)
            .execution_options(yield_per=STREAM_CHUNK),
        )
        for question in comment_questions(survey)
        for bucket in buckets
    ]
    named = {g.id: g.code for g in survey.groups if g.id not in hidden}
    return CommentQueries(statements, named)


def comment_chunks(connection: Connection, queries: CommentQueries) -> Iterator[tuple[int, Chunk]]:
    """(question id, rows of (group id, text)), streamed in reading order."""
    for question_id, stmt in queries.statements:
        with connection.execute(stmt) as result:
            for rows in result.partitions():
                yield question_id, rows


def open_answers(session: Session, summary: Summary) -> Iterator[tuple[Question, str | None, str]]:
    """(question, group code or None when not shown, text), streamed in reading order."""
    survey = summary.survey
    dialect = session.get_bind().dialect.name
    queries = comment_queries(survey, summary.small_groups, summary.filters, dialect)
    questions = {q.id: q for q in survey.questions}
    for question_id, rows in comment_chunks(session.connection(), queries):
        question = questions[question_id]
        for group_id, text in rows:
            yield question, queries.named.get(group_id), text
