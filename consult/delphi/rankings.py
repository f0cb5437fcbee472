"""Ranking questions in a Delphi round: read, checked, stored as collection stores rankings
(item codes in rank order), fed back as each item's mean rank in the round before, and
Kendall's W of the panel's rankings (statistics.kendalls_w)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from consult.surveys.models import Question, Survey
from consult.surveys.questions import question_type

# A ranking's answers: keyed pseudonym → item codes, best first.
Orders = dict[str, list[str]]


def ranking_items(survey: Survey) -> list[Question]:
    return [q for q in survey.ordered_questions() if question_type(q.type).ranks]


def field_name(question: Question, item: str) -> str:
    return f"rank-{question.code}-{item}"


def read(form: Mapping[str, str], question: Question) -> dict[str, str]:
    """The ranks typed for each item ("" when left empty)."""
    return {item: (form.get(field_name(question, item)) or "").strip()
            for item, _label in question.options()}  # fmt: skip


def check(question: Question, ranks: dict[str, str]) -> str | None:
    """The problem with one ranking, or None: all empty (not ranked) or 1..n once each."""
    given = [r for r in ranks.values() if r]
    if not given:
        return None
    wanted = {str(n) for n in range(1, len(ranks) + 1)}
    if len(given) != len(ranks) or set(given) != wanted:
        return str(_l("Give every item a different rank from 1 to %(n)d, or leave them all "
                      "empty.", n=len(ranks)))  # fmt: skip
    return None


def stored(ranks: dict[str, str]) -> str | None:
    """The stored answer: item codes in rank order (None when not ranked)."""
    if not any(ranks.values()):
        return None
    return " ".join(sorted(ranks, key=lambda item: int(ranks[item])))


def form_values(question: Question, order: list[str]) -> dict[str, str]:
    return {field_name(question, item): str(rank) for rank, item in enumerate(order, start=1)}


def rank_matrix(orders: Orders, items: list[str]) -> list[list[int]]:
    """One row per complete ranking, one column per item: its rank."""
    rows = []
    for order in orders.values():
        if sorted(order) == sorted(items):
            rows.append([order.index(item) + 1 for item in items])
    return rows


@dataclass(frozen=True)
class MeanRank:
    item: str
    label: str
    mean: float
    own: int | None  # the panellist's rank of it the round before


def mean_ranks(
    orders: Orders, question: Question, lang: str, own: list[str] | None
) -> tuple[int, list[MeanRank]]:
    """(panellists, each item's mean rank, best first) of the round before."""
    items = [code for code, _ in question.options()]
    matrix = rank_matrix(orders, items)
    labels = {code: question.survey.text(label, lang) for code, label in question.options()}
    if not matrix:
        return 0, []
    means = [sum(row[i] for row in matrix) / len(matrix) for i in range(len(items))]
    found = [MeanRank(item, labels[item], mean, own.index(item) + 1 if own else None)
             for item, mean in zip(items, means, strict=True)]  # fmt: skip
    return len(matrix), sorted(found, key=lambda m: m.mean)
