"""Decimal numbers with optional bounds (amounts, percentages)."""

from __future__ import annotations

import math
import random

from flask_babel import lazy_gettext as _l

from consult.surveys.models import Question
from consult.surveys.questions.figures import Figures, Tally, numeric_figures
from consult.surveys.questions.number import BoundedNumber
from consult.surveys.questions.separators import plain_number

NOT_A_DECIMAL = _l("Enter a number, for example 12.5.")
DECIMAL_TOO_SMALL = _l("Enter a number of at least %(min)s.")
DECIMAL_TOO_LARGE = _l("Enter a number no larger than %(max)s.")


def parse_decimal(raw: str) -> float:
    """ASCII or Urdu/Arabic-Indic digits, "." "٫" or an unambiguous "," as the decimal point,
    thousands grouped (separators.py); ValueError else, AmbiguousNumber for 1,500."""
    text = plain_number(raw, whole=False)
    if not text or len(text) > 30:
        raise ValueError(raw)
    # float() accepts every Unicode decimal digit, but also "nan" and "inf": refuse those.
    value = float(text)
    if not math.isfinite(value) or any(c.isalpha() for c in text.replace("e", "").replace("E", "")):
        raise ValueError(raw)
    return value


def decimal_text(value: float) -> str:
    """The stored form: no exponent, no trailing zeros (12.50 → "12.5", 3.0 → "3")."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Decimal(BoundedNumber):
    name = "decimal"
    macro = "decimal"
    title = _l("Decimal number")
    whole = False
    xlsform_names = ("decimal",)
    parse = staticmethod(parse_decimal)
    store = staticmethod(decimal_text)
    cell = float
    not_a_number = NOT_A_DECIMAL
    too_small = DECIMAL_TOO_SMALL
    too_large = DECIMAL_TOO_LARGE
    kind = "number"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if not question.required and rng.random() < 0.3:
            return None
        low = question.settings.get("min", 0)
        high = question.settings.get("max", low + 100)
        return decimal_text(round(rng.uniform(low, high), 2))

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """n, mean, median and IQR."""
        return numeric_figures((float(value), weight) for value, weight in tally.items())
