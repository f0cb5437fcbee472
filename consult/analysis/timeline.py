"""Responses over time: how many arrived each day (or week), for the results page.

Counts only, as the Overview sheet gives them: a day with fewer than k responses shows "<k"
and no exact bar. Anonymous surveys keep only the day of a submission, so a day is the finest
step there is; past ``WEEKLY_AFTER`` days the page counts weeks (from Monday) instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.collection.models import Response
from consult.surveys.models import Survey

WEEKLY_AFTER = 62  # days shown one by one; a longer period is shown by week


@dataclass(frozen=True)
class Step:
    """One bar: the first day it covers, its responses, and whether it is too small to show."""

    start: date
    n: int
    small: bool


@dataclass(frozen=True)
class Timeline:
    steps: list[Step]
    weekly: bool
    highest: int  # the tallest bar's count (the chart's scale runs from 0 to it)


def per_day(session: Session, survey: Survey, filters: Filters) -> dict[date, int]:
    """Responses per submission day in the view: one GROUP BY over the responses."""
    r = Response.__table__.c
    day = func.date(r.submitted_at)
    stmt = select(day, func.count()).where(*filters.where(survey)).group_by(day)
    found: dict[date, int] = {}
    for value, n in session.connection().execute(stmt):
        if value is None:
            continue
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        when = when.date() if isinstance(when, datetime) else when
        found[when] = found.get(when, 0) + n
    return found


def timeline(days: dict[date, int], k: int) -> Timeline:
    """Steps from the first day to the last, empty days included (a gap shows as a gap)."""
    if not days:
        return Timeline([], weekly=False, highest=0)
    first, last = min(days), max(days)
    weekly = (last - first).days >= WEEKLY_AFTER
    step = timedelta(days=7 if weekly else 1)
    start = first - timedelta(days=first.weekday()) if weekly else first
    steps = []
    while start <= last:
        n = sum(days.get(start + timedelta(days=i), 0) for i in range(step.days))
        steps.append(Step(start, n, 0 < n < k))
        start += step
    highest = max((s.n for s in steps if not s.small), default=0)
    return Timeline(steps, weekly, max(highest, k))
