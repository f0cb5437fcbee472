"""What the public page of a survey shows, all of it aggregates under the k rule.

Opt-in per survey (``Survey.settings[PUBLIC_PAGE]``, off by default). It shows what was asked,
who answered (groups × provinces, small cells suppressed as in every summary), the support
matrix, the change since the previous wave, implementation, and the method. Never an
individual answer; comments only when an organizer starred them AND the survey approves
starred quotes for the public (``settings[PUBLIC_QUOTES]``), under the comment rules of
analysis/voices.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from consult.analysis import page as results_page
from consult.analysis import process_page, recount, summarising, voices, waves
from consult.analysis.delivery import support_and_delivery
from consult.analysis.filters import Filters
from consult.analysis.page import Shown, unit_label
from consult.analysis.summarising import Status, Summary, suppress
from consult.surveys.models import PUBLIC_PAGE, PUBLIC_QUOTES, Survey
from consult.tracking.services import status_labels


def is_public(survey: Survey) -> bool:
    return survey.settings.get(PUBLIC_PAGE) is True


def quotes_approved(survey: Survey) -> bool:
    return survey.settings.get(PUBLIC_QUOTES) is True


@dataclass
class Asked:
    title: str
    questions: list[str]


@dataclass
class Answered:
    """Respondents per group × province; every cell suppressed by the k rule."""

    provinces: list[str]
    rows: list[tuple[str, list[Shown], Shown]]  # group label, per province, the group's total
    total: int


@dataclass
class PublicPage:
    survey: Survey
    lang: str
    summary: Summary
    asked: list[Asked]
    answered: Answered
    matrix: results_page.View
    waves: process_page.WavesView | None
    delivery_columns: list[str]
    delivery: list[process_page.DeliveryRow]
    quotes: list[tuple[str, str | None, str]] = field(default_factory=list)
    # Hook for consult/delphi (another part of issue 19): consensus across Delphi rounds, shown
    # on this page when the survey is a round of a study. None until that package fills it.
    delphi_consensus: Any = None


def _count(k: int, cell: summarising.Cell) -> Shown:
    """A count as shown: "<k" under k, "hidden" when hidden against subtraction."""
    if cell.status == Status.hidden:
        return results_page.shown(cell, "n", k)  # "hidden", never the count
    return results_page.n_shown(cell, k)


def who_answered(summary: Summary, lang: str) -> Answered:
    survey, k = summary.survey, summary.thresholds.k
    per: dict[str, dict[str, float]] = {}
    for group, region, _lang, _channel, n in summary.respondents:
        per.setdefault(group, {}).setdefault(region, 0.0)
        per[group][region] += n
    regions = summary.regions
    totals = suppress({g: {"n": sum(per.get(g, {}).values())} for g in summary.groups}, k)
    rows = []
    for group in summary.groups:
        total = _count(k, totals[group])
        if totals[group].status in (Status.small, Status.hidden):
            # The row's cells would add up to the total kept back: keep them back too.
            rows.append((unit_label(survey, group, lang), [total] * len(regions), total))
            continue
        cells = suppress({r: {"n": per.get(group, {}).get(r, 0.0)} for r in regions}, k)
        shown = [_count(k, cells[r]) for r in regions]
        rows.append((unit_label(survey, group, lang), shown, total))
    labels = [unit_label(survey, r, lang, by="region") for r in regions]
    return Answered(labels, rows, summary.total)


def support_matrix(summary: Summary, lang: str) -> results_page.View:
    """The results page's matrix, but a hidden cell shows no n either: with the overall n
    beside it, a hidden group's n would give away how many the small groups are."""
    view = results_page.build(summary, lang)
    units = [*summary.groups, summarising.OVERALL, summarising.WEIGHTED]
    for block, shown_block in zip(summary.blocks(), view.blocks, strict=True):
        for (_rec, result), row in zip(block, shown_block.rows, strict=True):
            for i, unit in enumerate(units):
                if result.by_group[unit].status == Status.hidden:
                    row.n[i] = results_page.shown(result.by_group[unit], "n", summary.thresholds.k)
    return view


def what_was_asked(survey: Survey, lang: str) -> list[Asked]:
    return [
        Asked(
            survey.text(section.title, lang) or section.code,
            [label for q in section.questions if (label := survey.text(q.label, lang))],
        )
        for section in survey.sections
    ]


def public_page(session: Session, survey: Survey, lang: str) -> PublicPage:
    summary = summarising.summarise(recount.counted(session, survey, Filters()), survey)
    # The earlier wave's figures only when that survey is public too: publishing one wave
    # must not publish another.
    earlier = waves.previous_wave(session, survey)
    shared = earlier is not None and is_public(earlier)
    comparison = waves.wave_comparison(session, survey, summary) if shared else None
    columns, delivered = process_page.delivery_rows(
        survey, support_and_delivery(session, summary), summary.thresholds.k, lang,
        status_labels(),
    )  # fmt: skip
    found = PublicPage(
        survey=survey,
        lang=lang,
        summary=summary,
        asked=what_was_asked(survey, lang),
        answered=who_answered(summary, lang),
        matrix=support_matrix(summary, lang),
        waves=process_page.waves_view(comparison, lang) if comparison else None,
        delivery_columns=columns,
        delivery=delivered,
    )
    if quotes_approved(survey):
        view = voices.comment_view(session, survey, Filters())
        found.quotes = [
            (survey.text(q.label, lang), unit_label(survey, g, lang) if g else None, text)
            for q, g, text in voices.quotes(session, view)
        ]
    return found
