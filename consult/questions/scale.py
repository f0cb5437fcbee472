"""Rating scales (agreement, feasibility, ...): an ordered set of numbered points."""

from __future__ import annotations

import random
from collections.abc import Callable

from wtforms import Field, RadioField

from ..models import Question
from .base import Cell, QuestionType, check_codes, choice_label, select_choices
from .choice import UNKNOWN_CHOICE


class Scale(QuestionType):
    """Points are choices coded "1".."n", most negative first; exported as numbers.

    Exports keep the number even with labels, because analysts average and chart it; the
    codebook gives each point's words.
    """

    name = "scale"
    macro = "scale"

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        return RadioField(
            question.survey.text(question.label, lang),
            choices=select_choices(labels),
            validate_choice=False,
            validators=[
                *self.presence_validators(question),
                check_codes(set(labels), str(UNKNOWN_CHOICE)),
            ],
        )

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        def cells(value: str | None) -> list[Cell]:
            return [None if value is None else int(value)]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "; ".join(
            f"{code} = {label}" for code, label in choice_label(question, lang).items()
        )

    def fake(self, question: Question, rng: random.Random) -> str | None:
        points = [code for code, _ in question.options()]
        # Lean towards agreement, as real consultations do, so summaries are not flat.
        return rng.choices(points, weights=range(1, len(points) + 1))[0]
