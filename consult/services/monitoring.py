"""Response counts for organizers: by stakeholder group, province or region, and channel."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import QuestionRole, Response, StakeholderGroup, Survey


@dataclass
class Counts:
    total: int = 0
    # (label, count) in the survey's order; "Not given" last when some responses lack it.
    by_group: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)


def response_count(session: Session, survey: Survey) -> int:
    stmt = select(func.count(Response.id)).where(Response.survey_id == survey.id)
    return session.scalar(stmt) or 0


def response_counts(session: Session, survey: Survey, lang: str, not_given: str) -> Counts:
    """Counts with labels in ``lang``; three grouped queries, whatever the number of responses."""
    counts = Counts(total=response_count(session, survey))

    by_group = dict(
        session.execute(
            select(Response.group_id, func.count())
            .where(Response.survey_id == survey.id)
            .group_by(Response.group_id)
        ).all()
    )
    groups: list[StakeholderGroup] = survey.groups
    counts.by_group = [(survey.text(g.label, lang), by_group.get(g.id, 0)) for g in groups]
    if by_group.get(None):
        counts.by_group.append((not_given, by_group[None]))

    by_region = dict(
        session.execute(
            select(Response.region, func.count())
            .where(Response.survey_id == survey.id)
            .group_by(Response.region)
        ).all()
    )
    region_question = next((q for q in survey.questions if q.role == QuestionRole.region), None)
    if region_question is not None:
        for code, label in region_question.options():
            counts.by_region.append((survey.text(label, lang), by_region.pop(code, 0)))
    unknown = sum(n for code, n in by_region.items())
    if unknown:
        counts.by_region.append((not_given, unknown))

    counts.by_channel = list(
        session.execute(
            select(Response.channel, func.count())
            .where(Response.survey_id == survey.id)
            .group_by(Response.channel)
            .order_by(Response.channel)
        ).all()
    )
    return counts
