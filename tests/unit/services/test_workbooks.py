"""The sanitising writer: text stays text, whatever respondents type."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.services.exports import Table
from consult.services.workbooks import EXCEL_CELL_LIMIT, clean_text, needs_quote_prefix, write_raw


def _write(tmp_path, rows, rtl=False):
    path = tmp_path / "t.xlsx"
    table = Table(headers=["a", "b", "c"], rows=iter(rows), count=len(rows))
    book = Table(headers=["column"], rows=iter([["a"]]), count=1)
    write_raw(str(path), table, book, rtl=rtl)
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize(
    "text", ["=1+1", "+92 300", "-5", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("http://x","y")']
)
def test_formula_like_text_is_a_quote_prefixed_string(tmp_path, text):
    cell = _write(tmp_path, [[text, None, None]])["Responses"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == clean_text(text)
    # Either the trigger is marked as text, or it was a control character and is gone (\r).
    assert cell.quotePrefix or not needs_quote_prefix(cell.value)
    assert cell.quotePrefix == needs_quote_prefix(clean_text(text))
    assert cell.hyperlink is None


def test_numbers_dates_and_plain_text_keep_their_types(tmp_path):
    when = datetime(2026, 11, 25)
    sheet = _write(tmp_path, [["plain", 4, when]])["Responses"]
    assert sheet["A2"].value == "plain" and not sheet["A2"].quotePrefix
    assert sheet["B2"].value == 4 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == when


def test_right_to_left_sheets(tmp_path):
    book = _write(tmp_path, [["اردو", None, None]], rtl=True)
    assert book["Responses"].sheet_view.rightToLeft and book["Codebook"].sheet_view.rightToLeft


def test_over_long_text_is_cut_visibly_not_silently():
    text = "x" * 40_000
    cleaned = clean_text(text)
    assert len(cleaned) <= EXCEL_CELL_LIMIT
    assert cleaned.endswith("[… cut: 40000 characters in all]")


def test_needs_quote_prefix_only_for_formula_triggers():
    assert needs_quote_prefix("=x") and needs_quote_prefix("@x")
    assert not needs_quote_prefix("x=y") and not needs_quote_prefix("اردو")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_any_text_writes_and_reads_back_as_its_cleaned_self(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("h")
    cell = _write(path, [[text, None, None]])["Responses"]["A2"]
    expected = clean_text(text)
    assert (cell.value or "") == expected
