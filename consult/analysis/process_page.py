"""What the results page and the public page show of waves and of support beside delivery,
worked out from analysis/waves.py and analysis/delivery.py. Suppressed cells show "<k" or
"hidden" and never a change; figures come only from shown cells."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from consult.analysis.delivery import SupportDelivery
from consult.analysis.page import Shown, n_shown, shown, unit_label
from consult.analysis.waves import Change, WaveComparison
from consult.surveys.models import Survey


def points(value: float) -> str:
    """A change in percentage points, signed: "+5.2", "−3.0" (a true minus sign)."""
    text = f"{100 * value:+.1f}"
    return text.replace("-", "−")


@dataclass
class ChangeShown:
    earlier: Shown
    later: Shown
    change: str  # "+5.2" or "–"
    interval: str  # "−1.0 to +11.4" or ""
    beyond: bool


@dataclass
class WaveRow:
    label: str
    question_code: str
    question: str
    cells: list[ChangeShown]


@dataclass
class WavesView:
    earlier_title: str
    earlier_slug: str
    columns: list[str]
    rows: list[WaveRow]
    missing_later: list[str]
    missing_earlier: list[str]


def change_shown(found: Change, k_before: int, k_after: int) -> ChangeShown:
    earlier, later = shown(found.earlier, "agree", k_before), shown(found.later, "agree", k_after)
    if not found.shown or found.change is None or found.low is None or found.high is None:
        return ChangeShown(earlier, later, "–", "", False)
    span = _("%(low)s to %(high)s", low=points(found.low), high=points(found.high))
    return ChangeShown(earlier, later, points(found.change), span, found.beyond_noise)


def waves_view(comparison: WaveComparison, lang: str) -> WavesView:
    later, earlier = comparison.later, comparison.earlier
    k_before = comparison.earlier_summary.thresholds.k
    k_after = comparison.later_summary.thresholds.k
    rows = [
        WaveRow(
            later.text(row.label, lang),
            row.question_code,
            later.text(row.question_label, lang),
            [change_shown(c, k_before, k_after) for c in row.changes],
        )
        for row in comparison.rows
    ]
    return WavesView(
        earlier.text(earlier.title, lang),
        earlier.slug,
        [unit_label(later, u, lang) for u in comparison.units],
        rows,
        comparison.missing_later,
        comparison.missing_earlier,
    )


@dataclass
class DeliveryRow:
    label: str
    support: list[Shown]
    n: list[Shown]
    rating: list[Shown]
    owner: str
    status: str
    progress: int
    kpis_met: int
    kpis: int
    evidence: int


def delivery_rows(
    survey: Survey, rows: list[SupportDelivery], k: int, lang: str, statuses: dict[str, str]
) -> tuple[list[str], list[DeliveryRow]]:
    columns = [unit_label(survey, u, lang) for u in rows[0].units] if rows else []
    shown_rows = [
        DeliveryRow(
            label=survey.text(r.recommendation.label, lang),
            support=[shown(c, "agree", k) for c in r.support],
            n=[n_shown(c, k) for c in r.support],
            rating=[shown(c, "agree", k) for c in r.rating],
            owner=r.delivery.owner,
            status=statuses.get(r.delivery.status, r.delivery.status),
            progress=r.delivery.progress,
            kpis_met=r.kpis_met,
            kpis=len(r.kpis),
            evidence=r.evidence,
        )
        for r in rows
    ]
    return columns, shown_rows
