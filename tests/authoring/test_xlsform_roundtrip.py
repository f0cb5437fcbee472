"""Export then import gives the same survey: questions, types, choices, labels in every language,
rules and tags (the NISP consultation, and a survey using every type)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from consult.authoring.definitions import builtin_definition, create_survey
from consult.authoring.xlsform.convert import import_xlsform
from consult.authoring.xlsform.read import XLSFormError
from consult.authoring.xlsform.write import write_xlsform
from consult.surveys.models import Survey, SurveyState
from tests import factories


def shape(survey: Survey) -> dict:
    """Everything a survey means, without database ids or its slug."""
    return {
        "languages": survey.languages,
        "texts": (survey.title, survey.description, survey.thanks, survey.anonymous, survey.k_min),
        "groups": [(g.code, g.label) for g in survey.groups],
        "recommendations": [(r.code, r.label, r.description) for r in survey.recommendations],
        "sections": [(s.code, s.title, s.intro) for s in survey.sections],
        "questions": [
            {
                "section": q.section.code,
                "code": q.code,
                "type": q.type,
                "role": q.role,
                "required": q.required,
                "label": q.label,
                "hint": q.hint,
                "settings": q.settings,
                "options": q.options(),
                "recommendation": q.recommendation.code if q.recommendation else None,
            }
            for q in survey.ordered_questions()
        ],
    }


def round_trip(session, survey: Survey, slug: str) -> Survey:
    buffer = io.BytesIO()
    write_xlsform(survey, buffer)
    return import_xlsform(session, buffer.getvalue(), slug=slug).survey


@pytest.mark.parametrize("which", ["nisp", "every_type"])
def test_export_then_import_gives_the_same_survey(session, which):
    definition = builtin_definition() if which == "nisp" else factories.every_type_definition()
    original = create_survey(session, definition, SurveyState.open)
    again = round_trip(session, original, f"{original.slug}-again")
    assert again.state == SurveyState.draft
    assert shape(again) == shape(original)
    # And once more: the export of the import is the same workbook content.
    third = round_trip(session, again, f"{original.slug}-third")
    assert shape(third) == shape(original)


def test_the_export_is_plain_xlsform_with_text_cells(session):
    survey = factories.every_type(session)
    survey.questions[0].label = {"en": '=HYPERLINK("http://evil")', "ur": "گروہ"}
    buffer = io.BytesIO()
    write_xlsform(survey, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert [s.title for s in book.worksheets] == [
        "survey",
        "choices",
        "recommendations",
        "settings",
        "consult_texts",
    ]
    header = [c.value for c in book["survey"][1]]
    assert header[:4] == ["type", "name", "label::English (en)", "label::Urdu (ur)"]
    cell = book["survey"]["C3"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    types = [row[0] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert "select_multiple tools or_other" in types and "acknowledge" in types
    assert "select_one agree" in types  # the 5-point scale, a likert list


def pyxform_converts(data: bytes, tmp_path) -> None:
    """Raises when pyxform (the converter KoboToolbox and ODK use) refuses the workbook."""
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    path = tmp_path / "form.xlsx"
    path.write_bytes(data)
    xls2xform.convert(xlsform=str(path), validate=False)


CORPUS = Path(__file__).resolve().parent / "xlsform-corpus"


@pytest.mark.parametrize(
    "which", ["nisp", "every_type", *sorted(p.name for p in CORPUS.glob("kobo_*.xlsx"))]
)
def test_every_export_converts_with_pyxform_and_round_trips(session, tmp_path, which):
    if which == "nisp":
        original = create_survey(session, builtin_definition(), SurveyState.open)
    elif which == "every_type":
        original = create_survey(session, factories.every_type_definition(), SurveyState.open)
    else:
        try:
            original = import_xlsform(session, (CORPUS / which).read_bytes()).survey
        except XLSFormError:
            pytest.skip(f"{which} is refused (see test_xlsform_corpus)")
    buffer = io.BytesIO()
    write_xlsform(original, buffer)
    pyxform_converts(buffer.getvalue(), tmp_path)
    again = import_xlsform(session, buffer.getvalue(), slug=f"{original.slug}-again").survey
    assert shape(again) == shape(original)
