"""Writing the raw tables to .xlsx safely and in constant memory, behind one small interface.

``write_raw`` picks an engine: ``stream`` (consult's own SpreadsheetML writer, the default: about
six times faster than xlsxwriter on the raw export, see bench/export.py) or ``xlsxwriter`` (the
well-kept library, kept as the fallback and as the reference the tests compare against). Both
keep the same guarantees: text is always a string cell, formula-looking text is quote-prefixed,
characters XML cannot carry are removed, over-long text is cut with a visible mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from itertools import chain, islice
from typing import IO, Any, Literal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from consult.spreadsheets.sanitise import (
    CUT_MARK,
    EXCEL_CELL_LIMIT,
    FORMULA_TRIGGERS,
    clean_text,
    needs_quote_prefix,
)
from consult.spreadsheets.tables import Row, Table
from consult.spreadsheets.xlsxstream import StreamWorkbook

__all__ = [
    "CUT_MARK",
    "EXCEL_CELL_LIMIT",
    "FORMULA_TRIGGERS",
    "Engine",
    "SheetWriter",
    "clean_text",
    "needs_quote_prefix",
    "workbook",
    "write_raw",
]

# The media type of every .xlsx consult sends.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Engine = Literal["stream", "xlsxwriter"]
# Zip64 only when needed: older Excel versions warn about it on small files.
ZIP64_ROWS = 500_000
# Column widths are fitted to the header and to this many first rows, within these bounds
# (in characters): a date never shows as "###", a long answer does not make a column a page wide.
SAMPLE_ROWS, NARROWEST, WIDEST = 200, 8.0, 50.0


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16  # yyyy-mm-dd hh:mm
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(headers: list[str], sample: Iterable[Row]) -> list[float]:
    """Widths for the columns: the longest of the header and the sample's cells, bounded."""
    longest = [len(h) for h in headers]
    for row in sample:
        for col, value in enumerate(row[: len(longest)]):
            longest[col] = max(longest[col], _width(value))
    return [min(max(NARROWEST, n + 2.0), WIDEST) for n in longest]


def _sampled(table: Table) -> tuple[list[float], Table]:
    """The table's fitted widths, and the table with its first rows put back in front."""
    sample = list(islice(table.rows, SAMPLE_ROWS))
    rows = chain(sample, table.rows)
    return fitted_widths(table.headers, sample), Table(table.headers, rows, table.count)


class SheetWriter:
    """Writes rows to one xlsxwriter worksheet, sanitising every string."""

    def __init__(self, workbook: Any, name: str, rtl: bool) -> None:
        self.sheet: Worksheet = workbook.add_worksheet(name)
        if rtl:
            self.sheet.right_to_left()
        self.text_fmt = workbook.add_format({"quote_prefix": True})
        self.date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.day_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.header_fmt = workbook.add_format({"bold": True, "bottom": 1})
        self.row = 0

    def header(self, headers: list[str]) -> None:
        for col, name in enumerate(headers):
            self._string(col, name, self.header_fmt)
        self.sheet.freeze_panes(1, 0)
        self.row += 1

    def write(self, values: Row) -> None:
        sheet, row = self.sheet, self.row
        for col, value in enumerate(values):
            if value is None:
                continue
            if type(value) is str:
                self._string(col, value, None)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, value, self.date_fmt)
            elif isinstance(value, date):
                sheet.write_datetime(row, col, value, self.day_fmt)
            else:
                sheet.write_number(row, col, value)
        self.row += 1

    def _string(self, col: int, value: str, fmt: Any) -> None:
        value = clean_text(value)
        if fmt is None and needs_quote_prefix(value):
            fmt = self.text_fmt
        self.sheet.write_string(self.row, col, value, fmt)


def workbook(target: str | IO[bytes], large: bool = False) -> Any:
    """A streaming xlsxwriter workbook: rows go to disk as written (constant_memory)."""
    return xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "use_zip64": large,
            "default_date_format": "yyyy-mm-dd",
        },
    )


def write_raw(
    target: str | IO[bytes],
    responses: Table,
    codebook: Table,
    rtl: bool = False,
    progress: Callable[[int], None] | None = None,
    engine: Engine = "stream",
) -> None:
    """The raw workbook: sheet ``Responses`` then ``Codebook`` (the workbook contract)."""
    large = responses.count > ZIP64_ROWS
    widths, responses = _sampled(responses)
    if engine == "stream":
        book = StreamWorkbook(target, large=large)
        book.write_sheet(
            "Responses", responses.headers, responses.rows, rtl, widths=widths, progress=progress
        )
        book.write_sheet(
            "Codebook", codebook.headers, codebook.rows, rtl, widths=_codebook_widths(codebook)
        )
        book.close()
        return
    _write_raw_xlsxwriter(target, responses, codebook, rtl, progress, large, widths)


def _codebook_widths(codebook: Table) -> list[float]:
    # The codebook is read by people: give the question texts room.
    return [
        40.0 if name.startswith("label::") or name == "values" else 18.0
        for name in codebook.headers
    ]


def _write_raw_xlsxwriter(
    target: str | IO[bytes],
    responses: Table,
    codebook: Table,
    rtl: bool,
    progress: Callable[[int], None] | None,
    large: bool,
    widths: list[float],
) -> None:
    book = workbook(target, large=large)
    for name, table, report in (("Responses", responses, progress), ("Codebook", codebook, None)):
        writer = SheetWriter(book, name, rtl)
        writer.header(table.headers)
        if table is responses:
            writer.sheet.autofilter(0, 0, max(table.count, 1), len(table.headers) - 1)
            for col, width in enumerate(widths):
                writer.sheet.set_column(col, col, width)
        for done, row in enumerate(table.rows, start=1):
            writer.write(row)
            if report is not None and done % 500 == 0:
                report(500)
        if report is not None:
            report(writer.row - 1 - (writer.row - 1) // 500 * 500)
    book.close()
