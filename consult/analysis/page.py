"""What the results page shows, worked out from a Summary: labels, formatted figures, bars.

Figures come only from ``Cell.get``/``Cell.status``, so a suppressed cell has nothing to show
here either. Charts are plain SVG rectangles drawn by the template (no script, no CDN); every
bar runs from zero on a fixed scale, so equal figures draw equal bars in any column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.analysis.priorities import Priority, priorities
from consult.analysis.summarising import NOT_GIVEN, OVERALL, WEIGHTED, Cell, Result, Status, Summary
from consult.surveys.models import QuestionRole, Survey
from consult.surveys.questions import question_type

# Five-point scales run from red (disagree) through grey (neutral) to green (agree).
DIVERGING = ("#c0392b", "#e6a07c", "#c8c8c8", "#8cc084", "#1e7b34")
CATEGORICAL = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


@dataclass
class Shown:
    """One figure as the page shows it."""

    text: str  # "64.3%", "<5", "hidden", "–"
    value: float | None = None  # 0..1 for shares: the bar's length
    colour: str | None = None


@dataclass
class MatrixRow:
    label: str
    question_id: int  # the scale behind the row (its comments are its recommendation's)
    recommendation_id: int
    agree: list[Shown]
    n: list[Shown]
    consensus: list[str]
    spread: str
    split: bool


@dataclass
class Block:
    caption: str
    rows: list[MatrixRow]


@dataclass
class Segment:
    x: float
    width: float
    colour: str
    title: str


@dataclass
class Bar:
    label: str
    n: Shown
    segments: list[Segment]  # the stacked bar (empty for multi-select and hidden cells)
    shares: list[Shown]  # per category
    figures: list[Shown]

    @property
    def description(self) -> str:
        """The stacked bar in words, for those who do not see it."""
        return "; ".join(s.title for s in self.segments)


@dataclass
class Chart:
    caption: str
    legend: list[tuple[str, str]]
    stats: list[str]  # headings of the figures beside each bar
    bars: list[Bar]
    stacked: bool


@dataclass
class RankTable:
    caption: str
    items: list[tuple[str, list[Shown], list[Shown]]]  # item, mean ranks, Borda points
    order: list[Priority]  # most important first (overall), for the chart


@dataclass
class View:
    columns: list[str]
    blocks: list[Block] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    rankings: list[RankTable] = field(default_factory=list)


def unit_label(survey: Survey, unit: str, lang: str, by: str = "group") -> str:
    if unit == OVERALL:
        return _("Overall (each respondent counts once)")
    if unit == WEIGHTED:
        return _("Overall (each group counts equally)")
    if unit == NOT_GIVEN:
        return _("Not given")
    if by == "group":
        for group in survey.groups:
            if group.code == unit:
                return survey.text(group.label, lang)
    for question in survey.questions:
        if question.role == QuestionRole.region:
            for code, label in question.options():
                if code == unit:
                    return survey.text(label, lang)
    return unit


def shown(cell: Cell, stat: str, k: int, kind: str = "pct") -> Shown:
    if cell.status == Status.small:
        return Shown(f"<{k}")
    if cell.status == Status.hidden:
        return Shown(_("hidden"))
    value = cell.get(stat)
    if value is None:
        return Shown("–")
    if kind == "pct":
        return Shown(f"{100 * value:.1f}%", value, heat(value))
    if kind == "int":
        return Shown(f"{value:,.0f}")
    return Shown(f"{value:.2f}")


def n_shown(cell: Cell, k: int) -> Shown:
    if cell.status == Status.small:
        return Shown(f"<{k}")
    return Shown(f"{cell.n or 0:,.0f}")


def heat(share: float) -> str:
    """Red at 0, amber at one half, green at 1: dark enough to see on white (the bars)."""
    low, mid, high = (0xC0, 0x39, 0x2B), (0xB7, 0x79, 0x1F), (0x1E, 0x7B, 0x34)
    a, b, t = (low, mid, share * 2) if share < 0.5 else (mid, high, share * 2 - 1)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def build(summary: Summary, lang: str) -> View:
    survey, k = summary.survey, summary.thresholds.k
    units = [*summary.groups, OVERALL, WEIGHTED]
    view = View(columns=[unit_label(survey, u, lang) for u in units])
    marks = {"agree": _("✔ agree"), "disagree": _("✔ disagree")}
    for block in summary.blocks():
        rows = []
        for rec, result in block:
            cells = [result.by_group[u] for u in units]
            d = result.divergence
            rows.append(
                MatrixRow(
                    label=survey.text(rec.label, lang),
                    question_id=result.question.id,
                    recommendation_id=rec.id,
                    agree=[shown(c, "agree", k) for c in cells],
                    n=[n_shown(c, k) for c in cells],
                    consensus=[marks.get(result.consensus.get(u) or "", "") for u in units],
                    spread=f"{d.spread:.2f}" if d else "–",
                    split=bool(d and d.split),
                )
            )
        view.blocks.append(Block(survey.text(block[0][1].question.label, lang), rows))
    for result in summary.results:
        if question_type(result.question.type).ranks:
            view.rankings.append(_ranking(summary, result, lang, units))
        else:
            view.charts.append(_chart(summary, result, lang))
    return view


def _chart(summary: Summary, result: Result, lang: str) -> Chart:
    survey, k = summary.survey, summary.thresholds.k
    question = result.question
    qtype = question_type(question.type)
    categories = qtype.categories(question, lang)
    stacked = qtype.shares_add_up
    palette = DIVERGING if qtype.agreement and len(categories) == 5 else CATEGORICAL
    colours = [palette[i % len(palette)] for i in range(len(categories))]
    stats = qtype.chart_stats
    # Not "% agree": Babel would read "% a" and "% d" as placeholders.
    headings = {"agree": _("Agree (%)"), "disagree": _("Disagree (%)"), "mean": _("Mean")}
    headings["median"] = _("Median")
    bars = []
    for unit, cell in result.by_group.items():
        segments, x = [], 0.0
        for (key, label), colour in zip(categories, colours, strict=True):
            share = cell.get(f"pct:{key}")
            if share and stacked:
                segments.append(Segment(x, 100 * share, colour, f"{label}: {100 * share:.1f}%"))
                x += 100 * share
        shares = [shown(cell, f"pct:{key}", k) for key, _label in categories]
        figures = [shown(cell, s, k, "pct" if s in ("agree", "disagree") else "num") for s in stats]
        label = unit_label(survey, unit, lang)
        bars.append(Bar(label, n_shown(cell, k), segments, shares, figures))
    caption = survey.text(question.label, lang)
    legend = [(label, colour) for (_key, label), colour in zip(categories, colours, strict=True)]
    return Chart(caption, legend, [headings[s] for s in stats], bars, stacked)


def _ranking(summary: Summary, result: Result, lang: str, units: list[str]) -> RankTable:
    survey, k = summary.survey, summary.thresholds.k
    question = result.question
    items = []
    for code, label in question_type(question.type).categories(question, lang):
        cells = [result.by_group[u] for u in units]
        items.append(
            (
                label,
                [shown(c, f"rank:{code}", k, "num") for c in cells],
                [shown(c, f"borda:{code}", k, "int") for c in cells],
            )
        )
    order = priorities(result, OVERALL, lang)
    return RankTable(survey.text(question.label, lang), items, order)
