"""Ranking: the respondent orders a list of items (e.g. the six recommendations) by priority."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from consult.spreadsheets.tables import Cell
from consult.surveys.codes import field_name
from consult.surveys.models import Question
from consult.surveys.questions.base import FormData, QuestionType, cell_text, choice_label
from consult.surveys.questions.defining import GIVEN
from consult.surveys.questions.figures import Figures, Tally
from consult.surveys.questions.statistical import Kind, StatColumn, part_label

RANK_EVERY_ITEM = _l("Give every item a rank.")
RANK_ALL_OR_NONE = _l("Give every item a rank, or leave them all empty.")
RANK_REPEATED = _l("Rank %(rank)d is given to more than one item: %(items)s.")
RANK_OUT_OF_RANGE = _l("Ranks go from 1 to %(count)d.")
# Between the names of the items that share a rank ("A, B"; "الف، ب" in Urdu).
ITEM_SEPARATOR = _l(", ")


class RankingField(Field):
    """One select per item, submitted as ``<name>-<item code>`` = rank; data is {code: rank}.

    Works without JavaScript: plain selects, validated on the server, whose options say which
    ranks another item holds already (``options``). consult.js adds up/down buttons that write
    the same selects.
    """

    def __init__(self, label: str, items: list[tuple[str, str]], required: bool, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.items = items
        self.required = required
        self.data: dict[str, str] = {}

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        self.data = {} if data is unset_value or data is None else dict(data)
        if formdata is not None:
            self.raw_data = [formdata.get(f"{self.name}-{code}", "") for code, _ in self.items]
            self.data = {
                code: _rank_text(raw)
                for (code, _), raw in zip(self.items, self.raw_data, strict=True)
                if raw.strip()
            }

    def holders(self) -> dict[str, list[str]]:
        """Rank (as posted) → the labels of the items given it, in the items' order."""
        labels = dict(self.items)
        found: dict[str, list[str]] = {}
        for code, rank in self.data.items():
            found.setdefault(rank, []).append(labels[code])
        return found

    def options(self, code: str) -> list[tuple[str, str, bool]]:
        """(value, text, selected) of the ranks offered to item ``code``: a rank another item
        holds names that item, so the free ranks are the bare numbers."""
        holders = {
            rank: [c for c, r in self.data.items() if r == rank and c != code]
            for rank in self.data.values()
        }
        labels = dict(self.items)
        own = self.data.get(code)
        found = []
        for rank in range(1, len(self.items) + 1):
            value = str(rank)
            others = holders.get(value, [])
            text = value if not others else f"{value} – {labels[others[0]]}"
            found.append((value, text, own == value))
        return found

    def free_ranks(self) -> list[int]:
        given = set(self.data.values())
        return [rank for rank in range(1, len(self.items) + 1) if str(rank) not in given]

    def pre_validate(self, form: Any) -> None:
        count = len(self.items)
        given = self.data
        if not given:
            if self.required:
                raise StopValidation(str(RANK_EVERY_ITEM))
            return
        for raw in given.values():
            if not raw.isdecimal() or not 1 <= int(raw) <= count:
                raise StopValidation(str(RANK_OUT_OF_RANGE) % {"count": count})
        repeated = [
            str(RANK_REPEATED) % {"rank": int(rank), "items": str(ITEM_SEPARATOR).join(items)}
            for rank, items in sorted(self.holders().items(), key=lambda pair: int(pair[0]))
            if len(items) > 1
        ]
        if repeated:  # named, so the respondent sees which rank to change
            raise StopValidation(" ".join(repeated))
        if len(given) < count:
            raise StopValidation(str(RANK_EVERY_ITEM if self.required else RANK_ALL_OR_NONE))


def _rank_text(raw: str) -> str:
    """A posted rank as ASCII digits (۲ and 2 are the same rank), other text as it came."""
    text = raw.strip()
    return str(int(text)) if text.isdecimal() else text


class Ranking(QuestionType):
    """Stored as item codes in rank order, space-separated; exported as one rank column per item."""

    name = "ranking"
    macro = "ranking"
    title = _l("Ranking")
    live_value = "ranking"
    has_choices = True
    xlsform_names = ("rank",)
    ranks = True
    roles = frozenset({"recommendations"})
    comparisons = GIVEN
    starting_rows = 3

    def field(self, question: Question, lang: str) -> Field:
        labels = choice_label(question, lang)
        return RankingField(
            question.survey.text(question.label, lang),
            items=list(labels.items()),
            required=question.required,
        )

    def to_storage(self, question: Question, data: Any) -> str | None:
        if not data:
            return None
        return " ".join(sorted(data, key=lambda code: int(data[code])))

    def to_formdata(self, question: Question, value: str) -> list[tuple[str, str]]:
        return [
            (f"{field_name(question.code)}-{code}", str(rank))
            for rank, code in enumerate(value.split(), start=1)
        ]

    def columns(self, question: Question) -> list[str]:
        return [f"{question.code}/{code}" for code, _ in question.options()]

    def exporter(
        self, question: Question, lang: str, codes: bool
    ) -> Callable[[str | None], list[Cell]]:
        items = [code for code, _ in question.options()]
        empty: list[Cell] = [None] * len(items)

        def cells(value: str | None) -> list[Cell]:
            if value is None:
                return empty
            rank = {code: position for position, code in enumerate(value.split(), start=1)}
            return [rank.get(code) for code in items]

        return cells

    def codebook_choices(self, question: Question, lang: str) -> str:
        labels = choice_label(question, lang)
        listed = "; ".join(f"{code} = {label}" for code, label in labels.items())
        return f"{listed} (value = rank, 1 = most important)"

    def stat_columns(self, question: Question, lang: str) -> list[StatColumn]:
        """One rank variable per item (1 = most important), labelled with the item."""
        return [
            StatColumn(part_label(question, lang, label), Kind.number)
            for label in choice_label(question, lang).values()
        ]

    def fake(self, question: Question, rng: random.Random) -> str | None:
        items = [code for code, _ in question.options()]
        rng.shuffle(items)
        return " ".join(items)

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        items = [code for code, _ in question.options()]

        def data(cells: list[Any]) -> FormData:
            ranks = {f"-{code}": [cell_text(cell)] for code, cell in zip(items, cells, strict=True)}
            return {suffix: value for suffix, value in ranks.items() if value[0]}

        return data

    def summarise(self, question: Question, tally: Tally) -> Figures | None:
        """Mean rank (1 = most important) and Borda points per item.

        An item ranked r of m earns m − r points from a respondent: the Borda count, so a
        first place among six is worth 5 and a last place 0.
        """
        items = [code for code, _ in question.options()]
        m = len(items)
        rank_sum = dict.fromkeys(items, 0.0)
        n = 0.0
        for value, weight in tally.items():
            order = value.split()
            if sorted(order) != sorted(items):
                continue  # not a complete ranking of today's items
            n += weight
            for position, code in enumerate(order, start=1):
                rank_sum[code] += weight * position
        figures: Figures = {"n": n}
        if n:
            for code in items:
                figures[f"rank:{code}"] = rank_sum[code] / n
                figures[f"borda:{code}"] = m * n - rank_sum[code]
        return figures

    def categories(self, question: Question, lang: str) -> list[tuple[str, str]]:
        return list(choice_label(question, lang).items())
