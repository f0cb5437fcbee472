"""Decimal numbers with optional bounds (amounts, percentages)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from ..models import Question
from .base import Cell, QuestionType, clean_typed_text
from .figures import Figures, Tally, numeric_figures

NOT_A_DECIMAL = _l("Enter a number, for example 12.5.")
DECIMAL_TOO_SMALL = _l("Enter a number of at least %(min)s.")
DECIMAL_TOO_LARGE = _l("Enter a number no larger than %(max)s.")

# Urdu/Arabic-Indic decimal separators and the Arabic thousands separator.
_SEPARATORS = str.maketrans({"٫": ".", "٬": "", ",": ""})


def parse_decimal(raw: str) -> float:
    """ASCII or Urdu/Arabic-Indic digits, with "." or "٫" as the decimal point; ValueError else."""
    text = raw.strip().translate(_SEPARATORS)
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


class Decimal(QuestionType):
    name = "decimal"
    macro = "decimal"

    def field(self, question: Question, lang: str) -> Field:
        return StringField(
            question.survey.text(question.label, lang),
            filters=[clean_typed_text],
            validators=[*self.presence_validators(question), self._validator(question)],
        )

    @staticmethod
    def _validator(question: Question) -> Callable[[Any, Field], None]:
        low = question.settings.get("min")
        high = question.settings.get("max")

        def validate(_form: Any, field: Field) -> None:
            if not field.data:
                return
            try:
                value = parse_decimal(field.data)
            except ValueError:
                raise ValidationError(str(NOT_A_DECIMAL)) from None
            if low is not None and value < low:
                raise ValidationError(str(DECIMAL_TOO_SMALL) % {"min": low})
            if high is not None and value > high:
                raise ValidationError(str(DECIMAL_TOO_LARGE) % {"max": high})

        return validate

    def to_storage(self, question: Question, data: Any) -> str | None:
        if data is None or not str(data).strip():
            return None
        return decimal_text(parse_decimal(str(data)))

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        def cells(value: str | None) -> list[Cell]:
            return [None if value is None else float(value)]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        low, high = question.settings.get("min"), question.settings.get("max")
        if low is None and high is None:
            return "number"
        return f"number from {'' if low is None else low} to {'' if high is None else high}"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if not question.required and rng.random() < 0.3:
            return None
        low = question.settings.get("min", 0)
        high = question.settings.get("max", low + 100)
        return decimal_text(round(rng.uniform(low, high), 2))

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """n, mean, median and IQR."""
        return numeric_figures((float(value), weight) for value, weight in tally.items())
