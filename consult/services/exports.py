"""Shaping stored responses into tables: pure data, no spreadsheet concerns.

The raw table is read in one streamed SQL query (no ORM objects per answer), ordered by
response, and turned into rows by the exporters each question type builds once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
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
# How many rows the database hands over at a time: bounded memory, few round trips.
STREAM_CHUNK = 2000


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[Row]
    # Number of rows, known before they are read (for progress bars).
    count: int


def raw_table(session: Session, survey: Survey, lang: str, codes: bool = False) -> Table:
    """One row per response: the fixed columns, then each question's export columns."""
    questions = exported_questions(survey)
    headers = list(FIXED_COLUMNS)
    exporters: list[tuple[int, Callable[[str | None], list[Cell]]]] = []
    for q in questions:
        qtype = question_type(q.type)
        headers.extend(qtype.columns(q))
        exporters.append((q.id, qtype.exporter(q, lang, codes)))
    group_names = {g.id: g.code if codes else survey.text(g.label, lang) for g in survey.groups}

    stmt = (
        select(
            Response.id,
            Response.public_id,
            Response.submitted_at,
            Response.group_id,
            Response.language,
            Response.channel,
            Answer.question_id,
            Answer.value,
        )
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.survey_id == survey.id)
        .order_by(Response.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )

    def rows() -> Iterator[Row]:
        result = session.execute(stmt)
        for _rid, group in itertools.groupby(result, key=lambda r: r[0]):
            answer_rows = list(group)
            first = answer_rows[0]
            values = {r[6]: r[7] for r in answer_rows}
            row: Row = [
                first[1],
                first[2],
                group_names.get(first[3]) if first[3] is not None else None,
                first[4],
                first[5],
            ]
            for qid, cells in exporters:
                row.extend(cells(values.get(qid)))
            yield row

    return Table(headers=headers, rows=rows(), count=response_count(session, survey))


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
