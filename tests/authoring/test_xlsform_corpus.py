"""Every XLSForm of the outside corpus (pyxform's fixtures) imports, or is refused with a message
naming the sheet, the row and the feature; none crashes, hangs or imports silently wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consult.authoring.xlsform.convert import import_xlsform
from consult.authoring.xlsform.read import XLSFormError

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "xlsform-corpus"
FILES = sorted(CORPUS.glob("*.xlsx")) if CORPUS.is_dir() else []

# What each file holds, counted by hand from the workbook: (questions, choices) consult keeps,
# or the feature (and row) it is refused for.
EXPECTED: dict[str, tuple[int, int] | str] = {
    "ODKValidateWarnings.xlsx": "sheet survey, row 3: phone numbers",
    "attribute_columns_test.xlsx": "sheet choices, row 4: media",
    "bad_calc.xlsx": "sheet survey, row 2: calculations",
    "choice_filter_test.xlsx": "sheet choices, row 6: the name 'king' is used twice",
    "extra_columns.xlsx": (1, 0),
    "extra_sheet_names.xlsx": (1, 0),
    "field-list.xlsx": (1, 2),
    "flat_xlsform_test.xlsx": "sheet choices, row 4: media",
    "group.xlsx": "sheet survey, row 4: phone numbers",
    "include.xlsx": "sheet survey, row 3: included forms",
    "loop.xlsx": "sheet survey, row 3: repeats",
    "or_other.xlsx": "sheet survey, row 3: choice filters",
    "pull_data.xlsx": "sheet survey, row 2: calculations",
    "specify_other.xlsx": (1, 3),  # two sexes and the "other" that "or specify other" adds
    "survey_no_name.xlsx": "no sheet named 'survey'",
    "text_and_integer.xlsx": (2, 0),
    "xlsform_spec_test.xlsx": "sheet choices, row 4: media",
    "yes_or_no_question.xlsx": (1, 2),
}


@pytest.mark.skipif(not FILES, reason="the corpus is not checked out next to the project")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_corpus_file_imports_or_is_refused_with_sheet_row_and_feature(path, session):
    expected = EXPECTED[path.name]
    data = path.read_bytes()
    if isinstance(expected, str):
        with pytest.raises(XLSFormError) as refused:
            import_xlsform(session, data, fallback_name=path.stem)
        message = str(refused.value)
        assert expected in message
        return
    survey = import_xlsform(session, data, fallback_name=path.stem).survey
    assert len(survey.questions) == expected[0]
    assert sum(len(q.choices) for q in survey.questions) == expected[1]


@pytest.mark.skipif(not FILES, reason="the corpus is not checked out next to the project")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_skipping_unsupported_features_lists_each_one_with_its_row(path, session):
    try:
        imported = import_xlsform(
            session, path.read_bytes(), fallback_name=path.stem, skip_unsupported=True
        )
    except XLSFormError as refused:  # still refused: not a feature one can leave out
        assert re.search(r"sheet \w+|no sheet", str(refused))
        return
    if isinstance(EXPECTED[path.name], str):
        assert imported.skipped, "refused strictly, so something must have been left out"
    for message in imported.skipped:
        assert re.match(r"sheet \w+, row \d+: .+not supported", message)
    assert imported.survey.questions
