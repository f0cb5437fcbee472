"""Open answers for the summary: which questions are comments, and their texts in reading order.

Counting (analysis.py) never keeps a text; comments are read separately, streamed and sorted by
the database. A group's size decides whether its comments may carry its name, and only the
respondents per group are needed for that (counting.group_sizes), so the comment queries can
be made before any answer is counted and run on another connection
(exports/summary/comment_job.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, case, select
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.analysis.summarising import Summary
from consult.collection.models import Answer, Response
from consult.db import plain_partitions
from consult.surveys.models import Question, Survey
from consult.surveys.questions import question_type

# (group id or None, text), in reading order, as many as the database hands over at a time.
Chunk = Sequence[Any]


def comment_questions(survey: Survey) -> list[Question]:
    """Open answers shown as comments: long answers, and any text tagged with a recommendation.

    Short untagged text (the NISP's district) is profile data, not opinion: never listed.
    """
    return [q for q in survey.ordered_questions() if question_type(q.type).is_comment(q)]


@dataclass(frozen=True)
class CommentQueries:
    """The comment queries of one view: plain statements, runnable on any connection."""

    # In reading order: (comment question id, a statement of (group id, text) rows); a
    # question's statements follow one another, one per group bucket.
    statements: list[tuple[int, Select[Any]]]
    # Group id → code, for the groups whose comments may carry their name.
    named: dict[int, str]
    # No comment is shown: the filtered view is too small (comments_withheld).
    withheld: bool = False


def comments_withheld(filters: Filters, total: float, k: int) -> bool:
    """No comment at all is shown when a filtered view holds fewer than k respondents.

    Without a group name a comment still says what the filters say: its group (a group filter),
    its province, its day. A view that narrow is too small to quote from.
    """
    return filters.active and 0 < total < k


def comment_queries(
    survey: Survey, small: set[str], filters: Filters, dialect: str, withheld: bool = False
) -> CommentQueries:
    """Per question: the groups shown in survey order, then answers without a group, then those
    of groups too small to name (together, as one "group not shown"). Within each, by text: no
    respondent's comments can be lined up across questions by their position.

    Each answer carries its group (models.Answer), so no join. SQLite: one statement per
    question and group bucket, each reading the tally index already in text order. PostgreSQL
    has no such index (a question's answers lie on pages all over the table): one statement per
    question, sorted by bucket and text (per bucket, PostgreSQL scanned the table once per
    bucket: several times slower, docs/performance.md).
    """
    r, a = Response.__table__.c, Answer.__table__.c
    hidden = [g.id for g in survey.groups if g.code in small]
    shown = [g.id for g in sorted(survey.groups, key=lambda g: g.position) if g.code not in small]
    in_view = (
        [a.response_id.in_(select(r.id).where(*filters.where(survey)))] if filters.restricts else []
    )
    statements: list[tuple[int, Select[Any]]] = []
    named = {g.id: g.code for g in survey.groups if g.id not in hidden}
    if withheld:
        return CommentQueries(statements, named, withheld=True)
    if dialect == "postgresql":
        # Code point order (the server's language collation would sort otherwise), so that a
        # workbook does not depend on the database it was made from: SQLite compares bytes.
        order = {gid: place for place, gid in enumerate(shown)}
        order |= dict.fromkeys(hidden, len(shown) + 1)  # after the answers without a group
        bucket = case(order, value=a.group_id, else_=len(shown)) if order else a.group_id
        for question in comment_questions(survey):
            stmt = select(a.group_id, a.value).where(a.question_id == question.id, *in_view)
            statements.append((question.id, stmt.order_by(bucket, a.value.collate("C"))))
    else:
        buckets = [a.group_id == gid for gid in shown] + [a.group_id.is_(None)]
        if hidden:
            buckets.append(a.group_id.in_(hidden))
        for question in comment_questions(survey):
            for within in buckets:
                stmt = select(a.group_id, a.value).where(a.question_id == question.id, within)
                statements.append((question.id, stmt.where(*in_view).order_by(a.value)))
    return CommentQueries(statements, named)


def comment_chunks(connection: Connection, queries: CommentQueries) -> Iterator[tuple[int, Chunk]]:
    """(question id, rows of (group id, text)), streamed in reading order."""
    for question_id, stmt in queries.statements:
        for rows in plain_partitions(connection, stmt):
            yield question_id, rows


def open_answers(session: Session, summary: Summary) -> Iterator[tuple[Question, str | None, str]]:
    """(question, group code or None when not shown, text), streamed in reading order."""
    survey = summary.survey
    dialect = session.get_bind().dialect.name
    withheld = comments_withheld(summary.filters, summary.total, summary.thresholds.k)
    queries = comment_queries(survey, summary.small_groups, summary.filters, dialect, withheld)
    questions = {q.id: q for q in survey.questions}
    for question_id, rows in comment_chunks(session.connection(), queries):
        question = questions[question_id]
        for group_id, text in rows:
            yield question, queries.named.get(group_id), text
