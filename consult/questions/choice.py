"""Single and multiple choice questions; answers are choice codes."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import Question
from .base import (
    Cell,
    CellError,
    FormData,
    QuestionType,
    cell_text,
    check_codes,
    choice_label,
    option_code,
    select_choices,
)
from .figures import Figures, Tally, shares

UNKNOWN_CHOICE = _l("That is not one of the choices offered.")
NOT_ZERO_OR_ONE = _l("Use 1 for a chosen option, and 0 or nothing for one not chosen.")


class SingleChoice(QuestionType):
    name = "single_choice"
    macro = "radio_list"

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        return RadioField(
            question.survey.text(question.label, lang),
            choices=select_choices(labels),
            validate_choice=False,  # check_codes gives a message respondents understand
            validators=[
                *self.presence_validators(question),
                check_codes(set(labels), UNKNOWN_CHOICE),
            ],
        )

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        labels = choice_label(question, lang)

        def cells(value: str | None) -> list[Cell]:
            if value is None or codes:
                return [value]
            return [labels.get(value, value)]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "; ".join(
            f"{code} = {label}" for code, label in choice_label(question, lang).items()
        )

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if not question.required and rng.random() < 0.1:
            return None
        return rng.choice([code for code, _ in question.options()])

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        def data(cells: list[Any]) -> FormData:
            text = cell_text(cells[0])
            return {"": [option_code(question, text)]} if text else {}

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        return shares(tally, [code for code, _ in question.options()])

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        return list(choice_label(question, lang).items())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MultipleChoice(QuestionType):
    """Several codes, stored space-separated (the XLSForm convention for select_multiple)."""

    name = "multiple_choice"
    macro = "checkbox_list"

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        return MultiCheckboxField(
            question.survey.text(question.label, lang),
            choices=select_choices(labels),
            validate_choice=False,
            validators=[
                *self.presence_validators(question),
                check_codes(set(labels), UNKNOWN_CHOICE),
                self._count_validator(question),
            ],
        )

    @staticmethod
    def _count_validator(question: Question) -> Callable[[Any, Field], None]:
        low = question.settings.get("min_selections")
        high = question.settings.get("max_selections")

        def validate(_form: Any, field: Field) -> None:
            count = len(set(field.data or []))
            if low is not None and 0 < count < low:
                raise ValidationError(
                    ngettext(
                        "Choose at least %(num)d option.", "Choose at least %(num)d options.", low
                    )
                )
            if high is not None and count > high:
                raise ValidationError(
                    ngettext(
                        "Choose at most %(num)d option.", "Choose at most %(num)d options.", high
                    )
                )

        return validate

    def to_storage(self, question: Question, data: Any) -> str | None:
        if not data:
            return None
        # Keep the question's order and drop repeats, whatever order the browser sent.
        chosen = set(data)
        return " ".join(code for code, _ in question.options() if code in chosen)

    def to_formdata(self, question: Question, value: str) -> list[tuple[str, str]]:
        return [(f"q_{question.code}", code) for code in value.split()]

    def columns(self, question: Question) -> list[str]:
        return [f"{question.code}/{code}" for code, _ in question.options()]

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        options = [code for code, _ in question.options()]
        empty: list[Cell] = [None] * len(options)

        def cells(value: str | None) -> list[Cell]:
            if value is None:
                return empty
            chosen = set(value.split())
            return [1 if code in chosen else 0 for code in options]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        labels = choice_label(question, lang)
        return "; ".join(f"{code} = {label}" for code, label in labels.items()) + " (1 = selected)"

    def fake(self, question: Question, rng: random.Random) -> str | None:
        options = [code for code, _ in question.options()]
        high = min(question.settings.get("max_selections") or len(options), len(options))
        low = max(question.settings.get("min_selections") or 1, 1)
        if not question.required and rng.random() < 0.2:
            return None
        picked = set(rng.sample(options, rng.randint(low, max(low, min(high, 3)))))
        return " ".join(code for code in options if code in picked)

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        options = [code for code, _ in question.options()]

        def data(cells: list[Any]) -> FormData:
            chosen = []
            for offset, (code, cell) in enumerate(zip(options, cells, strict=True)):
                text = cell_text(cell)
                if text == "1":
                    chosen.append(code)
                elif text not in ("", "0"):
                    raise CellError(offset, str(NOT_ZERO_OR_ONE))
            return {"": chosen} if chosen else {}

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """n: respondents who answered; ``pct:<option>``: the share of them choosing it."""
        options = [code for code, _ in question.options()]
        n = sum(tally.values())
        figures: Figures = {"n": n}
        if n:
            chosen = dict.fromkeys(options, 0.0)
            for value, weight in tally.items():
                for code in value.split():
                    if code in chosen:
                        chosen[code] += weight
            figures.update({f"pct:{code}": count / n for code, count in chosen.items()})
        return figures

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        return list(choice_label(question, lang).items())
