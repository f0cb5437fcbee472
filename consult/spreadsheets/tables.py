"""A table of rows to write: headers, rows streamed, and their count known ahead."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from consult.surveys.questions import Cell

Row = list[Cell | datetime]


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[Row]
    # Number of rows, known before they are read (for progress bars).
    count: int
