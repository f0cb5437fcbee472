"""Support beside delivery, per recommendation: what stakeholders said (% agree per group, and
their rating of implementation when the survey asks one) next to what was delivered (status,
progress, KPIs met). The gap between the two is what the NISP reviews never measured.

The implementation rating is found by its code: an agreement scale tagged with the
recommendation whose code ends in ``IMPLEMENTATION_SUFFIX`` (e.g. ``coordination_implementation``:
"How well has this been implemented?"). Any other agreement scale of the recommendation, the
first in survey order, is its support.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from consult.analysis.summarising import OVERALL, Cell, Result, Summary
from consult.surveys.models import Recommendation
from consult.surveys.questions import question_type
from consult.tracking import services
from consult.tracking.models import Delivery, Evidence, Kpi

# The hook: a question code ending so rates the recommendation's implementation.
IMPLEMENTATION_SUFFIX = "_implementation"


@dataclass
class SupportDelivery:
    recommendation: Recommendation
    units: list[str]  # the summary's groups, then OVERALL
    support: list[Cell]  # % agree per unit; no cells when the recommendation has no scale
    rating: list[Cell]  # the implementation rating per unit; empty when not asked
    delivery: Delivery
    kpis: list[Kpi]
    links: list[Evidence]

    @property
    def evidence(self) -> int:
        return len(self.links)

    @property
    def kpis_met(self) -> int:
        return sum(1 for kpi in self.kpis if kpi.met)


def is_rating(result: Result) -> bool:
    return result.question.code.endswith(IMPLEMENTATION_SUFFIX)


def _scales(summary: Summary, rec: Recommendation) -> list[Result]:
    return [
        r
        for r in summary.results
        if r.question.recommendation_id == rec.id and question_type(r.question.type).agreement
    ]


def support_and_delivery(session: Session, summary: Summary) -> list[SupportDelivery]:
    units = [*summary.groups, OVERALL]
    found = services.tracked(session, summary.survey)
    rows = []
    for rec in summary.survey.recommendations:
        scales = _scales(summary, rec)
        support = next((r for r in scales if not is_rating(r)), None)
        rating = next((r for r in scales if is_rating(r)), None)
        rows.append(
            SupportDelivery(
                recommendation=rec,
                units=units,
                support=[support.by_group[u] for u in units] if support else [],
                rating=[rating.by_group[u] for u in units] if rating else [],
                delivery=found.delivery(rec),
                kpis=found.kpis.get(rec.id, []),
                links=found.links.get(rec.id, []),
            )
        )
    return rows
