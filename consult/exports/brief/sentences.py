"""Consensus and splits in plain sentences, made from the figures alone.

For one recommendation: the groups shown whose figures reach consensus to agree, those that
reach it to disagree, those without consensus whose answers lie close together (mostly neutral)
and those whose answers spread apart (divided); then whether the groups are split. A group too
small to show is never named here (its cell shows "<k" in the chart). Example: "Inter-agency
coordination: Academia agree; Media and Community members are divided. The groups are split:
their means lie 2.26 points apart."
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consult.analysis.summarising import NOT_GIVEN, Result, Summary
from consult.exports.brief.wording import words
from consult.exports.summary.cells import unit_label


@dataclass(frozen=True)
class Sentence:
    subject: str  # the recommendation
    text: str


def joined(names: list[str], w: dict[str, str]) -> str:
    """ "a", "a and b", "a, b and c" in the brief's language."""
    if len(names) < 2:
        return "".join(names)
    return w["list_sep"].join(names[:-1]) + w["and"] + names[-1]


def stance(summary: Summary, result: Result, lang: str) -> str:
    """Who agrees, who disagrees, who is divided, and whether the groups are split."""
    w = words(lang)
    sides: dict[str, list[str]] = {"agree": [], "disagree": [], "neutral": [], "divided": []}
    narrow = summary.thresholds.consensus_iqr + 1e-9
    for group in summary.groups:
        cell = result.by_group[group]
        if group == NOT_GIVEN or not cell.shown:
            continue
        # No consensus: answers close together (mostly the middle), or spread apart.
        close = cell.figures.get("iqr", float("inf")) <= narrow
        side = result.consensus.get(group) or ("neutral" if close else "divided")
        sides[side].append(unit_label(summary, group, lang))
    clauses = [f"{joined(names, w)} {w[side + '_verb']}" for side, names in sides.items() if names]
    if not clauses:
        return w["no_groups"]
    text = w["clause_sep"].join(clauses) + w["end"]
    divergence = result.divergence
    if divergence is not None:
        key = "split" if divergence.split else "not_split"
        text += " " + w[key].format(spread=f"{divergence.spread:.2f}")
    return text


def sentences(summary: Summary, block: list[tuple[Any, Result]], lang: str) -> list[Sentence]:
    return [
        Sentence(summary.survey.text(rec.label, lang), stance(summary, result, lang))
        for rec, result in block
    ]
