"""The contract every question type fulfils.

A type owns everything that differs between kinds of question: the form field a respondent
fills, how its input is validated and stored (as one text value per answer), the columns it
becomes in the raw export, and how to make a plausible synthetic answer. Adding a type means
adding one class here and one macro in ``templates/_macros/questions.html``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from consult.spreadsheets.tables import Cell
from consult.surveys.codes import field_name
from consult.surveys.models import Question
from consult.surveys.questions.defining import TypeDefinition
from consult.surveys.questions.figures import Figures, Tally
from consult.surveys.questions.statistical import StatColumn, part_label, question_text

# Form data for one question, as a browser would post it: name suffix → values (the suffix is
# "" for one-field questions, "-<item>" for the ranking's per-item selects).
FormData = dict[str, list[str]]


class CellError(ValueError):
    """A spreadsheet cell that cannot be an answer; ``offset`` is its column within the question."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


REQUIRED_MESSAGE = _l("Please answer this question.")


class QuestionType(TypeDefinition):
    """Base class; subclasses set ``name``, ``macro`` and ``title`` and override what differs.

    Nothing outside ``consult/surveys/questions/`` asks "which type is this?": it asks the
    type (its attributes below and in defining.py), so a new type is one new class.
    """

    # The value of Question.type.
    name: ClassVar[str]
    # The macro in templates/_macros/questions.html that renders the field.
    macro: ClassVar[str]
    # False for types that only show text (notes): no field, no answer, no column.
    has_answer: ClassVar[bool] = True
    # Figures besides the shares of each option, in the workbook and on the results page.
    stats: ClassVar[tuple[str, ...]] = ()
    chart_stats: ClassVar[tuple[str, ...]] = ()
    # An agreement scale: consensus is judged on it, it fills the recommendation matrix, and
    # its charts run from disagree (red) to agree (green).
    agreement: ClassVar[bool] = False
    # Figures are ranks (mean rank, Borda points), shown as a rankings table.
    ranks: ClassVar[bool] = False
    # Each respondent gives one option, so the shares add up to 100% (a stacked bar); False
    # for multiple choice, where each option has its own share.
    shares_add_up: ClassVar[bool] = True
    # How the browser reads this question's answer as rules see it, to show and hide the questions
    # that depend on it on the same page (static/js/rules.js): "text", "number", "choice"
    # (the ticked or selected value), "choices" (ticked values, space-separated), "ranking"
    # (codes by rank); None: it cannot, and rules that read it wait for the server.
    live_value: ClassVar[str | None] = "text"

    def field(self, question: Question, lang: str) -> Field | None:
        """An unbound WTForms field for the respondent form."""
        raise NotImplementedError

    def presence_validators(self, question: Question) -> list[Any]:
        # Messages stay lazy: form classes are cached, so they are translated when shown.
        if question.required:
            return [InputRequired(message=REQUIRED_MESSAGE)]
        return [Optional()]

    def to_storage(self, question: Question, data: Any) -> str | None:
        """The validated field data as stored text, or None when nothing was answered."""
        if data is None or data == "":
            return None
        return str(data)

    def to_formdata(self, question: Question, value: str) -> list[tuple[str, str]]:
        """A stored value as the (name, value) pairs the respondent form would post."""
        return [(field_name(question.code), value)]

    def columns(self, question: Question) -> list[str]:
        """Headers of the raw export's columns for this question."""
        return [question.code]

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        """A function turning a stored value into this question's export cells.

        Built once per export so the per-row work is a dictionary look-up at most.
        """

        def cells(value: str | None) -> list[Cell]:
            return [value]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        """How the codebook explains the values of this question's columns."""
        return ""

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        """What each of ``columns()`` is in SPSS, Stata and R files: text by default."""
        names = self.columns(question)
        if len(names) == 1:
            return [StatColumn(question_text(question, lang))]
        return [StatColumn(part_label(question, lang, name)) for name in names]

    def fake(self, question: Question, rng: random.Random) -> str | None:
        """A valid stored value, for demos and benchmarks."""
        raise NotImplementedError

    def fake_leaning(self, question: Question, rng: random.Random, lean: float) -> str | None:
        """A fake answer leaning up (lean > 0) or down the scale; types without one ignore it."""
        return self.fake(question, rng)

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        """Turns this question's cells of an imported sheet (raw export layout) into form data.

        The form data then goes through the same field and validators as a web answer.
        """

        def data(cells: list[Any]) -> FormData:
            text = cell_text(cells[0])
            return {"": [text]} if text else {}

        return data

    def compute(self, question: Question, answers: Any, moment: Any) -> str | None:
        """A computed type's value (see computed.py); None for types that are asked."""
        return None

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """Figures for one set of respondents (a group, a province, everyone); None: no figures.

        Only counts per stored value reach this method, never single answers.
        """
        return None

    def is_comment(self, question: Question) -> bool:
        """Its answers are open comments, listed in the summary (not counted)."""
        return False

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        """(key, label) of what the figures break down into (``pct:<key>``, ``rank:<key>``)."""
        return []


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a respondent would have typed (12.0 → "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else str(value)


def option_code(question: Question, text: str) -> str:
    """The option code a cell means: a code as it is, or a label in any of the survey's languages.

    Unknown text is returned unchanged, so the field's validator names it as not a choice.
    """
    options = question.options()
    if any(code == text for code, _ in options):
        return text
    folded = text.casefold()
    for code, label in options:
        if any(folded == str(words).strip().casefold() for words in label.values()):
            return code
    return text


def choice_label(question: Question, lang: str) -> dict[str, str]:
    """code → label in ``lang`` for the question's options."""
    survey = question.survey
    return {code: survey.text(label, lang) for code, label in question.options()}


def select_choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value=code, label=label) for code, label in labels.items()]


def check_codes(valid: set[str], message: Any) -> Callable[[Any, Field], None]:
    """A validator refusing any submitted code that is not one of ``valid``."""

    def validate(_form: Any, field: Field) -> None:
        submitted = field.data if isinstance(field.data, list) else [field.data]
        if any(code not in valid for code in submitted if code not in (None, "")):
            raise ValidationError(message)

    return validate
