"""``consult themes export`` and the page's download: the themes and every comment's themes.

Sheet ``themes`` in the columns ``consult themes seed`` reads, and sheet ``Assignments``
(contract): ``response_id`` (the response's public id), ``question``, ``themes`` (codes,
space-separated), ``source`` (reviewed or machine), and ``proposed`` (the machine's themes of a
reviewed comment, so a copy seeded from this file also keeps the agreement figure). One row per
comment of a themed question, ordered by question and response id (random): never in the order
responses came. Seeding a fresh copy of the survey from this file gives the same tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.analysis.themes.models import Source, Theme, ThemeAssignment, ThemeReview
from consult.analysis.themes.themes import survey_themes, themes_by_question
from consult.collection.models import Answer, Response
from consult.spreadsheets.tables import Row
from consult.spreadsheets.workbooks import SheetWriter, workbook
from consult.surveys.models import Survey

ASSIGNMENT_COLUMNS = ["response_id", "question", "themes", "source", "proposed"]
# Column names as XLSForm writes them: "label::English (en)".
LANGUAGE_NAMES = {"en": "English", "ur": "Urdu"}


def theme_header(survey: Survey) -> list[str]:
    languages = [f"{LANGUAGE_NAMES.get(lang, lang)} ({lang})" for lang in survey.languages]
    return [
        "question", "recommendation", "code", *(f"label::{name}" for name in languages),
        *(f"description::{name}" for name in languages),
    ]  # fmt: skip


def theme_rows(survey: Survey, themes: list[Theme]) -> Iterator[Row]:
    for t in themes:
        yield [
            t.question.code if t.question else "",
            t.recommendation.code if t.recommendation else "",
            t.code,
            *(t.label.get(lang, "") for lang in survey.languages),
            *(t.description.get(lang, "") for lang in survey.languages),
        ]


def assignment_rows(session: Session, survey: Survey) -> Iterator[Row]:
    """One row per comment of a themed question."""
    themes = survey_themes(session, survey)
    codes = {t.id: t.code for t in themes}
    themed = [q for q in survey.ordered_questions() if themes_by_question(survey, themes).get(q.id)]
    a, r, t = Answer.__table__.c, Response.__table__.c, ThemeAssignment.__table__.c
    rv = ThemeReview.__table__.c
    for question in themed:
        given: dict[int, dict[str, list[str]]] = {}
        stmt = (
            select(t.answer_id, t.source, t.theme_id)
            .join(Answer, a.id == t.answer_id)
            .where(a.question_id == question.id)
            .order_by(t.answer_id, t.score.desc(), t.theme_id)
        )
        for aid, source, tid in session.execute(stmt):
            given.setdefault(aid, {}).setdefault(source, []).append(codes[tid])
        reviewed = set(
            session.scalars(
                select(rv.answer_id)
                .join(Answer, a.id == rv.answer_id)
                .where(a.question_id == question.id)
            )
        )
        stmt2 = (
            select(a.id, r.public_id, a.value)
            .join(Response, r.id == a.response_id)
            .where(a.question_id == question.id)
            .order_by(r.public_id)
        )
        for aid, public_id, value in session.execute(stmt2):
            if not value.strip():
                continue
            mine = given.get(aid, {})
            if aid in reviewed:
                yield [public_id, question.code, " ".join(mine.get(Source.reviewed, [])),
                       Source.reviewed.value, " ".join(mine.get(Source.machine, []))]  # fmt: skip
            else:
                yield [public_id, question.code, " ".join(mine.get(Source.machine, [])),
                       Source.machine.value, ""]  # fmt: skip


def write_export(session: Session, survey: Survey, target: str | IO[bytes]) -> int:
    """Write the workbook; how many comments it lists."""
    book = workbook(target)
    themes = SheetWriter(book, "themes", rtl=False)
    themes.header(theme_header(survey))
    for row in theme_rows(survey, survey_themes(session, survey)):
        themes.write(row)
    sheet = SheetWriter(book, "Assignments", rtl=False)
    sheet.header(ASSIGNMENT_COLUMNS)
    count = 0
    for row in assignment_rows(session, survey):
        sheet.write(row)
        count += 1
    book.close()
    return count
