"""Reading uploaded spreadsheets safely: every bound checked before, or while, anything is parsed.

An .xlsx is a zip of XML. Before openpyxl sees one, the zip directory is checked against the
endpoint's ``Limits``: the file's size, the unpacked size of all members and of each one, each
member's compression ratio, and the size of the shared-strings part (parsed whole when the
workbook opens, so a small file of highly compressible strings would otherwise keep a worker
busy for half a minute; ``xlsxread`` reads it as plain text, several times faster than
openpyxl's rich-text objects). openpyxl parses XML through defusedxml, which the project
installs (billion laughs, external entities). While reading, a sheet's claimed dimensions are
ignored (``reset_dimensions``), rows are cut at the limit's width, and reading stops with a
message past its number of rows — empty rows included, so a sheet whose last cell claims row
1,048,576 costs no more than the limit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from consult.problems import Problem, Refusal

MB = 1024 * 1024
STRINGS = "xl/sharedStrings.xml"


@dataclass(frozen=True)
class Limits:
    """What one kind of upload may hold (each endpoint has its own)."""

    size: int = 5 * MB  # the file as uploaded
    unpacked: int = 50 * MB  # all zip members together, unpacked
    member: int = 30 * MB  # any one member, unpacked
    strings: int = 2 * MB  # the shared strings, unpacked (parsed whole on opening)
    ratio: int = 100  # unpacked / packed, of the whole and of any member
    members: int = 200  # zip members
    rows: int = 100_000  # rows read, empty ones included
    columns: int = 50  # cells read per row


# An uploaded list of people to invite (distribution): a name, a contact and a group a row.
LIST_LIMITS = Limits()
MAX_UPLOAD = LIST_LIMITS.size


class UploadError(Refusal):
    """The file cannot be read; the message says why, in words for the person uploading
    (shown beside the form's file field)."""

    def __init__(self, message: str) -> None:
        super().__init__([Problem(message, field="file")])


class NotAWorkbook(UploadError):
    """The file is not an .xlsx workbook at all (as opposed to one that is too large)."""


@dataclass
class Sheet:
    header: list[str]
    rows: list[list[str]]  # every cell as text, "" when empty


def read_table(data: bytes, filename: str, limits: Limits = LIST_LIMITS) -> Sheet:
    """The first sheet of an .xlsx, or a .csv (UTF-8, with or without BOM)."""
    if len(data) > limits.size:
        raise UploadError(f"The file is larger than {limits.size // MB} MB.")
    if not data:
        raise UploadError("The file is empty.")
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv(data, limits)
    if name.endswith(".xlsx"):
        return _xlsx(data, limits)
    raise UploadError("Upload an .xlsx or .csv file.")


def check_zip(data: bytes, limits: Limits = LIST_LIMITS) -> None:
    """Refuse a workbook whose zip directory promises more work than its kind may take."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise NotAWorkbook("This is not a valid .xlsx file.") from None
    with archive:
        members = archive.infolist()
    total = sum(info.file_size for info in members)
    packed = sum(info.compress_size for info in members) or 1
    too_much = (
        len(members) > limits.members
        or total > limits.unpacked
        or total / packed > limits.ratio
        or any(info.file_size > limits.member for info in members)
        or any(info.file_size > limits.ratio * max(info.compress_size, 1024) for info in members)
    )
    if too_much:
        raise UploadError(
            "The file unpacks to far more data than a spreadsheet of this size holds."
        )
    strings = next((info.file_size for info in members if info.filename == STRINGS), 0)
    if strings > limits.strings:
        raise UploadError(
            f"The sheet holds more than {limits.strings / MB:g} MB of text; split it into"
            " smaller files."
        )


def open_workbook(data: bytes, limits: Limits, data_only: bool = True) -> Any:
    """An openpyxl read-only workbook, after the zip checks. Close it when done."""
    check_zip(data, limits)
    from consult.spreadsheets.xlsxread import load_text_workbook  # loads openpyxl

    try:
        return load_text_workbook(io.BytesIO(data), data_only=data_only)
    except Exception as error:  # noqa: BLE001 - any parse failure is the file's fault
        raise NotAWorkbook(f"The .xlsx file could not be read ({type(error).__name__}).") from None


def sheet_rows(sheet: Any, limits: Limits, values_only: bool = True) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows, each cut at the limit's width; UploadError past its number of rows.

    The dimensions a sheet claims are ignored, so empty rows cost next to nothing.
    """
    sheet.reset_dimensions()
    rows = sheet.iter_rows(max_col=limits.columns, values_only=values_only)
    for number, row in enumerate(rows, start=1):
        if number > limits.rows:
            raise UploadError(f"The sheet has more than {limits.rows:,} rows.")
        yield row


def _xlsx(data: bytes, limits: Limits) -> Sheet:
    book = open_workbook(data, limits)
    try:
        rows: list[list[str]] = []
        for values in sheet_rows(book.worksheets[0], limits):
            cells = ["" if v is None else clean_cell(str(v)) for v in values]
            if any(cells):
                rows.append(cells)
    finally:
        book.close()
    return _sheet(rows)


def _csv(data: bytes, limits: Limits) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError("Save the CSV file as UTF-8.") from None
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text.replace("\x00", "")))
    try:
        for number, row in enumerate(reader, start=1):
            if number > limits.rows:
                raise UploadError(f"The file has more than {limits.rows:,} rows.")
            if any(row):
                rows.append([clean_cell(c) for c in row[: limits.columns]])
    except csv.Error as error:
        raise UploadError(
            f"Line {reader.line_num} of the CSV file cannot be read ({error})."
        ) from None
    return _sheet(rows)


def clean_cell(text: str) -> str:
    """A cell's text without control characters (line breaks become spaces) or edge blanks."""
    if text.isprintable():
        return text.strip()
    return "".join(c if c.isprintable() else " " for c in text).strip()


def _sheet(rows: list[list[str]]) -> Sheet:
    if not rows:
        raise UploadError("The sheet has no rows.")
    header = [h.lower() for h in rows[0]]
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return Sheet(header=header, rows=body)
