"""Response counts for organizers: by stakeholder group, province or region, and channel."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.collection.models import Response
from consult.collection.responses import response_count
from consult.surveys.models import QuestionRole, StakeholderGroup, Survey


@dataclass
class Counts:
    total: int = 0
    # (label, count) in the survey's order; "Not given" last when some responses lack it.
    by_group: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)


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


@dataclass
class GroupProgress:
    label: str
    count: int
    target: int | None
    quota: int | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.target) if self.target else None


@dataclass
class Board:
    """What the monitor page shows while a consultation runs."""

    total: int
    groups: list[GroupProgress]
    regions: list[tuple[str, str]]  # (code, label), in the survey's order
    # group label → region code → count
    cross: dict[str, dict[str, int]]
    region_targets: dict[str, int]
    channels: list[str]
    # group label → channel → count
    by_channel: dict[str, dict[str, int]]
    # (day, count), most recent last
    by_day: list[tuple[str, int]]


def board(session: Session, survey: Survey, lang: str, not_given: str) -> Board:
    """Counts by group × region, group × channel and day: three grouped queries."""
    labels: dict[int | None, str] = {g.id: survey.text(g.label, lang) for g in survey.groups}
    groups = list(labels.values()) + [not_given]
    region_question = next((q for q in survey.questions if q.role == QuestionRole.region), None)
    regions = [
        (code, survey.text(label, lang))
        for code, label in (region_question.options() if region_question else [])
    ]
    cross: dict[str, dict[str, int]] = {g: {} for g in groups}
    per_group: dict[str, int] = dict.fromkeys(groups, 0)
    for group_id, region, n in session.execute(
        select(Response.group_id, Response.region, func.count())
        .where(Response.survey_id == survey.id)
        .group_by(Response.group_id, Response.region)
    ).all():
        label = labels.get(group_id, not_given)
        cross[label][region or ""] = cross[label].get(region or "", 0) + n
        per_group[label] += n
    by_channel: dict[str, dict[str, int]] = {g: {} for g in groups}
    channels: set[str] = set()
    for group_id, channel, n in session.execute(
        select(Response.group_id, Response.channel, func.count())
        .where(Response.survey_id == survey.id)
        .group_by(Response.group_id, Response.channel)
    ).all():
        by_channel[labels.get(group_id, not_given)][channel] = n
        channels.add(channel)
    day = func.date(Response.submitted_at)
    by_day = [
        (str(d), n)
        for d, n in session.execute(
            select(day, func.count())
            .where(Response.survey_id == survey.id)
            .group_by(day)
            .order_by(day.desc())
            .limit(30)
        ).all()
    ][::-1]
    progress = [
        GroupProgress(labels[g.id], per_group[labels[g.id]], g.target, g.quota)
        for g in survey.groups
    ]
    if per_group[not_given]:
        progress.append(GroupProgress(not_given, per_group[not_given], None, None))
    else:
        cross.pop(not_given)
        by_channel.pop(not_given)
    targets = {str(k): int(v) for k, v in survey.settings.get("region_targets", {}).items()}
    return Board(
        total=sum(per_group.values()),
        groups=progress,
        regions=regions,
        cross=cross,
        region_targets=targets,
        channels=sorted(channels),
        by_channel=by_channel,
        by_day=by_day,
    )
