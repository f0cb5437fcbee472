"""Shaping stored responses into tables: pure data, no spreadsheet concerns.

The raw table is read in one streamed SQL query (no ORM objects; one row per response, its
answers folded into JSON by the database), and turned into rows by the exporters each question
type builds once.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import Engine, Text, cast, func, select, tuple_
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.collection.models import Answer, Response
from consult.db import STREAM_CHUNK
from consult.exports.forked import READER_MIN_ROWS, fork_allowed, forked_partitions
from consult.spreadsheets.tables import Cell, Row, Table
from consult.surveys.columns import FIXED_COLUMNS, FIXED_MEANING, exported_questions
from consult.surveys.models import Survey
from consult.surveys.questions import question_type

T = TypeVar("T")

# Distinct values per question whose export cells are remembered (see raw_table).
MEMO_LIMIT = 1024


@dataclass(frozen=True)
class Page:
    """A page of the raw table (the API's): ``limit`` rows after the row whose order key is
    ``after``. Pages are ordered by public id in an anonymous survey (no row's place says when
    it came), else by (submitted_at, public id); neither key is the internal row id."""

    limit: int
    after: tuple[Any, ...] | None = None

    @staticmethod
    def key(survey: Survey, row: Row) -> tuple[Any, ...]:
        """The order key of a shaped row (its first two cells: public id, submitted at)."""
        return (row[0],) if survey.anonymous else (row[1], row[0])


# A response as the raw table reads it: public id, submitted at, group id, language, channel,
# and its answers (question id as text → stored value).
StoredResponse = tuple[str, datetime, int | None, str, str, dict[str, str]]


def stored_responses(
    session: Session,
    survey: Survey,
    prepare: Callable[[list[StoredResponse]], list[T]],
    filters: Filters | None = None,
    reader: bool = False,
    page: Page | None = None,
    ids: Collection[int] | None = None,
) -> Iterator[list[T]]:
    """``prepare`` of each chunk of the responses of ``survey`` with their answers, streamed:
    in the order they were stored, or for an anonymous survey in the order of their random
    public ids, so that no row's place says when it came in (docs/privacy.md).

    The database folds each response's answers into one JSON object, so Python receives one row
    per response instead of one per answer. The objects arrive as text and each chunk's are
    parsed in one call rather than one per response, as SQLAlchemy's JSON type would
    (docs/performance.md has both measurements).

    ``reader``: the query may be read by a forked process (exports/forked.py), which then also
    parses and prepares each chunk; it sees committed rows only: for read-only requests and
    commands. It forks only where that is safe (one thread, an engine rather than a test's
    outer connection).
    ``ids``: only these responses (a webhook's).
    """
    bind = session.get_bind()
    fold = func.json_object_agg if bind.dialect.name == "postgresql" else func.json_group_object
    # Plain table columns, not ORM attributes: the rows skip the ORM loading layer entirely.
    r, a = Response.__table__.c, Answer.__table__.c
    folded = cast(fold(a.question_id, a.value), Text)
    answers = select(folded).where(a.response_id == r.id).correlate(Response.__table__)
    stmt = (
        select(r.public_id, r.submitted_at, r.group_id, r.language, r.channel)
        .add_columns(answers.scalar_subquery())
        .where(*(filters or Filters()).where(survey))
        .where(*([r.id.in_(ids)] if ids is not None else []))
        .order_by(r.public_id if survey.anonymous else r.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )
    if page is not None:
        keys = [r.public_id] if survey.anonymous else [r.submitted_at, r.public_id]
        stmt = stmt.order_by(None).order_by(*keys).limit(page.limit)
        if page.after is not None:
            stmt = stmt.where(tuple_(*keys) > tuple_(*page.after))

    def parsed_and_prepared(rows: Sequence[Any]) -> list[T]:
        return prepare(_parsed(rows))

    if reader and isinstance(bind, Engine) and fork_allowed():
        yield from forked_partitions(bind, stmt, parsed_and_prepared)
        return
    with session.connection().execute(stmt) as result:  # closes the server-side cursor
        yield from map(parsed_and_prepared, result.partitions())


def _parsed(rows: Sequence[Any]) -> list[StoredResponse]:
    """A chunk of rows with each response's answers parsed (in one call for the chunk)."""
    # No answers: SQLite folds "{}", PostgreSQL NULL.
    parsed = json.loads(f"[{','.join([row[5] or '{}' for row in rows])}]")
    return [(*row[:5], answers) for row, answers in zip(rows, parsed, strict=True)]


def raw_table(
    session: Session,
    survey: Survey,
    lang: str,
    codes: bool = False,
    filters: Filters | None = None,
    reader: bool = False,
    page: Page | None = None,
    extra: Callable[[dict[str, str]], Any] | None = None,
    ids: Collection[int] | None = None,
) -> Table:
    """One row per response: the fixed columns, then each question's export columns.

    ``reader``: a large table may be read by a forked process (see stored_responses).
    ``page``: only one page of rows (``count`` is still every row under ``filters``).
    ``extra``: a last cell from each response's stored answers (by question id as text), no
    workbook column (statistical files: what skip logic hid). ``ids``: only these responses.
    Responses left out after review are not in it, unless ``filters.with_excluded``: then all
    are, and a last column ``excluded`` says which (with the reason).
    """
    filters = filters or Filters()
    headers, keys, memos = _columns(survey, lang, codes)
    group_names = {g.id: g.code if codes else survey.text(g.label, lang) for g in survey.groups}
    flat, cells_of = chain.from_iterable, operator.getitem
    marks = excluded_marks(session, survey) if filters.with_excluded else None
    if marks is not None:
        headers.append(EXCLUDED_COLUMN)
    # Anonymous surveys keep only the day of a submission: a date, not a midnight time.
    day_only = survey.anonymous

    def shaped(chunk: list[StoredResponse]) -> list[Row]:
        # The hot loop: per response, each question's cells are looked up by its stored value
        # (map and getitem run in C; only a value not seen before calls Python, see _Cells).
        # A forked reader runs it (its own copy of the memos), so this process only writes. It
        # touches no ORM attribute that is not loaded already: the exporters and ``extra`` are
        # closures made here, so the child never reaches for the parent's connection.
        rows: list[Row] = []
        for public_id, submitted_at, group_id, language, channel, answers in chunk:
            row = [
                public_id,
                submitted_at.date() if day_only else submitted_at,
                group_names.get(group_id) if group_id is not None else None,
                language,
                channel,
                *flat(map(cells_of, memos, map(answers.get, keys))),
            ]
            if marks is not None:
                row.append(marks.get(public_id))
            if extra is not None:  # last, after the workbook's columns
                row.append(extra(answers))
            rows.append(row)
        return rows

    count = filtered_count(session, survey, filters) if ids is None else len(ids)
    # A large export's rows are read and shaped by a forked process while this one writes
    # (forked.py).
    fork = reader and page is None and count >= READER_MIN_ROWS
    chunks = stored_responses(session, survey, shaped, filters, reader=fork, page=page, ids=ids)
    return Table(headers=headers, rows=flat(chunks), count=count)


EXCLUDED_COLUMN = "excluded"


def _columns(survey: Survey, lang: str, codes: bool) -> tuple[list[str], list[str], list[_Cells]]:
    """The table's headers, and each exported question's answer key and cell maker."""
    headers = list(FIXED_COLUMNS)
    keys: list[str] = []
    memos: list[_Cells] = []
    for q in exported_questions(survey):
        qtype = question_type(q.type)
        headers.extend(qtype.columns(q))
        keys.append(str(q.id))
        memos.append(_Cells(qtype.exporter(q, lang, codes)))
    return headers, keys, memos


def excluded_marks(session: Session, survey: Survey) -> dict[str, str]:
    """Public id → "excluded: <reason>" of each response left out after review (few)."""
    r = Response.__table__.c
    stmt = select(r.public_id, r.exclusion_reason).where(
        r.survey_id == survey.id, r.excluded.is_(True)
    )
    return {pid: f"excluded: {reason or ''}".strip() for pid, reason in session.execute(stmt)}


class _Cells(dict[str | None, list[Cell]]):
    """One question's export cells by stored value, made by its exporter on first sight.

    Choices, scales and ranks repeat, so most answers cost one look-up. Free text rarely
    repeats: a question stops remembering once it has seen MEMO_LIMIT values.
    """

    def __init__(self, convert: Callable[[str | None], list[Cell]]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: str | None) -> list[Cell]:
        cells = self.convert(value)
        if len(self) < MEMO_LIMIT:
            self[value] = cells
        return cells


def filtered_count(session: Session, survey: Survey, filters: Filters) -> int:
    stmt = select(func.count(Response.id)).where(*filters.where(survey))
    return session.scalar(stmt) or 0


def codebook(survey: Survey, lang: str, note: str | None = None) -> Table:
    """What each column of the raw table means, with the question text in every language;
    ``note``: a last row saying which responses the sheet holds (responses left out)."""
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
    if note:
        rows.append(["(rows)", "note", None, None, note, *[None] * len(survey.languages)])
    return Table(headers=headers, rows=iter(rows), count=len(rows))


def exclusion_note(excluded: int, included: bool) -> str:
    """Which responses an export holds, stated on every one (the default leaves them out)."""
    if included:
        return (
            f"All responses, the {excluded} left out after review included (column "
            f"'{EXCLUDED_COLUMN}' marks them, with the reason)."
        )
    return (
        f"Responses left out after review are not in this sheet ({excluded} in all; the "
        "default). Download with excluded=include for every response."
    )
