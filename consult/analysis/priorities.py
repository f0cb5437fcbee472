"""Priorities from a ranking question: which items come first, drawn so that longer means more
important (the results page, the brief, the workbook's Rankings chart alike).

A mean rank is shorter for a more important item, so a bar of it reads backwards; the bars here
are Borda points as a share of the most an item could earn (every respondent ranking it first):
100% is "first for everyone", 0% "last for everyone". Mean ranks stay in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from consult.analysis.summarising import Result
from consult.surveys.questions import question_type


@dataclass(frozen=True)
class Priority:
    code: str
    label: str
    points: float  # Borda points / the most possible, 0..1
    mean_rank: float


def priorities(result: Result, unit: str, lang: str) -> list[Priority]:
    """The items of ranking ``result`` for ``unit``, most important first; [] when the unit's
    cell shows no figures (too few respondents, hidden, or nobody)."""
    cell = result.by_group.get(unit)
    question = result.question
    items = question_type(question.type).categories(question, lang)
    if cell is None or not cell.shown or not cell.n or len(items) < 2:
        return []
    most = cell.n * (len(items) - 1)
    found = []
    for code, label in items:
        borda, rank = cell.get(f"borda:{code}"), cell.get(f"rank:{code}")
        if borda is not None and rank is not None:
            found.append(Priority(code, label, borda / most, rank))
    return sorted(found, key=lambda p: (-p.points, p.mean_rank))
