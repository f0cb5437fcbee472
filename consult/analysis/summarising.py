"""Where each stakeholder group stands: figures per question × group and per question × province.

Two steps (ARCHITECTURE.md, "Flow"): ``frames()`` reads the responses once, streamed, and keeps
only counts (how many respondents of each group and province gave each stored value);
``summarise()`` turns those counts into figures through the question types, suppresses small
cells, and adds the group-weighted overall, consensus and divergence. Once counted, no single
respondent's answers exist here, so nothing downstream can show one.

Small-cell suppression: a cell built from fewer than k respondents shows "<k" and no figures.
Because the overall column is shown beside the groups, one hidden group could be recovered by
subtraction (overall minus the groups shown); so while the hidden cells of a row add up to fewer
than k respondents, the smallest shown cell is hidden too (complementary suppression), and the
group-weighted overall uses only the groups shown.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from statistics import pstdev
from typing import Any

from sqlalchemy.orm import Session

from consult.analysis import counting
from consult.analysis.counting import NOT_GIVEN
from consult.analysis.filters import Filters
from consult.surveys.models import Question, QuestionRole, Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.figures import Figures

# Unit keys besides group and province codes.
OVERALL = "__overall__"  # every respondent counts once
WEIGHTED = "__weighted__"  # every group shown counts equally


class Status(enum.StrEnum):
    ok = "ok"
    small = "small"  # fewer than k respondents: "<k", no figures
    hidden = "hidden"  # k or more, hidden so that a small cell cannot be worked out
    empty = "empty"  # nobody


@dataclass(frozen=True)
class Thresholds:
    """Per-survey analysis settings: ``Survey.k_min`` and ``Survey.settings["analysis"]``."""

    k: int = 5
    # Consensus: this share on one side (agree or disagree) and an IQR no wider than this.
    consensus_share: float = 0.7
    consensus_iqr: float = 1.0
    # Groups split on a question when their means lie this far apart (or majorities oppose).
    split_spread: float = 1.0

    @classmethod
    def of(cls, survey: Survey) -> Thresholds:
        settings = survey.settings.get("analysis") or {}
        return cls(
            k=max(1, int(survey.k_min)),
            consensus_share=float(settings.get("consensus_share", cls.consensus_share)),
            consensus_iqr=float(settings.get("consensus_iqr", cls.consensus_iqr)),
            split_spread=float(settings.get("split_spread", cls.split_spread)),
        )


# question_id, group (code or NOT_GIVEN), region (code or NOT_GIVEN), stored value, n
Count = tuple[int, str, str, str, int]
# group, region, language, channel, n (responses)
People = tuple[str, str, str, str, int]


@dataclass
class Frames:
    """Counts only: what summarise() needs, and nothing that identifies a respondent.

    Plain lists of a few thousand rows; summarise() sums them.
    """

    counts: list[Count]
    respondents: list[People]
    first: datetime | None
    last: datetime | None
    filters: Filters


def summarised_questions(survey: Survey) -> list[Question]:
    """Questions with figures; the group question is the breakdown itself."""
    return [
        q for q in survey.ordered_questions() if q.role != QuestionRole.group and _has_figures(q)
    ]


def _has_figures(question: Question) -> bool:
    qtype = question_type(question.type)
    return qtype.has_answer and qtype.summarise(question, {}) is not None


def frames(session: Session, survey: Survey, filters: Filters | None = None) -> Frames:
    """Count the answers of ``survey``: memory bounded by distinct values, not by responses."""
    filters = (filters or Filters()).resolved(session, survey)
    ids = [q.id for q in summarised_questions(survey)]
    count_rows, people_rows, first, last = counting.count(session, survey, filters, ids)
    codes = {g.id: g.code for g in survey.groups}
    counts: list[Count] = [
        (qid, codes.get(gid, NOT_GIVEN) if gid else NOT_GIVEN, region, value, n)
        for gid, region, qid, value, n in count_rows
    ]
    respondents: list[People] = [
        (codes.get(gid, NOT_GIVEN) if gid else NOT_GIVEN, region, language, channel, n)
        for gid, region, language, channel, n in people_rows
    ]
    return Frames(counts, respondents, first, last, filters)


def small_groups(survey: Survey, sizes: Mapping[str, float], k: int) -> set[str]:
    """Groups (NOT_GIVEN included) with some but fewer than k respondents in the view.

    Their figures are not shown and their comments carry no group name. Needs only the
    respondents per group (counting.group_sizes gives them before any answer is counted).
    """
    return {g for g in [*(g.code for g in survey.groups), NOT_GIVEN] if 0 < sizes.get(g, 0) < k}


@dataclass
class Cell:
    """One unit's figures for one question, suppression already applied."""

    status: Status
    # Respondents; None for a small cell (its exact size is not shown either).
    n: float | None = None
    figures: Figures = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.status == Status.ok

    def get(self, stat: str) -> float | None:
        return self.figures.get(stat) if self.shown else None


@dataclass
class Divergence:
    """How far the groups shown lie apart on a question with a mean."""

    spread: float  # highest group mean minus lowest
    sd: float  # standard deviation of the group means
    split: bool  # spread at the threshold, or one group's majority agrees and another's disagrees
    groups: int


@dataclass
class Result:
    question: Question
    # Units in display order: groups (NOT_GIVEN if any), then OVERALL and WEIGHTED.
    by_group: dict[str, Cell]
    # Provinces or regions (NOT_GIVEN if any), then OVERALL.
    by_region: dict[str, Cell]
    divergence: Divergence | None = None
    # Scale questions: "agree", "disagree" or None, per unit of by_group.
    consensus: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Summary:
    survey: Survey
    thresholds: Thresholds
    filters: Filters
    total: int
    first: datetime | None
    last: datetime | None
    groups: list[str]
    regions: list[str]
    results: list[Result]
    respondents: list[People]
    # Groups with fewer than k respondents in this view: their comments are shown without group.
    small_groups: set[str]

    def result(self, question: Question) -> Result:
        return next(r for r in self.results if r.question.id == question.id)

    def blocks(self) -> list[list[tuple[Any, Result]]]:
        """The recommendation × group matrix: block i holds each recommendation's i-th scale."""
        per_rec = [
            [r for r in self.results if r.question.recommendation_id == rec.id and _is_scale(r)]
            for rec in self.survey.recommendations
        ]
        depth = max((len(found) for found in per_rec), default=0)
        return [
            [
                (rec, found[i])
                for rec, found in zip(self.survey.recommendations, per_rec, strict=True)
                if i < len(found)
            ]
            for i in range(depth)
        ]

    def rankings(self) -> list[Result]:
        return [r for r in self.results if question_type(r.question.type).ranks]


def _is_scale(result: Result) -> bool:
    return question_type(result.question.type).agreement


def summarise(frames: Frames, survey: Survey, thresholds: Thresholds | None = None) -> Summary:
    th = thresholds or Thresholds.of(survey)
    people = frames.respondents
    group_order = [g.code for g in survey.groups]
    groups = group_order + ([NOT_GIVEN] if any(p[0] == NOT_GIVEN for p in people) else [])
    region_q = next((q for q in survey.questions if q.role == QuestionRole.region), None)
    region_order = [code for code, _ in region_q.options()] if region_q is not None else []
    known = set(region_order)
    regions = region_order + ([NOT_GIVEN] if any(p[1] not in known for p in people) else [])
    sizes: dict[str, int] = {}
    for group, *_, n in people:
        sizes[group] = sizes.get(group, 0) + n
    small = small_groups(survey, sizes, th.k)

    tallies = _tallies(frames.counts, known)
    results = [
        _result(question, tallies, groups, regions, th) for question in summarised_questions(survey)
    ]
    return Summary(
        survey=survey,
        thresholds=th,
        filters=frames.filters,
        total=sum(p[4] for p in people),
        first=frames.first,
        last=frames.last,
        groups=groups,
        regions=regions,
        results=results,
        respondents=people,
        small_groups=small,
    )


# Respondents per value: everyone, then per unit (group or province), per question id.
Tally = dict[str, float]
Tallies = tuple[dict[int, Tally], dict[int, dict[str, Tally]], dict[int, dict[str, Tally]]]


def _tallies(counts: list[Count], known_regions: set[str]) -> Tallies:
    """The counts summed per question and value: overall, per group and per province.

    Plain dictionaries: a large survey has a few tens of thousands of count rows, which sum
    here in ~20 ms; pandas took as long to import (~0.3 s) as the rest of a 100,000-response
    summary's counting (docs/performance.md). Keys are put in sorted order, so each figure adds
    up in the same order whatever order the database gave the counts in. Province codes the
    question does not offer count as "not given".
    """
    overall: dict[tuple[int, str], int] = defaultdict(int)
    by_unit: tuple[dict[tuple[int, str, str], int], ...] = (defaultdict(int), defaultdict(int))
    for qid, group, region, value, n in counts:
        region = region if region in known_regions else NOT_GIVEN
        overall[qid, value] += n
        by_unit[0][qid, group, value] += n
        by_unit[1][qid, region, value] += n
    everyone: dict[int, Tally] = {}
    for (qid, value), n in sorted(overall.items()):
        everyone.setdefault(qid, {})[value] = float(n)
    per_unit: list[dict[int, dict[str, Tally]]] = []
    for sums in by_unit:
        units: dict[int, dict[str, Tally]] = {}
        for (qid, unit, value), n in sorted(sums.items()):
            units.setdefault(qid, {}).setdefault(unit, {})[value] = float(n)
        per_unit.append(units)
    return everyone, per_unit[0], per_unit[1]


def _result(
    question: Question,
    tallies: Tallies,
    groups: list[str],
    regions: list[str],
    th: Thresholds,
) -> Result:
    qtype = question_type(question.type)
    everyone = tallies[0].get(question.id, {})
    group_tallies = tallies[1].get(question.id, {})

    def figures(tally: Tally) -> Figures:
        return qtype.summarise(question, tally) or {"n": 0.0}

    per_group = {unit: figures(t) for unit, t in group_tallies.items()}
    per_region = {unit: figures(t) for unit, t in tallies[2].get(question.id, {}).items()}
    by_group = suppress({g: per_group.get(g, {"n": 0.0}) for g in groups}, th.k)
    by_region = suppress({r: per_region.get(r, {"n": 0.0}) for r in regions}, th.k)
    overall = figures(everyone)
    by_group[OVERALL] = by_region[OVERALL] = _cell(overall, th.k)

    # Group-weighted: each group shown gets the same total weight; hidden groups take no part,
    # so the weighted figure cannot be used to work a hidden group out.
    shown = [g for g in groups if by_group[g].shown and g != NOT_GIVEN]
    if shown:
        total = sum(by_group[g].n or 0.0 for g in shown)
        weighted: dict[str, float] = {}
        for g in shown:
            scale = total / len(shown) / (by_group[g].n or 1.0)
            for value, n in group_tallies.get(g, {}).items():
                weighted[value] = weighted.get(value, 0.0) + n * scale
        by_group[WEIGHTED] = Cell(Status.ok, total, figures(weighted))
    else:
        by_group[WEIGHTED] = Cell(Status.empty if not everyone else Status.small)

    result = Result(question, by_group, by_region)
    if "mean" in qtype.stats:
        result.divergence = _divergence([by_group[g] for g in shown], th)
    if qtype.agreement:
        result.consensus = {unit: _consensus(cell, th) for unit, cell in by_group.items()}
    return result


def _cell(figures: Figures, k: int) -> Cell:
    n = figures.get("n", 0.0)
    if not n:
        return Cell(Status.empty, 0.0)
    if n < k:
        return Cell(Status.small)
    return Cell(Status.ok, n, figures)


def suppress(units: dict[str, Figures], k: int) -> dict[str, Cell]:
    """Primary suppression (n < k), then complementary suppression against subtraction."""
    cells = {unit: _cell(f, k) for unit, f in units.items()}
    sizes = {unit: f.get("n", 0.0) for unit, f in units.items()}
    hidden_total = sum(sizes[u] for u, c in cells.items() if c.status == Status.small)
    while 0 < hidden_total < k:
        shown = [u for u, c in cells.items() if c.status == Status.ok]
        if not shown:
            break
        smallest = min(shown, key=lambda u: sizes[u])
        cells[smallest] = Cell(Status.hidden, sizes[smallest])
        hidden_total += sizes[smallest]
    return cells


def _consensus(cell: Cell, th: Thresholds) -> str | None:
    if not cell.shown or cell.figures.get("iqr", float("inf")) > th.consensus_iqr + 1e-9:
        return None
    if cell.figures.get("agree", 0.0) >= th.consensus_share - 1e-9:
        return "agree"
    if cell.figures.get("disagree", 0.0) >= th.consensus_share - 1e-9:
        return "disagree"
    return None


def _divergence(cells: list[Cell], th: Thresholds) -> Divergence | None:
    means = [c.figures["mean"] for c in cells if "mean" in c.figures]
    if len(means) < 2:
        return None
    spread = max(means) - min(means)
    opposed = any(c.figures.get("agree", 0.0) > 0.5 for c in cells) and any(
        c.figures.get("disagree", 0.0) > 0.5 for c in cells
    )
    return Divergence(
        spread=spread,
        sd=pstdev(means),
        split=spread >= th.split_spread - 1e-9 or opposed,
        groups=len(means),
    )
