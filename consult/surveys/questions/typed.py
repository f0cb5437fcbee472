"""Answers typed in a fixed form: a time of day, a date and time, a location (as XLSForm's
``time``, ``datetime`` and ``geopoint`` hold them). Typed as text, so they work on any phone and
without JavaScript; Urdu digits are read too. Stored in the form ODK exports them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from consult.forms import clean_typed_text
from consult.surveys.models import Question
from consult.surveys.questions.base import QuestionType
from consult.surveys.questions.defining import GIVEN
from consult.surveys.questions.figures import Figures, Tally

NOT_A_TIME = _l("Enter a time as hours:minutes, for example 14:30.")
NOT_A_DATETIME = _l("Enter a date and time as year-month-day hours:minutes, e.g. 2025-03-23 14:30.")
NOT_A_PLACE = _l("Enter the latitude and longitude, for example 33.6844 73.0479.")

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS).strip()


def parse_time(raw: str) -> str:
    found = _TIME.match(ascii_digits(raw))
    if not found:
        raise ValueError(raw)
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(raw)
    return f"{hours:02d}:{minutes:02d}"


def parse_datetime(raw: str) -> str:
    text = ascii_digits(raw).replace("T", " ")
    day, _, clock = text.partition(" ")
    try:
        when = datetime.fromisoformat(f"{day} {parse_time(clock.strip())}")
    except ValueError:
        raise ValueError(raw) from None
    return when.strftime("%Y-%m-%d %H:%M")


def parse_place(raw: str) -> str:
    """ "lat lon [altitude accuracy]", as ODK stores a geopoint; commas allowed between."""
    parts = ascii_digits(raw).replace(",", " ").split()
    if len(parts) not in (2, 3, 4):
        raise ValueError(raw)
    numbers = [float(p) for p in parts]
    if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
        raise ValueError(raw)
    return " ".join(parts)


class _Typed(QuestionType):
    parse: Callable[[str], str]
    message: Any
    placeholder = ""
    live_value = None  # typed forms vary (Urdu digits): the server reads them
    comparisons = GIVEN

    def field(self, question: Question, lang: str) -> Field:
        parse, message = type(self).parse, self.message

        def validate(_form: Any, field: Field) -> None:
            if field.data:
                try:
                    parse(field.data)
                except ValueError:
                    raise ValidationError(str(message)) from None

        return StringField(
            question.survey.text(question.label, lang),
            filters=[clean_typed_text],
            validators=[*self.presence_validators(question), validate],
        )

    def to_storage(self, question: Question, data: Any) -> str | None:
        if data is None or not str(data).strip():
            return None
        return type(self).parse(str(data))

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        return None  # listed in the raw export, not summarised


class TimeOfDay(_Typed):
    name = "time"
    macro = "short_text"
    title = _l("Time of day")
    xlsform_names = ("time",)
    parse = staticmethod(parse_time)
    message = NOT_A_TIME

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "time, hh:mm"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return f"{rng.randint(7, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}"


class DateTime(_Typed):
    name = "datetime"
    macro = "short_text"
    title = _l("Date and time")
    xlsform_names = ("datetime",)
    parse = staticmethod(parse_datetime)
    message = NOT_A_DATETIME

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "date and time, yyyy-mm-dd hh:mm"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(7, 20):02d}:00"


class Geopoint(_Typed):
    name = "geopoint"
    macro = "short_text"
    title = _l("Location (latitude and longitude, typed)")
    xlsform_names = ("geopoint",)
    parse = staticmethod(parse_place)
    message = NOT_A_PLACE

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "latitude longitude [altitude accuracy], decimal degrees"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return f"{rng.uniform(24, 36):.4f} {rng.uniform(61, 77):.4f}"
