"""Rating scales (agreement, feasibility, ...): an ordered set of numbered points."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField

from consult.spreadsheets.tables import Cell
from consult.surveys.models import Question
from consult.surveys.questions.base import (
    FormData,
    QuestionType,
    cell_text,
    check_codes,
    choice_label,
    option_code,
    select_choices,
)
from consult.surveys.questions.choice import UNKNOWN_CHOICE
from consult.surveys.questions.figures import Figures, Tally, numeric_figures, shares
from consult.surveys.questions.statistical import Kind, StatColumn, numbered, question_text


class Scale(QuestionType):
    """Points are choices coded "1".."n", most negative first.

    The labels export shows each point's words, as for every choice; the codes export
    (``--codes``) the point's number, which analysts average and chart; the codebook gives both.
    """

    name = "scale"
    macro = "scale"
    title = _l("Scale (agreement, 5 or 7 points, …)")
    live_value = "choice"
    has_choices = True
    numbered_points = True
    xlsform_names = ("select_one",)
    xlsform_appearance = "likert"
    stats = ("mean", "median", "iqr", "agree", "disagree")
    chart_stats = ("agree", "disagree", "mean")
    agreement = True
    comparisons = ("=", "!=", "<=", ">=", "<", ">", "answered", "not_answered")

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        return RadioField(
            question.survey.text(question.label, lang),
            choices=select_choices(labels),
            validate_choice=False,
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
            if value is None:
                return [None]
            return [int(value) if codes or value not in labels else labels[value]]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        return "; ".join(
            f"{code} = {label}" for code, label in choice_label(question, lang).items()
        )

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        # The codes export gives each point's number already: only its labels are added.
        _, labels = numbered(list(choice_label(question, lang).items()))
        return [StatColumn(question_text(question, lang), Kind.number, labels=labels)]

    def fake(self, question: Question, rng: random.Random) -> str | None:
        points = [code for code, _ in question.options()]
        # Lean towards agreement, as real consultations do, so summaries are not flat.
        return rng.choices(points, weights=range(1, len(points) + 1))[0]

    def fake_leaning(self, question: Question, rng: random.Random, lean: float) -> str | None:
        """Leaning towards agreement, moved up or down by ``lean`` (groups and provinces differ
        in synthetic data: see collection/synthetic.py)."""
        points = [code for code, _ in question.options()]
        middle = (len(points) + 1) / 2
        weights = [(i + 1) * math.exp(lean * (i + 1 - middle)) for i in range(len(points))]
        return rng.choices(points, weights=weights)[0]

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        def data(cells: list[Any]) -> FormData:
            text = cell_text(cells[0])
            return {"": [option_code(question, text)]} if text else {}

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """Shares per point, mean, median, IQR, and % agree / % disagree.

        Agree is the top two points and disagree the bottom two (on scales of four points or
        more; the top and bottom point on shorter ones), so the neutral middle counts for neither.
        """
        points = [code for code, _ in question.options()]
        figures = shares(tally, points)
        if not figures["n"]:
            return figures
        figures |= numeric_figures((int(code), tally.get(code, 0.0)) for code in points)
        ends = 2 if len(points) >= 4 else 1
        figures["agree"] = sum(figures[f"pct:{code}"] for code in points[-ends:])
        figures["disagree"] = sum(figures[f"pct:{code}"] for code in points[:ends])
        return figures

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        return list(choice_label(question, lang).items())
