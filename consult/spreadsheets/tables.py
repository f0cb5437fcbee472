"""A table of rows to write: headers, rows streamed, and their count known ahead."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

# One cell of a spreadsheet: text, a number, a day, or empty.
Cell = str | int | float | date | None
# One row: cells, and the dates a table may hold (submission times).
Row = list[Cell | datetime]


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[Row]
    # Number of rows, known before they are read (for progress bars).
    count: int
