"""Whole numbers with optional bounds."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from consult.forms import clean_typed_text
from consult.problems import Problems
from consult.spreadsheets.tables import Cell
from consult.surveys.models import DefinitionError, Question
from consult.surveys.questions.base import QuestionType
from consult.surveys.questions.defining import ORDERED, check_bounds, read_number
from consult.surveys.questions.figures import Figures, Tally, numeric_figures
from consult.surveys.questions.separators import AmbiguousNumber, plain_number
from consult.surveys.questions.statistical import Kind, StatColumn, question_text

# Whole-number answers are shown as a distribution over at most this many equal ranges.
BINS = 7

NOT_A_NUMBER = _l("Enter a whole number, for example 12.")
TOO_SMALL = _l("Enter a number of at least %(min)d.")
TOO_LARGE = _l("Enter a number no larger than %(max)d.")


AMBIGUOUS = _l(
    "%(typed)s can be read two ways: write it without the comma, or with a point before the"
    " decimals (for example 1500 or 1.5)."
)


def parse_integer(raw: str) -> int:
    """ASCII and Urdu/Arabic-Indic digits (۱۲ is 12), thousands grouped with commas (1,500 or
    1,00,000); ValueError otherwise (1,5 is not a whole number)."""
    text = plain_number(raw, whole=True)
    if not text or len(text) > 18:
        raise ValueError(raw)
    return int(text)  # int() understands every Unicode decimal digit


class BoundedNumber(QuestionType):
    """A number typed as text, with optional ``min`` and ``max``: whole (Integer) or decimal.

    Subclasses say how to read a typed value, how to store and export it, and in which words.
    """

    live_value = "number"
    comparisons = ORDERED
    settings_macro = "number_bounds"
    setting_inputs = ("min", "max")
    # Bounds typed in the builder are whole numbers (Integer) or any number (Decimal).
    whole = True
    parse: Callable[[str], float | int]
    store: Callable[[Any], str] = str
    cell: Callable[[str], Cell] = int
    not_a_number: Any = NOT_A_NUMBER
    too_small: Any = TOO_SMALL
    too_large: Any = TOO_LARGE
    # How the codebook names the values.
    kind: str = "whole number"

    def settings_from_form(self, values: Mapping[str, str], problems: Problems) -> dict[str, Any]:
        settings = super().settings_from_form(values, problems)
        for name in ("min", "max"):
            number = read_number(values, name, self.whole, problems)
            if number is not None:
                settings[name] = number
        check_bounds(settings, problems, "min", "max")
        return settings

    def check_settings(self, question: Question, where: str) -> None:
        super().check_settings(question, where)
        for key in ("min", "max"):
            value = question.settings.get(key)
            if key in question.settings and not isinstance(value, int | float):
                raise DefinitionError(where, "expected a number", key)

    def field(self, question: Question, lang: str) -> Field:
        return StringField(
            question.survey.text(question.label, lang),
            filters=[clean_typed_text],
            validators=[*self.presence_validators(question), self._validator(question)],
        )

    def _validator(self, question: Question) -> Callable[[Any, Field], None]:
        low = question.settings.get("min")
        high = question.settings.get("max")
        parse, messages = type(self).parse, (self.not_a_number, self.too_small, self.too_large)

        def validate(_form: Any, field: Field) -> None:
            if not field.data:
                return
            try:
                value = parse(field.data)
            except AmbiguousNumber:
                raise ValidationError(str(AMBIGUOUS) % {"typed": field.data}) from None
            except ValueError:
                raise ValidationError(str(messages[0])) from None
            if low is not None and value < low:
                raise ValidationError(str(messages[1]) % {"min": low})
            if high is not None and value > high:
                raise ValidationError(str(messages[2]) % {"max": high})

        return validate

    def to_storage(self, question: Question, data: Any) -> str | None:
        if data is None or not str(data).strip():
            return None
        return type(self).store(type(self).parse(str(data)))

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        convert = type(self).cell

        def cells(value: str | None) -> list[Cell]:
            return [None if value is None else convert(value)]

        return cells

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        return [StatColumn(question_text(question, lang), Kind.number)]

    def codebook_choices(self, question: Question, lang: str) -> str:
        low, high = question.settings.get("min"), question.settings.get("max")
        if low is None and high is None:
            return self.kind
        return f"{self.kind} from {'' if low is None else low} to {'' if high is None else high}"


class Integer(BoundedNumber):
    name = "integer"
    macro = "integer"
    title = _l("Whole number")
    xlsform_names = ("integer", "int", "range")
    stats = ("mean", "median", "iqr")
    chart_stats = ("mean", "median")
    parse = staticmethod(parse_integer)

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if not question.required and rng.random() < 0.3:
            return None
        low = question.settings.get("min", 0)
        high = question.settings.get("max", low + 100)
        return str(rng.randint(low, high))

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """n, mean, median, IQR, and the share in each range (see ``categories``)."""
        pairs = [(int(value), weight) for value, weight in tally.items()]
        figures = numeric_figures(pairs)
        if figures["n"]:
            for key, low, high in self._bins(question):
                inside = sum(w for v, w in pairs if low <= v <= high)
                figures[f"pct:{key}"] = inside / figures["n"]
        return figures

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        return [(key, key) for key, _, _ in self._bins(question)]

    @staticmethod
    def _bins(question: Question) -> list[tuple[str, int, int]]:
        """Equal ranges over the question's bounds: the same ranges for every group."""
        low = question.settings.get("min")
        high = question.settings.get("max")
        if low is None or high is None:
            return []  # ranges would differ between groups: only the numeric figures
        width = max(1, -(-(high - low + 1) // BINS))
        bins = []
        for start in range(low, high + 1, width):
            end = min(start + width - 1, high)
            bins.append((f"{start}–{end}" if end > start else str(start), start, end))
        return bins
