"""XLSForm as services: reading a workbook within bounds, converting rows to a definition,
writing a survey back, and which question type an XLSForm type reads as."""

from __future__ import annotations

import io

import openpyxl
import pytest

from consult.authoring.xlsform.convert import import_xlsform, language_code, slugify
from consult.authoring.xlsform.read import XLSFormError, normalise_column, read_book
from consult.authoring.xlsform.write import write_xlsform
from consult.problems import Refusal
from consult.surveys.questions import type_for_xlsform
from tests import factories


def _book(survey_rows, choices=(), settings=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey_rows:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    if settings:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_xlsform_type_names_read_as_the_type_that_claims_them():
    assert type_for_xlsform("select_one", set()).name == "single_choice"
    assert type_for_xlsform("select_one", {"likert"}).name == "scale"
    assert type_for_xlsform("text", {"multiline"}).name == "long_text"
    assert type_for_xlsform("text", set()).name == "short_text"
    assert type_for_xlsform("int", set()).name == "integer"
    assert type_for_xlsform("osm", set()) is None  # no type claims it


def test_columns_and_languages_are_read_as_xlsform_writes_them():
    assert normalise_column(" List Name ") == "list_name"
    assert normalise_column("label:Urdu (ur)") == "label::Urdu (ur)"
    assert normalise_column("jr:constraintMsg") == "constraint_message"
    assert language_code("English (en)") == "en" and language_code("Urdu") == "ur"
    assert slugify("My Form: 2026!") == "my-form-2026"


def test_a_small_form_becomes_a_draft_survey(session):
    data = _book(
        [["type", "name", "label::English (en)", "label::Urdu (ur)", "required"],
         ["select_one yn", "works", "Do you work?", "کیا آپ کام کرتے ہیں؟", "yes"],
         ["integer", "age", "Age", "عمر", ""]],
        [["list_name", "name", "label::English (en)", "label::Urdu (ur)"],
         ["yn", "yes", "Yes", "جی ہاں"], ["yn", "no", "No", "جی نہیں"]],
        [["form_id", "default_language"], ["my_form", "English (en)"]],
    )  # fmt: skip
    imported = import_xlsform(session, data)
    survey = imported.survey
    assert survey.slug == "my-form" and survey.languages == ["en", "ur"]
    works = next(q for q in survey.questions if q.code == "works")
    assert works.type == "single_choice" and works.required
    assert [c.code for c in works.choices] == ["yes", "no"]
    assert works.label["ur"] == "کیا آپ کام کرتے ہیں؟"


def test_what_consult_cannot_hold_is_refused_with_its_place(session):
    data = _book([["type", "name", "label"], ["begin repeat", "people", "People"],
                  ["text", "who", "Who?"], ["end repeat", "", ""]])  # fmt: skip
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(session, data)
    assert "sheet survey, row 2" in str(refused.value)
    assert isinstance(refused.value, Refusal)


def test_bounds_on_what_is_read():
    with pytest.raises(XLSFormError, match="empty"):
        read_book(b"")
    with pytest.raises(XLSFormError):
        read_book(b"PK\x03\x04 not really a zip")


def test_a_survey_written_as_xlsform_reads_back(session):
    survey = factories.small(session)
    target = io.BytesIO()
    write_xlsform(survey, target)
    book = read_book(target.getvalue())
    assert {"survey", "choices", "settings"} <= set(book.sheets)
    kinds = {row.get("name"): row.get("type") for row in book.sheets["survey"]}
    assert kinds["agree"].startswith("select_one ")
    assert kinds["comment"] == "text" and kinds["years"] == "integer"
    again = import_xlsform(session, target.getvalue(), slug="small-again").survey
    assert [q.code for q in again.ordered_questions()] == [
        q.code for q in survey.ordered_questions()
    ]
