"""The sanitising writer: text stays text, whatever respondents type."""

from __future__ import annotations

import zipfile
from datetime import datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from consult.spreadsheets.tables import Table
from consult.spreadsheets.workbooks import (
    EXCEL_CELL_LIMIT,
    clean_text,
    needs_quote_prefix,
    write_raw,
)

ENGINES = ["stream", "xlsxwriter"]


@pytest.fixture(params=ENGINES)
def engine(request):
    """Both raw writers keep every guarantee: consult's own, and xlsxwriter as the fallback."""
    return request.param


def _write(tmp_path, rows, rtl=False, engine="stream"):
    path = tmp_path / "t.xlsx"
    table = Table(headers=["a", "b", "c"], rows=iter(rows), count=len(rows))
    book = Table(headers=["column"], rows=iter([["a"]]), count=1)
    write_raw(str(path), table, book, rtl=rtl, engine=engine)
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize(
    "text", ["=1+1", "+92 300", "-5", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("http://x","y")']
)
def test_formula_like_text_is_a_quote_prefixed_string(tmp_path, text, engine):
    cell = _write(tmp_path, [[text, None, None]], engine=engine)["Responses"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == clean_text(text)
    # Either the trigger is marked as text, or it was a control character and is gone (\r).
    assert cell.quotePrefix or not needs_quote_prefix(cell.value)
    assert cell.quotePrefix == needs_quote_prefix(clean_text(text))
    assert cell.hyperlink is None


def test_numbers_dates_and_plain_text_keep_their_types(tmp_path, engine):
    when = datetime(2026, 11, 25, 14, 30)
    sheet = _write(tmp_path, [["plain", 4, when]], engine=engine)["Responses"]
    assert sheet["A2"].value == "plain" and not sheet["A2"].quotePrefix
    assert sheet["B2"].value == 4 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == when


def test_right_to_left_sheets(tmp_path, engine):
    book = _write(tmp_path, [["اردو", None, None]], rtl=True, engine=engine)
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
@given(st.text(min_size=1, max_size=200), st.sampled_from(ENGINES))
def test_any_text_writes_and_reads_back_as_its_cleaned_self(tmp_path_factory, text, engine):
    path = tmp_path_factory.mktemp("h")
    cell = _write(path, [[text, None, None]], engine=engine)["Responses"]["A2"]
    expected = clean_text(text)
    assert (cell.value or "") == expected


def test_the_stream_writer_reads_back_everywhere_like_xlsxwriter(tmp_path):
    """Same table through both engines: identical cells in openpyxl and calamine."""
    rows = [
        ["ا" * 3, 1, 2.5, datetime(2026, 1, 2, 3, 4, 5), "a & b < c > d", None, True],
        [None, None, None, None, "=SUM(A1)", "  spaced  ", 0],
    ]
    read = {}
    for engine in ENGINES:
        path = tmp_path / f"{engine}.xlsx"
        table = Table(headers=list("abcdefg"), rows=iter(rows), count=2)
        write_raw(str(path), table, Table(["column"], iter([["x"]]), 1), engine=engine)
        cells = [[c.value for c in r] for r in openpyxl.load_workbook(path)["Responses"].rows]
        calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Responses")
        read[engine] = (cells, calamine.to_python())
    assert read["stream"] == read["xlsxwriter"]


def test_a_large_export_uses_zip64_only_past_half_a_million_rows(tmp_path):
    path = tmp_path / "z.xlsx"
    write_raw(str(path), Table(["a"], iter([[1]]), 1), Table(["c"], iter([]), 0))
    with zipfile.ZipFile(path) as package:
        assert all(info.extract_version < 45 for info in package.infolist())  # 45: zip64
