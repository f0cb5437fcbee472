"""Free text (short and long) and notes that only show text."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import Length

from consult.forms import clean_typed_text
from consult.problems import Problems
from consult.surveys.models import Question
from consult.surveys.questions.base import QuestionType
from consult.surveys.questions.defining import read_number

TOO_LONG = _l("Keep the answer to %(max)d characters or fewer (it has %(length)d).")

_WORDS = (
    "coordination police provincial community trust data budget training media clerics dialogue "
    "youth schools district courts reporting transparency funding oversight local elders "
    "رابطہ کاری اعتماد مقامی برادری نگرانی وسائل"
).split()


class _Text(QuestionType):
    default_max_length = 500
    settings_macro = "text_length"
    setting_inputs = ("max_length",)
    field_class: type[Field] = StringField

    def settings_from_form(self, values: Mapping[str, str], problems: Problems) -> dict[str, Any]:
        settings = super().settings_from_form(values, problems)
        length = read_number(values, "max_length", True, problems)
        if length is not None and length < 1:
            problems.add(str(_l("At least 1.")), "max_length")
        elif length is not None:
            settings["max_length"] = length
        return settings

    def max_length(self, question: Question) -> int:
        return int(question.settings.get("max_length") or self.default_max_length)

    def field(self, question: Question, lang: str) -> Field:
        limit = self.max_length(question)
        return self.field_class(
            question.survey.text(question.label, lang),
            filters=[clean_typed_text],
            validators=[
                *self.presence_validators(question),
                Length(max=limit, message=TOO_LONG),  # Length fills in %(max)d and %(length)d
            ],
        )

    def codebook_choices(self, question: Question, lang: str) -> str:
        return f"free text, up to {self.max_length(question)} characters"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if rng.random() < 0.6:
            return None
        text = " ".join(rng.choices(_WORDS, k=rng.randint(3, 25)))
        # Valid means within the question's own limit (a district answer has 100 characters).
        return text[: self.max_length(question)].strip()


class ShortText(_Text):
    name = "short_text"
    macro = "short_text"
    title = _l("Short text")
    xlsform_names = ("text", "string", "barcode", "phone number", "phonenumber")

    def is_comment(self, question: Question) -> bool:
        """A short answer about a recommendation is a comment on it."""
        return question.recommendation_id is not None

    default_max_length = 200


class LongText(_Text):
    name = "long_text"
    macro = "long_text"
    title = _l("Long text")
    xlsform_names = ("text",)
    xlsform_appearance = "multiline"

    def is_comment(self, question: Question) -> bool:
        return True

    default_max_length = 5000
    field_class = TextAreaField


class Note(QuestionType):
    """Text shown between questions (instructions, reassurance); nothing to answer."""

    name = "note"
    macro = "note"
    title = _l("Note (text only, no answer)")
    xlsform_names = ("note",)
    live_value = None
    has_answer = False
    comparisons = ()

    def field(self, question: Question, lang: str) -> Field | None:
        return None

    def to_storage(self, question: Question, data: Any) -> str | None:
        return None

    def columns(self, question: Question) -> list[str]:
        return []

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return None
