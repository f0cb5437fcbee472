"""Reading uploaded spreadsheets safely: size and zip-ratio limits before any parsing.

An .xlsx is a zip of XML. Before openpyxl sees one, the zip directory is checked: total
uncompressed size and the compression ratio are capped (zip bombs), and openpyxl parses XML
through defusedxml, which the project installs (billion laughs, external entities).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from consult.problems import Problem, Refusal

MAX_UPLOAD = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ROWS = 100_000


class UploadError(Refusal):
    """The file cannot be read; the message says why, in words for the person uploading
    (shown beside the form's file field)."""

    def __init__(self, message: str) -> None:
        super().__init__([Problem(message, field="file")])


@dataclass
class Sheet:
    header: list[str]
    rows: list[list[str]]  # every cell as text, "" when empty


def read_table(data: bytes, filename: str) -> Sheet:
    """The first sheet of an .xlsx, or a .csv (UTF-8, with or without BOM)."""
    if len(data) > MAX_UPLOAD:
        raise UploadError(f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB.")
    if not data:
        raise UploadError("The file is empty.")
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv(data)
    if name.endswith(".xlsx"):
        return _xlsx(data)
    raise UploadError("Upload an .xlsx or .csv file.")


def check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError("This is not a valid .xlsx file.") from None
    with archive:
        total = sum(info.file_size for info in archive.infolist())
        compressed = sum(info.compress_size for info in archive.infolist()) or 1
    if total > MAX_UNCOMPRESSED or total / compressed > MAX_RATIO:
        raise UploadError(
            "The file unpacks to far more data than a spreadsheet of this size holds."
        )


def _xlsx(data: bytes) -> Sheet:
    check_zip(data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any parse failure is the file's fault
        raise UploadError(f"The .xlsx file could not be read ({type(error).__name__}).") from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).strip() for v in values]
            if any(cells):
                rows.append(cells)
            if len(rows) > MAX_ROWS:
                raise UploadError(f"The sheet has more than {MAX_ROWS:,} rows.")
    finally:
        book.close()
    return _sheet(rows)


def _csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError("Save the CSV file as UTF-8.") from None
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text)) if any(row)]
    if len(rows) > MAX_ROWS:
        raise UploadError(f"The file has more than {MAX_ROWS:,} rows.")
    return _sheet(rows)


def _sheet(rows: list[list[str]]) -> Sheet:
    if not rows:
        raise UploadError("The sheet has no rows.")
    header = [h.lower() for h in rows[0]]
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return Sheet(header=header, rows=body)
