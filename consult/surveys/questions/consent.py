"""Consent: one box the respondent must tick to take part; stored as "yes"."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field
from wtforms.validators import DataRequired

from consult.surveys.codes import field_name
from consult.surveys.models import Question
from consult.surveys.questions.base import FormData, QuestionType, cell_text
from consult.surveys.questions.figures import Figures, Tally, shares
from consult.surveys.questions.statistical import Kind, StatColumn, question_text

CONSENT_REQUIRED = _l("Tick the box to agree before you continue.")
YES = "yes"


class Consent(QuestionType):
    """Always required: a response exists only with consent, so the only stored value is yes."""

    name = "consent"
    macro = "consent"
    title = _l("Consent (must be accepted)")
    always_required = True
    xlsform_names = ("acknowledge",)
    live_value = "choice"
    comparisons = ()  # always given

    def field(self, question: Question, lang: str) -> Field:
        return BooleanField(
            question.survey.text(question.label, lang),
            false_values=("", "false", "0", "no"),
            validators=[DataRequired(message=CONSENT_REQUIRED)],
        )

    def to_storage(self, question: Question, data: Any) -> str | None:
        return YES if data else None

    def to_formdata(self, question: Question, value: str) -> list[tuple[str, str]]:
        return [(field_name(question.code), YES)] if value == YES else []

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "yes = agreed"

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        # The only value; the export shows it as "yes", so that is its label.
        return [StatColumn(question_text(question, lang), Kind.number, {YES: 1}, {1: YES})]

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return YES

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        def data(cells: list[Any]) -> FormData:
            text = cell_text(cells[0]).casefold()
            return {"": [YES]} if text in (YES, "1", "true") else {}

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        return shares(tally, [YES])
