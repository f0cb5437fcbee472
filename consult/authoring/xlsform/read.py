"""Reading an XLSForm workbook safely into plain rows: the limits come before any parsing.

The size and zip checks of ``uploads`` run first (zip bombs); openpyxl parses XML through
defusedxml (billion laughs, external entities). The workbook is opened once; a sheet that claims
a million rows because of stray formatting is read only to its last non-empty row (reading
stops after a long run of empty rows, and within FORM_LIMITS whatever). A formula whose saved
value is missing is refused: its text would otherwise vanish.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any

from defusedxml.ElementTree import iterparse

from consult.problems import Problem, Refusal
from consult.spreadsheets.uploads import MB, Limits, UploadError, open_workbook, sheet_rows

# The sheets consult reads; others (pyxform's "columns", notes, ...) are left alone.
SHEETS = ("survey", "choices", "settings", "recommendations", "consult_texts")
# Reading stops after this many empty rows in a row: what follows is formatting, not content.
EMPTY_RUN = 200
# An XLSForm is a few hundred rows of short texts: its bounds are tight, so a hostile workbook
# is refused before it costs more than a fraction of a second.
FORM_LIMITS = Limits(size=5 * MB, strings=1 * MB, member=10 * MB, rows=20_000, columns=200)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# The longest text a cell may hold (labels, hints, expressions).
MAX_CELL = 20_000


# pyxform's "jr:" spellings of the message columns.
JR_ALIASES = {"jr:constraintmsg": "constraint_message", "jr:requiredmsg": "required_message"}


class XLSFormError(Refusal):
    """The form cannot be imported; each message names the sheet, the row and the reason."""

    def __init__(self, message: str | list[str]) -> None:
        messages = [message] if isinstance(message, str) else message
        super().__init__([Problem(text, field="file") for text in messages])


@dataclass
class Row:
    number: int  # as Excel shows it
    cells: dict[str, str]  # normalised column name → text ("" when empty)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Book:
    # Sheet name (lower case) → rows below the header.
    sheets: dict[str, list[Row]] = field(default_factory=dict)
    # Sheet name → normalised column names, in order.
    columns: dict[str, list[str]] = field(default_factory=dict)


def normalise_column(name: str) -> str:
    """Column names in any case; "list name" is "list_name"; "label:English" is "label::English";
    "jr:constraintMsg" is "constraint_message" (the language part keeps its spelling: it may
    carry a code in parentheses).
    """
    name = name.strip()
    for alias, column in JR_ALIASES.items():  # "jr:" is a prefix, not a language separator
        if name.lower().startswith(alias):
            rest = name[len(alias) :]
            return column + (f"::{rest.lstrip(':').strip()}" if rest.startswith(":") else "")
    head, sep, lang = name.partition("::") if "::" in name else name.partition(":")
    head = re.sub(r"\s+", "_", head.strip().lower())
    head = {"requiredmsg": "required_message", "constraintmsg": "constraint_message"}.get(
        head, head
    )
    return f"{head}::{lang.strip()}" if sep else head


def read_book(data: bytes) -> Book:
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it drops (extensions, data validation):
        # none of them carries form content.
        warnings.simplefilter("ignore", UserWarning)
        return _read_book(data)


def _read_book(data: bytes) -> Book:
    if not data:
        raise XLSFormError("The file is empty.")
    if len(data) > FORM_LIMITS.size:
        raise XLSFormError(f"The file is larger than {FORM_LIMITS.size // MB} MB.")
    try:
        workbook = open_workbook(data, FORM_LIMITS)  # opened once, with the saved values
    except UploadError as error:
        raise XLSFormError(f"{error} Save the form as an Excel workbook (.xlsx).") from None
    try:
        book = Book()
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            if name in SHEETS and name not in book.sheets:
                book.columns[name], book.sheets[name] = _read_sheet(data, sheet, name)
        first = workbook.worksheets[0] if workbook.worksheets else None
        if "survey" not in book.sheets and first is not None:
            # pyxform reads a lone first sheet of any name as the survey ("Sheet1").
            columns, rows = _read_sheet(data, first, "survey")
            if {"type", "name"} <= set(columns):
                book.sheets["survey"], book.columns["survey"] = rows, columns
    finally:
        workbook.close()
    return book


def _read_sheet(data: bytes, sheet: Any, name: str) -> tuple[list[str], list[Row]]:
    _refuse_unsaved_formulas(data, sheet, name)
    header: list[str] | None = None
    rows: list[Row] = []
    empty = 0
    try:
        for number, cells in enumerate(sheet_rows(sheet, FORM_LIMITS), start=1):
            texts = [_text(v, name, number) for v in cells]
            if not any(texts):
                empty += 1
                if empty >= EMPTY_RUN:
                    break
                continue
            empty = 0
            if header is None:
                header = [normalise_column(t) for t in texts]
                while header and not header[-1]:
                    header.pop()
                continue
            rows.append(Row(number, {h: t for h, t in zip(header, texts, strict=False) if h}))
    except UploadError as error:
        raise XLSFormError(f"Sheet {name}: {error}") from None
    return header or [], rows


def _refuse_unsaved_formulas(data: bytes, sheet: Any, name: str) -> None:
    """A formula without its saved value would read as an empty cell: refuse it instead.

    The workbook is opened with saved values only; the sheet's own XML is scanned for formula
    cells without a value (the zip checks have bounded its size already).
    """
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as part:
        for _event, element in iterparse(part, events=("end",)):
            if element.tag == f"{MAIN}c":
                formula, saved = element.find(f"{MAIN}f"), element.find(f"{MAIN}v")
                if formula is not None and (saved is None or not saved.text):
                    row = re.sub(r"^[A-Z]+", "", element.get("r", ""))
                    raise XLSFormError(
                        f"Sheet {name}, row {row}: a formula ({(formula.text or '')[:40]})"
                        " has no saved value. Open the file in Excel or LibreOffice, save it,"
                        " and upload it again."
                    )
                element.clear()


def _text(value: Any, sheet: str, row: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10]
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise XLSFormError(
            f"Sheet {sheet}, row {row}: a cell holds {len(text):,} characters"
            f" (at most {MAX_CELL:,})."
        )
    return text
