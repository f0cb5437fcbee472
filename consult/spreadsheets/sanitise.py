"""What makes user text safe in a spreadsheet cell, shared by every workbook writer.

Every string is written as a string cell: never as a formula, a number or a hyperlink. Text that
a spreadsheet could still take for a formula once edited or saved as CSV (a leading = + - @,
tab, CR or LF, per OWASP) gets Excel's quote-prefix style, which keeps the value exact but marks
it as text. Characters XML cannot carry are removed, so no answer can break a workbook.
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, C1 controls, and the XML non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Bidi embedding, override and isolate controls: they can make a cell read backwards (the
# "Trojan Source" trick), and nothing a respondent means depends on them in a spreadsheet.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
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


def strip_bidi(value: str) -> str:
    """The text without bidi controls: for summaries, where text is read, not kept as data."""
    return _BIDI.sub("", value)


def clean_display_text(value: str) -> str:
    """clean_text without bidi controls."""
    return clean_text(strip_bidi(value))


def needs_quote_prefix(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)
