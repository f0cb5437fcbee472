"""Single and multiple choice questions; answers are choice codes."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms import clean_typed_text
from consult.problems import Problems
from consult.spreadsheets.tables import Cell
from consult.surveys.codes import field_name
from consult.surveys.models import Question
from consult.surveys.questions.base import (
    CellError,
    FormData,
    QuestionType,
    cell_text,
    check_codes,
    choice_label,
    option_code,
    select_choices,
)
from consult.surveys.questions.defining import check_bounds, read_number
from consult.surveys.questions.figures import Figures, Tally, shares
from consult.surveys.questions.statistical import (
    Kind,
    StatColumn,
    numbered,
    part_label,
    question_text,
)

UNKNOWN_CHOICE = _l("That is not one of the choices offered.")
NOT_ZERO_OR_ONE = _l("Use 1 for a chosen option, and 0 or nothing for one not chosen.")
SPECIFY_OTHER = _l("Please say what your other answer is.")
OTHER_TOO_LONG = _l("Keep the other answer to %(max)d characters or fewer.")

# "Other, please specify": the option's code, and the longest text kept with it.
OTHER = "other"
OTHER_MAX_LENGTH = 500


class Specified(str):
    """The code "other" carrying what the respondent typed beside it.

    A str, so the field's data compares and renders as the plain code; ``to_storage`` (which
    only sees the data) finds the text here.
    """

    text: str

    def __new__(cls, text: str) -> Specified:
        obj = super().__new__(cls, OTHER)
        obj.text = text
        return obj


def split_other(value: str) -> tuple[str, str | None]:
    """A stored value as (codes, the other text or None): the text follows a line break."""
    codes, _, text = value.partition("\n")
    return codes, (text or None)


def _join_other(codes: str, data: Any) -> str:
    chosen = data if isinstance(data, list) else [data]
    text = next((c.text for c in chosen if isinstance(c, Specified) and c.text), None)
    return f"{codes}\n{text}" if text and OTHER in codes.split() else codes


def _other_validator(_form: Any, field: Field) -> None:
    chosen = field.data if isinstance(field.data, list) else [field.data]
    specified = next((c for c in chosen if isinstance(c, Specified)), None)
    if specified is None:
        return
    if not specified.text:
        raise ValidationError(str(SPECIFY_OTHER))
    if len(specified.text) > OTHER_MAX_LENGTH:
        raise ValidationError(str(OTHER_TOO_LONG) % {"max": OTHER_MAX_LENGTH})


def _read_other(field: Any, formdata: Any) -> None:
    """Reads ``<name>-other`` and marks the chosen "other" code with it."""
    raw = formdata.get(f"{field.name}-other", "") if formdata is not None else ""
    field.other_text = clean_typed_text(raw)
    if isinstance(field.data, list):
        field.data = [Specified(field.other_text) if c == OTHER else c for c in field.data]
    elif field.data == OTHER:
        field.data = Specified(field.other_text)


def _normalised(tally: Tally) -> dict[str, float]:
    """The tally without the other texts, so "other" counts as one option."""
    plain: dict[str, float] = {}
    for value, weight in tally.items():
        codes = split_other(value)[0]
        plain[codes] = plain.get(codes, 0.0) + weight
    return plain


def _has_other(question: Question) -> bool:
    return bool(question.settings.get("other"))


def _other_column(question: Question, lang: str) -> list[StatColumn]:
    """The text typed beside "other", when the question offers it."""
    if not _has_other(question):
        return []
    other = choice_label(question, lang).get(OTHER, OTHER)
    return [StatColumn(part_label(question, lang, other))]


class OtherRadioField(RadioField):
    other_text = ""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        _read_other(self, formdata)


class SingleChoice(QuestionType):
    name = "single_choice"
    macro = "radio_list"
    title = _l("Single choice (radio buttons or a dropdown)")
    settings_macro = "choice_appearance"
    setting_inputs = ("appearance", "other")
    live_value = "choice"
    has_choices = True
    allows_other = True
    appearances = frozenset({"minimal"})
    xlsform_names = ("select_one",)
    tagged_points_as = "scale"
    roles = frozenset({"group", "region"})
    starting_rows = 3

    def rule_value(self, value: str | None) -> str | None:
        return split_other(value)[0] if value is not None else None

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        other = _has_other(question)
        return (OtherRadioField if other else RadioField)(
            question.survey.text(question.label, lang),
            choices=select_choices(labels),
            validate_choice=False,  # check_codes gives a message respondents understand
            validators=[
                *self.presence_validators(question),
                check_codes(set(labels), UNKNOWN_CHOICE),
                *([_other_validator] if other else []),
            ],
        )

    def to_storage(self, question: Question, data: Any) -> str | None:
        if data is None or data == "":
            return None
        return _join_other(str(data), data)

    def to_formdata(self, question: Question, value: str) -> list[tuple[str, str]]:
        code, text = split_other(value)
        other = [(field_name(question.code) + "-other", text)] if text else []
        return [(field_name(question.code), code), *other]

    def columns(self, question: Question) -> list[str]:
        other = [f"{question.code}/other_text"] if _has_other(question) else []
        return [question.code, *other]

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        labels = choice_label(question, lang)
        other = _has_other(question)

        def cells(value: str | None) -> list[Cell]:
            if value is None:
                return [None, None] if other else [None]
            code, text = split_other(value)
            shown = code if codes else labels.get(code, code)
            return [shown, text] if other else [shown]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        text = "; ".join(
            f"{code} = {label}" for code, label in choice_label(question, lang).items()
        )
        return text + (" (other_text: what “other” means)" if _has_other(question) else "")

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        codes, labels = numbered(list(choice_label(question, lang).items()))
        chosen = StatColumn(question_text(question, lang), Kind.number, codes, labels)
        return [chosen, *_other_column(question, lang)]

    def fake(self, question: Question, rng: random.Random) -> str | None:
        if not question.required and rng.random() < 0.1:
            return None
        code = rng.choice([code for code, _ in question.options()])
        return f"{code}\nsomething else" if code == OTHER and _has_other(question) else code

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        other = _has_other(question)

        def data(cells: list[Any]) -> FormData:
            text = cell_text(cells[0])
            found: FormData = {"": [option_code(question, text)]} if text else {}
            if other and len(cells) > 1 and cell_text(cells[1]):
                found["-other"] = [cell_text(cells[1])]
            return found

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        return shares(_normalised(tally), [code for code, _ in question.options()])

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        return list(choice_label(question, lang).items())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OtherCheckboxField(MultiCheckboxField):
    other_text = ""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        _read_other(self, formdata)


class MultipleChoice(QuestionType):
    """Several codes, stored space-separated (the XLSForm convention for select_multiple)."""

    name = "multiple_choice"
    macro = "checkbox_list"
    title = _l("Multiple choice")
    settings_macro = "selections"
    setting_inputs = ("min_selections", "max_selections", "other")
    live_value = "choices"
    has_choices = True
    allows_other = True
    shares_add_up = False
    xlsform_names = ("select_multiple",)
    comparisons = ("selected", "not_selected", "answered", "not_answered")
    starting_rows = 3

    def settings_from_form(self, values: Mapping[str, str], problems: Problems) -> dict[str, Any]:
        settings = super().settings_from_form(values, problems)
        for name in ("min_selections", "max_selections"):
            number = read_number(values, name, True, problems)
            if number is not None and number < 0:
                problems.add(str(_l("At least 0.")), name)
            elif number is not None:
                settings[name] = number
        check_bounds(settings, problems, "min_selections", "max_selections")
        return settings

    def rule_value(self, value: str | None) -> str | None:
        return split_other(value)[0] if value is not None else None

    def default_formdata(self, value: str) -> str | list[str]:
        return value.split()

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        other = _has_other(question)
        return (OtherCheckboxField if other else MultiCheckboxField)(
            question.survey.text(question.label, lang),
            choices=select_choices(labels),
            validate_choice=False,
            validators=[
                *self.presence_validators(question),
                check_codes(set(labels), UNKNOWN_CHOICE),
                self._count_validator(question),
                *([_other_validator] if other else []),
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
        codes = " ".join(code for code, _ in question.options() if code in chosen)
        return _join_other(codes, data)

    def to_formdata(self, question: Question, value: str) -> list[tuple[str, str]]:
        codes, text = split_other(value)
        other = [(field_name(question.code) + "-other", text)] if text else []
        return [(field_name(question.code), code) for code in codes.split()] + other

    def columns(self, question: Question) -> list[str]:
        other = [f"{question.code}/other_text"] if _has_other(question) else []
        return [f"{question.code}/{code}" for code, _ in question.options()] + other

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        options = [code for code, _ in question.options()]
        other = _has_other(question)
        empty: list[Cell] = [None] * (len(options) + other)

        def cells(value: str | None) -> list[Cell]:
            if value is None:
                return empty
            codes, text = split_other(value)
            chosen = set(codes.split())
            marks: list[Cell] = [1 if code in chosen else 0 for code in options]
            return [*marks, text] if other else marks

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        labels = choice_label(question, lang)
        return "; ".join(f"{code} = {label}" for code, label in labels.items()) + " (1 = selected)"

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        """One 0/1 variable per option, labelled with the question and the option."""
        marks = [
            StatColumn(part_label(question, lang, label), Kind.number)
            for label in choice_label(question, lang).values()
        ]
        return [*marks, *_other_column(question, lang)]

    def fake(self, question: Question, rng: random.Random) -> str | None:
        options = [code for code, _ in question.options()]
        high = min(question.settings.get("max_selections") or len(options), len(options))
        low = max(question.settings.get("min_selections") or 1, 1)
        if not question.required and rng.random() < 0.2:
            return None
        picked = set(rng.sample(options, rng.randint(low, max(low, min(high, 3)))))
        codes = " ".join(code for code in options if code in picked)
        return f"{codes}\nsomething else" if OTHER in picked and _has_other(question) else codes

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        options = [code for code, _ in question.options()]
        other = _has_other(question)

        def data(cells: list[Any]) -> FormData:
            chosen = []
            marks = cells[: len(options)]
            for offset, (code, cell) in enumerate(zip(options, marks, strict=True)):
                text = cell_text(cell)
                if text == "1":
                    chosen.append(code)
                elif text not in ("", "0"):
                    raise CellError(offset, str(NOT_ZERO_OR_ONE))
            found: FormData = {"": chosen} if chosen else {}
            if other and len(cells) > len(options) and cell_text(cells[len(options)]):
                found["-other"] = [cell_text(cells[len(options)])]
            return found

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """n: respondents who answered; ``pct:<option>``: the share of them choosing it."""
        options = [code for code, _ in question.options()]
        tally = _normalised(tally)
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
