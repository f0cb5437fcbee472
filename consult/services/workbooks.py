"""Writing tables to .xlsx safely and in constant memory.

Every string is written as a string cell: never as a formula, a number or a hyperlink. Text that
a spreadsheet could still take for a formula once edited or saved as CSV (a leading = + - @,
tab, CR or LF, per OWASP) gets Excel's quote-prefix style, which keeps the value exact but marks
it as text. Characters XML cannot carry are removed, so no answer can break a workbook.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .exports import Row, Table

# C0 controls except tab and line feed, DEL, C1 controls, and the XML non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel refuses longer cell text; longer answers are cut and say so in the cell itself.
EXCEL_CELL_LIMIT = 32_767
CUT_MARK = " [… cut: {} characters in all]"


def clean_text(value: str) -> str:
    """The text without control characters, and no longer than a cell can hold (with a mark)."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n"))
    if len(value) > EXCEL_CELL_LIMIT:
        mark = CUT_MARK.format(len(value))
        value = value[: EXCEL_CELL_LIMIT - len(mark)] + mark
    return value


def needs_quote_prefix(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


class SheetWriter:
    """Writes rows to one worksheet, sanitising every string."""

    def __init__(self, workbook: Any, name: str, rtl: bool) -> None:
        self.sheet: Worksheet = workbook.add_worksheet(name)
        if rtl:
            self.sheet.right_to_left()
        self.text_fmt = workbook.add_format({"quote_prefix": True})
        self.date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
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
            else:
                sheet.write_number(row, col, value)
        self.row += 1

    def _string(self, col: int, value: str, fmt: Any) -> None:
        value = clean_text(value)
        if fmt is None and needs_quote_prefix(value):
            fmt = self.text_fmt
        self.sheet.write_string(self.row, col, value, fmt)


def workbook(target: str | IO[bytes], large: bool = False) -> Any:
    """A streaming workbook: rows go to disk as written (constant_memory), never re-read."""
    return xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            # Zip64 only when needed: older Excel versions warn about it on small files.
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
) -> None:
    """The raw workbook: sheet ``Responses`` then ``Codebook`` (the workbook contract)."""
    book = workbook(target, large=responses.count > 500_000)
    for name, table, report in (("Responses", responses, progress), ("Codebook", codebook, None)):
        writer = SheetWriter(book, name, rtl)
        writer.header(table.headers)
        if table is responses:
            writer.sheet.autofilter(0, 0, max(table.count, 1), len(table.headers) - 1)
        for done, row in enumerate(table.rows, start=1):
            writer.write(row)
            if report is not None and done % 500 == 0:
                report(500)
        if report is not None:
            report(writer.row - 1 - (writer.row - 1) // 500 * 500)
    book.close()
