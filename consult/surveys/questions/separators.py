"""Reading the separators people type in numbers, without ever changing the value.

A comma is a thousands separator (1,500 and South Asian 1,00,000) or a decimal comma (1,5);
"٫" and "٬" are the Arabic-script decimal and thousands separators. When a comma could be
either (one comma followed by three digits: 1,500 is fifteen hundred in Pakistan and one and
a half in much of Europe), the number is refused with a message asking to write it without
the doubt, never guessed.
"""

from __future__ import annotations

import re

# Digits in any script (int() and float() read them all), then grouping as typed.
_WESTERN = re.compile(r"^\d{1,3}(,\d{3})+$")
_SOUTH_ASIAN = re.compile(r"^\d{1,2}(,\d{2})*,\d{3}$")


class AmbiguousNumber(ValueError):
    """A comma that may mean thousands or decimals: the respondent must say which."""


def plain_number(raw: str, whole: bool) -> str:
    """``raw`` with its separators read: digits, an optional sign and (decimals) one point.

    Raises ValueError for what is no number and AmbiguousNumber for what could be two.
    """
    text = raw.strip().replace("٫", ".").replace("٬", ",").replace(" ", "")
    sign = text[:1] if text[:1] in "+-" else ""
    body = text[len(sign) :]
    if "," not in body:
        return sign + body
    if "." in body:  # both: the last one is the decimal point, the other groups thousands
        point = "." if body.rfind(".") > body.rfind(",") else ","
        grouped, _, decimals = body.rpartition(point)
        return (
            sign + _ungrouped(grouped.replace("." if point == "," else ",", ",")) + "." + decimals
        )
    if body.count(",") == 1:
        whole_part, _, after = body.partition(",")
        if len(after) == 3 and whole_part.isdigit() and 1 <= len(whole_part) <= 3:
            if whole:
                return sign + whole_part + after  # a whole number has no decimals to mean
            raise AmbiguousNumber(raw)
        if whole:
            raise ValueError(raw)  # 1,5 is not a whole number
        return sign + whole_part + "." + after  # a decimal comma: 1,5 or 3,14159
    return sign + _ungrouped(body)


def _ungrouped(grouped: str) -> str:
    if "," not in grouped:
        return grouped
    if _WESTERN.match(grouped) or _SOUTH_ASIAN.match(grouped):
        return grouped.replace(",", "")
    raise ValueError(grouped)
