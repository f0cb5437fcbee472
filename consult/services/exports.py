"""Shaping stored responses into tables: pure data, no spreadsheet concerns.

The raw table is read in one streamed SQL query (no ORM objects; one row per response, its
answers folded into JSON by the database), and turned into rows by the exporters each question
type builds once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from queue import Full, Queue
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import JSON, ColumnElement, Connection, Select, func, select
from sqlalchemy.orm import Session

from ..models import Answer, Question, QuestionRole, Response, Survey
from ..questions import Cell, question_type
from .monitoring import response_count

FIXED_COLUMNS = ("response_id", "submitted_at", "group", "language", "channel")
FIXED_MEANING = {
    "response_id": "random identifier of the response",
    "submitted_at": "when it was submitted (UTC; the day only for anonymous surveys)",
    "group": "stakeholder group",
    "language": "language the questionnaire was answered in",
    "channel": "web, enumerator, paper, import or synthetic",
}

Row = list[Cell | datetime]
T = TypeVar("T")
# How many rows the database hands over at a time: bounded memory, few round trips.
STREAM_CHUNK = 2000
# Distinct values per question whose export cells are remembered (see raw_table).
MEMO_LIMIT = 1024


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[Row]
    # Number of rows, known before they are read (for progress bars).
    count: int


@dataclass(frozen=True)
class Filters:
    """Which responses a summary (or export) covers; None means "any"."""

    channel: str | None = None
    language: str | None = None
    # Submission days, both included.
    since: date | None = None
    until: date | None = None

    def where(self, survey: Survey) -> list[ColumnElement[bool]]:
        r = Response.__table__.c
        clauses = [r.survey_id == survey.id]
        if self.channel:
            clauses.append(r.channel == self.channel)
        if self.language:
            clauses.append(r.language == self.language)
        if self.since:
            clauses.append(r.submitted_at >= datetime.combine(self.since, time.min))
        if self.until:
            clauses.append(
                r.submitted_at < datetime.combine(self.until + timedelta(days=1), time.min)
            )
        return clauses

    @property
    def active(self) -> bool:
        return any((self.channel, self.language, self.since, self.until))


class StoredResponse(NamedTuple):
    id: int
    public_id: str
    submitted_at: datetime
    group_id: int | None
    region: str | None
    language: str
    channel: str
    # Question id (as text) → stored value.
    answers: dict[str, str]


def prefetched(items: Iterator[T], batch: int = 500, depth: int = 8) -> Iterator[T]:
    """``items``, produced by a helper thread up to ``depth`` batches ahead of the consumer.

    The database's own work (SQLite stepping through the query, waits on PostgreSQL) and the
    writer's compression run without the GIL, so on a second core the next rows are read while
    the last ones are written. The caller must not use the database connection that ``items``
    reads from until the iteration ends (an export only writes meanwhile).
    """
    done = object()
    queue: Queue[Any] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(thing: Any) -> bool:
        while not stop.is_set():
            try:
                queue.put(thing, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            chunk: list[T] = []
            for item in items:
                chunk.append(item)
                if len(chunk) == batch:
                    if not put(chunk):
                        return
                    chunk = []
            if (not chunk or put(chunk)) and put(done):
                return
        except BaseException as error:  # noqa: BLE001 - raised again in the consumer's thread
            put(error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # the database cursor, when the consumer stopped early

    worker = threading.Thread(target=produce, name="consult-prefetch", daemon=True)
    worker.start()
    try:
        while (got := queue.get()) is not done:
            if isinstance(got, BaseException):
                raise got
            yield from got
    finally:
        stop.set()
        worker.join()


def stored_responses(
    session: Session,
    survey: Survey,
    filters: Filters | None = None,
) -> Iterator[StoredResponse]:
    """Every response of ``survey`` with its answers, streamed in id order.

    The database folds each response's answers into one JSON object, so Python receives one row
    per response instead of one per answer (100,000 NISP responses: ~1 s instead of ~6 s).
    """
    dialect = session.get_bind().dialect.name
    fold = func.json_object_agg if dialect == "postgresql" else func.json_group_object
    # Plain table columns, not ORM attributes: the rows skip the ORM loading layer entirely.
    r, a = Response.__table__.c, Answer.__table__.c
    per_response = select(fold(a.question_id, a.value, type_=JSON)).where(a.response_id == r.id)
    answers = per_response.correlate(Response.__table__).scalar_subquery()
    stmt = (
        select(r.id, r.public_id, r.submitted_at, r.group_id, r.region, r.language, r.channel)
        .add_columns(answers)
        .where(*(filters or Filters()).where(survey))
        .order_by(r.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )
    # The connection is taken here, by the caller's thread; the rows may be read by another.
    return _stored(session.connection(), stmt)


def _stored(connection: Connection, stmt: Select[Any]) -> Iterator[StoredResponse]:
    for rid, public_id, when, group_id, region, language, channel, folded in connection.execute(
        stmt
    ):
        yield StoredResponse(
            rid, public_id, when, group_id, region, language, channel, folded or {}
        )


def raw_table(
    session: Session, survey: Survey, lang: str, codes: bool = False, filters: Filters | None = None
) -> Table:
    """One row per response: the fixed columns, then each question's export columns."""
    questions = exported_questions(survey)
    headers = list(FIXED_COLUMNS)
    exporters: list[tuple[str, dict[str | None, list[Cell]], Callable[[str | None], list[Cell]]]]
    exporters = []
    for q in questions:
        qtype = question_type(q.type)
        headers.extend(qtype.columns(q))
        exporters.append((str(q.id), {}, qtype.exporter(q, lang, codes)))
    group_names = {g.id: g.code if codes else survey.text(g.label, lang) for g in survey.groups}

    def shaped(responses: Iterator[StoredResponse]) -> Iterator[Row]:
        # Choices, scales and ranks repeat: each question remembers the cells of the values it
        # has seen, so most answers cost two look-ups in one list comprehension (the hot loop).
        # Free text rarely repeats: a question stops remembering once it has seen many values.
        for response in responses:
            get = response.answers.get
            parts: list[Any] = [seen.get(get(key)) for key, seen, _ in exporters]
            if None in parts:
                for i, part in enumerate(parts):
                    if part is None:
                        key, seen, convert = exporters[i]
                        value = get(key)
                        parts[i] = cells = convert(value)
                        if len(seen) < MEMO_LIMIT:
                            seen[value] = cells
            row: Row = [
                response.public_id,
                response.submitted_at,
                group_names.get(response.group_id) if response.group_id is not None else None,
                response.language,
                response.channel,
            ]
            row.extend(chain.from_iterable(parts))
            yield row

    def rows() -> Iterator[Row]:
        # Reading and shaping run in a helper thread, alongside the writer (see prefetched).
        return prefetched(shaped(stored_responses(session, survey, filters)))

    count = (
        response_count(session, survey)
        if filters is None
        else filtered_count(session, survey, filters)
    )
    return Table(headers=headers, rows=rows(), count=count)


def filtered_count(session: Session, survey: Survey, filters: Filters) -> int:
    stmt = select(func.count(Response.id)).where(*filters.where(survey))
    return session.scalar(stmt) or 0


def exported_questions(survey: Survey) -> list[Question]:
    """Questions with their own columns; the group question fills the fixed ``group`` column."""
    return [
        q
        for q in survey.ordered_questions()
        if question_type(q.type).has_answer and q.role != QuestionRole.group
    ]


def codebook(survey: Survey, lang: str) -> Table:
    """What each column of the raw table means, with the question text in every language."""
    headers = ["column", "type", "required", "recommendation"]
    headers += [f"label::{code}" for code in survey.languages]
    headers.append("values")
    rows: list[Row] = [
        [
            name,
            "fixed",
            None,
            None,
            *([FIXED_MEANING[name]] + [None] * (len(survey.languages) - 1)),
            None,
        ]
        for name in FIXED_COLUMNS
    ]
    group_values = "; ".join(f"{g.code} = {survey.text(g.label, lang)}" for g in survey.groups)
    rows[2][-1] = group_values
    for q in exported_questions(survey):
        qtype = question_type(q.type)
        rec = survey.text(q.recommendation.label, lang) if q.recommendation else None
        rows.append(
            [
                ", ".join(qtype.columns(q)),
                q.type,
                "yes" if q.required else "no",
                rec,
                *(q.label.get(code) for code in survey.languages),
                qtype.codebook_choices(q, lang),
            ]
        )
    return Table(headers=headers, rows=iter(rows), count=len(rows))
