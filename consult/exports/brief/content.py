"""What the brief says, worked out from the same Summary as the results page and the workbook.

Every figure is read through ``cell_value`` (exports/summary/cells.py), the workbook's own:
a suppressed cell gives "<k" or "hidden" here exactly as there. Counts of respondents follow
the Overview sheet: a count below k shows as "<k".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from consult.analysis import summarising, voices
from consult.analysis.exclusion import Comparison, compare
from consult.analysis.filters import Filters
from consult.analysis.fingerprint import fingerprint
from consult.analysis.priorities import Priority, priorities
from consult.analysis.summarising import OVERALL, WEIGHTED, Summary
from consult.exports.brief.sentences import Sentence, sentences
from consult.exports.brief.wording import words
from consult.exports.summary.cells import (
    cell_value,
    channel_label,
    filters_text,
    language_name,
    unit_label,
)
from consult.surveys.models import Survey


@dataclass
class Bar:
    """One bar of a chart: its label, the figure as printed, its length from 0 to 1."""

    label: str
    text: str
    value: float | None


@dataclass
class Panel:
    """One recommendation in the matrix chart: a bar per stakeholder group and overall."""

    title: str
    bars: list[Bar]


@dataclass
class Matrix:
    caption: str
    panels: list[Panel]
    sentences: list[Sentence]


@dataclass
class Ranking:
    caption: str
    overall: list[Priority]
    first_by_group: list[tuple[str, str]]  # (group, the item it ranks first)


@dataclass
class Counts:
    """A table of respondent counts, as the Overview sheet gives them."""

    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Brief:
    summary: Summary
    lang: str
    w: dict[str, str]
    title: str
    made: date
    who: Counts
    channels: Counts
    languages: Counts
    matrices: list[Matrix] = field(default_factory=list)
    rankings: list[Ranking] = field(default_factory=list)
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # (where, who, text)
    quotes_withheld: bool = False
    filters: str = ""
    digest: str = ""
    comparison: Comparison | None = None  # the figures the other way (review's exclusions)


def count_text(n: float, k: int) -> str:
    return f"<{k}" if 0 < n < k else f"{int(n):,}"


def figure_text(value: str | float | None) -> str:
    if value is None:
        return "–"
    return value if isinstance(value, str) else f"{100 * value:.1f}%"


def _who(summary: Summary, lang: str) -> Counts:
    k = summary.thresholds.k
    table: dict[str, dict[str, int]] = {}
    for group, region, _lang, _channel, n in summary.respondents:
        cells = table.setdefault(group, {})
        cells[region] = cells.get(region, 0) + n
    regions = summary.regions
    w = words(lang)
    rows = [
        (
            unit_label(summary, group, lang),
            [count_text(table.get(group, {}).get(r, 0), k) for r in regions]
            + [count_text(sum(table.get(group, {}).values()), k)],
        )
        for group in summary.groups
    ]
    totals = [count_text(sum(c.get(r, 0) for c in table.values()), k) for r in regions]
    rows.append((w["total"], [*totals, f"{summary.total:,}"]))
    columns = [unit_label(summary, r, lang, "region") for r in regions] + [w["total"]]
    return Counts(columns, rows)


def _tally(summary: Summary, lang: str, column: int) -> Counts:
    sizes: dict[str, int] = {}
    for row in summary.respondents:
        code = str(row[column])
        sizes[code] = sizes.get(code, 0) + row[4]
    name = language_name if column == 2 else (lambda code: channel_label(code, lang))
    k = summary.thresholds.k
    return Counts(
        [words(lang)["responses"]],
        [(name(code), [count_text(n, k)]) for code, n in sorted(sizes.items())],
    )


def _matrices(summary: Summary, lang: str) -> list[Matrix]:
    k = summary.thresholds.k
    units = [*summary.groups, OVERALL, WEIGHTED]
    found = []
    for block in summary.blocks():
        panels = []
        for rec, result in block:
            bars = []
            for unit in units:
                value = cell_value(result.by_group[unit], "agree", k, lang)
                share = value if isinstance(value, float) else None
                bars.append(Bar(unit_label(summary, unit, lang), figure_text(value), share))
            panels.append(Panel(summary.survey.text(rec.label, lang), bars))
        caption = summary.survey.text(block[0][1].question.label, lang)
        found.append(Matrix(caption, panels, sentences(summary, block, lang)))
    return found


def _rankings(summary: Summary, lang: str) -> list[Ranking]:
    found = []
    for result in summary.rankings():
        firsts = []
        for group in summary.groups:
            top = priorities(result, group, lang)
            if top:
                firsts.append((unit_label(summary, group, lang), top[0].label))
        caption = summary.survey.text(result.question.label, lang)
        found.append(Ranking(caption, priorities(result, OVERALL, lang), firsts))
    return found


def brief_content(
    session: Session, survey: Survey, lang: str, filters: Filters | None = None
) -> Brief:
    """Count, summarise and word the brief of ``survey`` in ``lang`` (one summarising path)."""
    filters = filters or Filters()
    frames = summarising.frames(session, survey, filters)
    summary = summarising.summarise(frames, survey)
    view = voices.View(survey, filters, summary.small_groups, summary.total, summary.thresholds.k)
    quoted = voices.quotes(session, view)
    w = words(lang)
    brief = Brief(
        summary=summary,
        lang=lang,
        w=w,
        title=survey.text(survey.title, lang),
        made=date.today(),
        who=_who(summary, lang),
        channels=_tally(summary, lang, 3),
        languages=_tally(summary, lang, 2),
        matrices=_matrices(summary, lang),
        rankings=_rankings(summary, lang),
        quotes_withheld=view.withheld,
        filters=filters_text(summary, lang),
        comparison=compare(session, survey, summary, lang),
    )
    for question, group, text in quoted:
        where = survey.text(question.recommendation.label, lang) if question.recommendation else ""
        hidden = w["group_not_shown"] if summary.small_groups else w["not_given"]
        who = unit_label(summary, group, lang) if group else hidden
        brief.quotes.append((where, who, text))
    quote_keys = [(question.code, text) for question, _group, text in quoted]
    brief.digest = fingerprint(frames, summary.thresholds, survey, quote_keys)
    return brief
