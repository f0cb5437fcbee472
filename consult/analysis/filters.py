"""Which responses a summary, a page or an export covers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement

from consult.collection.models import Channel, Response
from consult.problems import Problems
from consult.surveys.models import Survey

# The query-string names of the filters (the results page, its workbook links, exports).
FILTER_ARGS = ("channel", "answered", "from", "to")


@dataclass(frozen=True)
class Filters:
    """Which responses a summary (or export) covers; None means "any"."""

    channel: str | None = None
    language: str | None = None
    # Submission days, both included.
    since: date | None = None
    until: date | None = None

    def where(self, survey: Survey) -> list[ColumnElement[bool]]:
        r = Response.__table__.c
        clauses = [r.survey_id == survey.id]
        if self.channel:
            clauses.append(r.channel == self.channel)
        if self.language:
            clauses.append(r.language == self.language)
        if self.since:
            clauses.append(r.submitted_at >= datetime.combine(self.since, time.min))
        if self.until:
            clauses.append(
                r.submitted_at < datetime.combine(self.until + timedelta(days=1), time.min)
            )
        return clauses

    @property
    def active(self) -> bool:
        return any((self.channel, self.language, self.since, self.until))


def parse_filters(args: Mapping[str, str], languages: Sequence[str]) -> Filters:
    """The filters of a query string; Refusal naming each one that makes no sense."""
    problems = Problems()
    channel = args.get("channel") or None
    if channel is not None and channel not in {c.value for c in Channel}:
        problems.add(_("There is no channel %(name)s.", name=channel), "channel")
    answered = args.get("answered") or None
    if answered is not None and answered not in languages:
        problems.add(_("This survey has no language %(code)s.", code=answered), "answered")
    days: dict[str, date | None] = {}
    for key in ("from", "to"):
        text = args.get(key) or ""
        try:
            days[key] = date.fromisoformat(text) if text else None
        except ValueError:
            problems.add(_("%(text)s is not a date: use the form 2026-11-25.", text=text), key)
            days[key] = None
    since, until = days["from"], days["to"]
    if since and until and since > until:
        problems.add(_("The first day is after the last day."), "to")
    problems.raise_any()
    return Filters(channel=channel, language=answered, since=since, until=until)
