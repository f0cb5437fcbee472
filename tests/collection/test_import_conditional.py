"""Imported rows obey skip logic: a required question that does not apply to a row is not
required, and an answer to a question that does not apply is refused with its row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from consult.authoring.definitions import create_survey
from consult.collection.imports import import_responses
from consult.collection.models import Answer, Response
from consult.problems import Refusal
from consult.surveys.columns import FIXED_COLUMNS
from consult.surveys.models import SurveyState

YES_NO = [{"code": "yes", "label": {"en": "Yes"}}, {"code": "no", "label": {"en": "No"}}]


@pytest.fixture
def survey(app, session):
    definition = {
        "slug": "conditional",
        "languages": ["en"],
        "title": {"en": "Work"},
        "sections": [
            {
                "code": "work",
                "questions": [
                    {"code": "works", "type": "single_choice", "required": True,
                     "label": {"en": "Do you work?"}, "choices": YES_NO},
                    {"code": "salary", "type": "integer", "required": True,
                     "relevant": "${works} = 'yes'", "label": {"en": "Salary"}},
                    {"code": "Hours", "type": "integer", "label": {"en": "Hours"}},
                    {"code": "Total", "type": "calculate", "label": {"en": "Total"},
                     "calculation": "${salary} * 12"},
                ],
            }
        ],
    }  # fmt: skip
    with app.app_context():
        yield create_survey(session, definition, SurveyState.open)


def _import(session, survey, source):
    return import_responses(session, survey, source)


def sheet(rows):
    book = openpyxl.Workbook()
    book.active.title = "Responses"
    book.active.append([*FIXED_COLUMNS, "works", "salary", "Hours", "Total"])
    for row in rows:
        book.active.append([None] * len(FIXED_COLUMNS) + row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_blank_where_a_question_does_not_apply_imports(app, session, survey):
    count = _import(session, survey, sheet([["no", None, 3, None], ["yes", 1000, None, None]]))
    assert count == 2
    values = {
        (r.public_id, a.question_id): a.value
        for r, a in session.execute(
            select(Response, Answer).join(Answer, Answer.response_id == Response.id)
            .where(Response.survey_id == survey.id)
        )
    }  # fmt: skip
    codes = {q.id: q.code for q in survey.questions}
    stored = sorted(sorted((codes[q], v) for (_, q), v in values.items() if _ == pid)
                    for pid in {p for p, _ in values})  # fmt: skip
    # The calculation is worked out from the row, whatever its cell says.
    assert stored == [[("Hours", "3"), ("works", "no")],
                      [("Total", "12000"), ("salary", "1000"), ("works", "yes")]]  # fmt: skip


def test_an_answer_to_a_question_that_does_not_apply_is_refused_by_row_and_column(
    app, session, survey
):
    with pytest.raises(Refusal) as refused:
        _import(session, survey, sheet([["yes", 10, None, None], ["no", 500, 2, None]]))
    assert [(p.where, p.field) for p in refused.value.problems] == [
        ("row 3, column salary", "salary")
    ]
    assert "does not apply" in refused.value.problems[0].message
    assert session.scalar(select(Response).where(Response.survey_id == survey.id)) is None


def test_a_required_question_that_applies_is_still_required(app, session, survey):
    with pytest.raises(Refusal) as refused:
        _import(session, survey, sheet([["yes", None, None, None]]))
    assert [p.where for p in refused.value.problems] == ["row 2, column salary"]
