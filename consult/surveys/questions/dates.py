"""Dates, stored as ISO yyyy-mm-dd, with optional earliest and latest dates."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from consult.forms import clean_typed_text
from consult.problems import Problems
from consult.spreadsheets.tables import Cell
from consult.surveys.models import Question
from consult.surveys.questions.base import FormData, QuestionType, cell_text
from consult.surveys.questions.defining import check_iso_dates
from consult.surveys.questions.figures import Figures, Tally
from consult.surveys.questions.statistical import Kind, StatColumn, question_text

NOT_A_DATE = _l("Enter a date as year-month-day, for example 2025-03-23.")
DATE_TOO_EARLY = _l("Enter a date on or after %(min)s.")
DATE_TOO_LATE = _l("Enter a date on or before %(max)s.")


def parse_date(raw: str) -> date:
    """yyyy-mm-dd in ASCII or Urdu/Arabic-Indic digits (۲۰۲۵-۰۳-۲۳); ValueError otherwise."""
    parts = raw.strip().replace("/", "-").split("-")
    if len(parts) != 3 or not all(p.strip().isdecimal() for p in parts):
        raise ValueError(raw)
    year, month, day = (int(p) for p in parts)  # int() reads every Unicode decimal digit
    return date(year, month, day)


def _isolated(day: Any) -> str:
    """An ISO date inside a message, isolated left to right (LRI … PDI): after Urdu letters the
    bidi algorithm would otherwise show 2025-03-23 as 23-03-2025. Invisible in English."""
    return f"\u2066{day}\u2069"


class Date(QuestionType):
    name = "date"
    macro = "date"
    title = _l("Date")
    settings_macro = "date_bounds"
    setting_inputs = ("min", "max")
    xlsform_names = ("date",)

    def settings_from_form(self, values: Mapping[str, str], problems: Problems) -> dict[str, Any]:
        settings = super().settings_from_form(values, problems)
        for name in ("min", "max"):
            if values.get(name, "").strip():
                settings[name] = values[name].strip()  # checked by check_settings
        return settings

    def check_settings(self, question: Question, where: str) -> None:
        super().check_settings(question, where)
        check_iso_dates(question, where)

    def parameter(self, key: str, value: str) -> Any:
        return value if key in ("min", "max") else super().parameter(key, value)

    live_value = None  # typed forms vary (Urdu digits, 2025-3-4): the server reads them

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
                value = parse_date(field.data).isoformat()
            except ValueError:
                raise ValidationError(str(NOT_A_DATE)) from None
            if low is not None and value < str(low):
                raise ValidationError(str(DATE_TOO_EARLY) % {"min": _isolated(low)})
            if high is not None and value > str(high):
                raise ValidationError(str(DATE_TOO_LATE) % {"max": _isolated(high)})

        return validate

    def to_storage(self, question: Question, data: Any) -> str | None:
        if data is None or not str(data).strip():
            return None
        return parse_date(str(data)).isoformat()

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        # A spreadsheet date shown as yyyy-mm-dd: it sorts, filters by month, and no locale
        # turns it into 03/04. A stored value that is no date stays the text it is.
        def cells(value: str | None) -> list[Cell]:
            if value is None:
                return [None]
            try:
                return [date.fromisoformat(value)]
            except ValueError:
                return [value]

        return cells

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        return [StatColumn(question_text(question, lang), Kind.date)]

    def codebook_choices(self, question: Question, lang: str) -> str:
        low, high = question.settings.get("min"), question.settings.get("max")
        span = f" from {low or ''} to {high or ''}" if low or high else ""
        return f"date, yyyy-mm-dd{span}"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if not question.required and rng.random() < 0.3:
            return None
        low = date.fromisoformat(str(question.settings.get("min", "2000-01-01")))
        high = date.fromisoformat(str(question.settings.get("max", "2025-12-31")))
        return (low + timedelta(days=rng.randint(0, max(0, (high - low).days)))).isoformat()

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        def data(cells: list[Any]) -> FormData:
            cell = cells[0]
            text = cell.date().isoformat() if hasattr(cell, "date") else cell_text(cell)
            return {"": [text]} if text else {}

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        return None  # dates are listed in the raw export, not summarised
