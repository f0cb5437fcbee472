"""pyxform beside consult over two corpora of XLSForms written outside consult: pyxform's own
fixtures (../shared/xlsform-corpus) and forms written as KoboToolbox users write them
(tests/authoring/xlsform-corpus: metadata rows, capitalised names, Urdu labels, calculations,
cascading province → district → tehsil lists).

Every workbook pyxform converts imports into consult by default, unless it needs what consult
cannot hold without losing answers; those are refused naming the sheet, the row and the feature.
None may crash, hang or import silently wrong.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from consult.authoring.xlsform.convert import import_xlsform
from consult.authoring.xlsform.read import XLSFormError
from consult.surveys.cascades import allowed_codes

pyxform = pytest.importorskip("pyxform.xls2xform")

SHARED = Path(__file__).resolve().parents[3] / "shared" / "xlsform-corpus"
OURS = Path(__file__).resolve().parent / "xlsform-corpus"
FILES = sorted(SHARED.glob("*.xlsx")) if SHARED.is_dir() else []
FILES += sorted(OURS.glob("*.xlsx"))

# The workbooks consult refuses although pyxform converts them, and why: (sheet and row, feature).
REFUSED = {
    "attribute_columns_test.xlsx": ("sheet survey, row 15", "repeats"),
    "xlsform_spec_test.xlsx": ("sheet survey, row 15", "repeats"),
    "loop.xlsx": ("sheet survey, row 3", "repeats"),
    "kobo_repeat.xlsx": ("sheet survey, row 2", "repeats"),
    "pull_data.xlsx": ("sheet survey, row 2", "pulldata()"),
    # pyxform does not read calculations; ODK Validate, Enketo and consult refuse this one:
    # "because pyxform doesn't know what to do" is not an expression.
    "bad_calc.xlsx": ("sheet survey, row 2", "calculation"),
}
# pyxform refuses it too (the form it includes is not in the workbook).
BOTH_REFUSE = {"include.xlsx": ("sheet survey, row 3", "included forms")}
# (questions, choices) consult holds, counted by hand from the workbook.
COUNTS = {
    "ODKValidateWarnings.xlsx": (3, 0),
    "flat_xlsform_test.xlsx": (41, 18),  # every question row but image, audio and video
    "choice_filter_test.xlsx": (3, 13),  # "king" twice in one list: one choice, two filters
    "extra_columns.xlsx": (1, 0),
    "extra_sheet_names.xlsx": (1, 0),
    "field-list.xlsx": (1, 2),
    "group.xlsx": (3, 0),
    "or_other.xlsx": (2, 11),
    "specify_other.xlsx": (1, 3),  # two sexes and the "other" that "or specify other" adds
    "survey_no_name.xlsx": (1, 0),
    "text_and_integer.xlsx": (2, 0),
    "yes_or_no_question.xlsx": (1, 2),
    "kobo_household.xlsx": (8, 2),  # start, end, today, 2 integers, a calculation, Q1, Q1_Work
    "kobo_cascade.xlsx": (3, 12),
    "kobo_consultation.xlsx": (5, 13),
    "kobo_calculations.xlsx": (6, 0),
    "kobo_capitals.xlsx": (4, 4),
    "kobo_media.xlsx": (2, 2),  # the image and audio rows are left out with a warning
    "kobo_nested.xlsx": (4, 2),
    "kobo_or_other.xlsx": (2, 6),
    "kobo_legacy.xlsx": (2, 4),
    "kobo_times_places.xlsx": (6, 0),
}


def pyxform_converts(path: Path) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pyxform.convert(xlsform=str(path), validate=False)
        except Exception:  # noqa: BLE001 - any failure is pyxform refusing the form
            return False
    return True


def test_both_corpora_are_here():
    assert len(FILES) >= 29 or not SHARED.is_dir()
    assert len(list(OURS.glob("*.xlsx"))) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_pyxform_beside_consult(path, session):
    converts = pyxform_converts(path)
    refused = REFUSED.get(path.name) or BOTH_REFUSE.get(path.name)
    assert converts == (path.name not in BOTH_REFUSE), "pyxform's verdict changed"
    data = path.read_bytes()
    if refused:
        with pytest.raises(XLSFormError) as refusal:
            import_xlsform(session, data, fallback_name=path.stem)
        place, feature = refused
        first = refusal.value.messages()[0]
        assert first.startswith(place)
        assert feature in str(refusal.value)
        return
    imported = import_xlsform(session, data, fallback_name=path.stem)
    survey = imported.survey
    questions, choices = COUNTS[path.name]
    assert len(survey.questions) == questions
    assert sum(len(q.choices) for q in survey.questions) == choices
    for warning in imported.warnings:
        assert re.match(r"sheet \w+, row \d+( \([^)]*\))?: ", warning)


def test_every_problem_is_listed_at_once(session):
    path = SHARED / "attribute_columns_test.xlsx"
    if not path.exists():
        pytest.skip("the shared corpus is not checked out next to the project")
    with pytest.raises(XLSFormError) as refusal:
        import_xlsform(session, path.read_bytes())
    assert "repeats" in str(refusal.value)


def by_code(survey):
    return {q.code: q for q in survey.questions}


def test_kobo_forms_import_as_written(session):
    household = import_xlsform(session, (OURS / "kobo_household.xlsx").read_bytes())
    found = by_code(household.survey)
    assert [found[c].type for c in ("start", "end", "today", "Adults")] == [
        "start",
        "end",
        "today",
        "calculate",
    ]
    assert found["HH_Size"].label == {"en": "How many people live here?",
                                      "ur": "یہاں کتنے لوگ رہتے ہیں؟"}  # fmt: skip
    assert found["Q1_Work"].settings["relevant"] == "${Q1} = 'yes'"
    assert any("deviceid" in w for w in household.warnings)

    capitals = by_code(import_xlsform(session, (OURS / "kobo_capitals.xlsx").read_bytes()).survey)
    assert {"_consent", "Q1", "q1", "HH-Size.v2"} <= set(capitals)

    consultation = import_xlsform(session, (OURS / "kobo_consultation.xlsx").read_bytes()).survey
    found = by_code(consultation)
    assert found["R1_Agree"].type == "scale" and found["R1_Agree"].recommendation.code == "R1"
    assert found["R2_Why"].recommendation.code == "R2"
    assert found["Group"].role == "group" and [g.code for g in consultation.groups] == [
        "media",
        "ulema",
    ]


def test_cascading_lists_narrow_on_the_server(session):
    survey = import_xlsform(session, (OURS / "kobo_cascade.xlsx").read_bytes()).survey
    found = by_code(survey)
    assert allowed_codes(found["district"], {"province": "PB"}) == {"LHR", "RWP"}
    assert allowed_codes(found["tehsil"], {"province": "PB", "district": "LHR"}) == {
        "LHR_C",
        "LHR_M",
    }
    assert allowed_codes(found["tehsil"], {}) == set()
    texas = import_xlsform(session, (SHARED / "choice_filter_test.xlsx").read_bytes()).survey
    county = by_code(texas)["county"]
    assert allowed_codes(county, {"state": "texas"}) == {"king", "cameron"}
    assert allowed_codes(county, {"state": "washington"}) == {"king", "pierce"}


def test_skipping_lists_each_left_out_row(session):
    path = SHARED / "loop.xlsx"
    if not path.exists():
        pytest.skip("the shared corpus is not checked out next to the project")
    imported = import_xlsform(session, path.read_bytes(), skip_unsupported=True)
    assert imported.skipped and all(
        re.match(r"sheet \w+, row \d+: .+not supported", m) for m in imported.skipped
    )
    assert [q.code for q in imported.survey.questions] == ["available_toilet_types"]
