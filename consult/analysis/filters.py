"""Which responses a summary, a page, a brief or an export covers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from consult.collection.models import Channel, Response
from consult.problems import Problems
from consult.surveys.models import QuestionRole, Survey

# The query-string names of the filters (the results page, its downloads, the brief, exports).
FILTER_ARGS = ("group", "province", "channel", "answered", "from", "to", "excluded")
# ``?excluded=include``: figures and exports with the responses review left out.
INCLUDE_EXCLUDED = "include"


@dataclass(frozen=True)
class Filters:
    """Which responses a summary (or export) covers; None means "any"."""

    channel: str | None = None
    language: str | None = None
    # Submission days, both included.
    since: date | None = None
    until: date | None = None
    # A stakeholder group's code; a province's (or region's) code.
    group: str | None = None
    province: str | None = None
    # Responses left out after review (Response.excluded) count too; by default they do not.
    with_excluded: bool = False
    # Known to leave nothing out by exclusion (set by ``resolved``): counts need no responses.
    none_excluded: bool = False

    def where(self, survey: Survey) -> list[ColumnElement[bool]]:
        r = Response.__table__.c
        clauses = [r.survey_id == survey.id]
        if not self.with_excluded:
            clauses.append(r.excluded.is_(False))
        if self.group:
            ids = [g.id for g in survey.groups if g.code == self.group]
            clauses.append(r.group_id == ids[0] if ids else false())
        if self.province:
            clauses.append(r.region == self.province)
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
        """Whether a filter a person chose narrows the view (exclusion is no such choice)."""
        return any((self.channel, self.language, self.since, self.until, self.group, self.province))

    def query(self) -> dict[str, str]:
        """The filters as query-string arguments (FILTER_ARGS), for links that keep them."""
        pairs = {
            "group": self.group,
            "province": self.province,
            "channel": self.channel,
            "answered": self.language,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
            "excluded": INCLUDE_EXCLUDED if self.with_excluded else None,
        }
        return {key: value for key, value in pairs.items() if value}

    @property
    def restricts(self) -> bool:
        """Whether the view may leave responses out: a filter, or exclusion not known to be
        empty. Counting reads the answers alone, and the responses only then."""
        return self.active or not (self.with_excluded or self.none_excluded)

    def resolved(self, session: Session, survey: Survey) -> Filters:
        """These filters, knowing whether ``survey`` has excluded responses (one look-up)."""
        if self.with_excluded or self.none_excluded or has_excluded(session, survey):
            return self
        return replace(self, none_excluded=True)


def has_excluded(session: Session, survey: Survey) -> bool:
    r = Response.__table__.c
    stmt = select(r.id).where(r.survey_id == survey.id, r.excluded.is_(True)).limit(1)
    return session.execute(stmt).first() is not None


def excluded_count(session: Session, survey: Survey) -> int:
    r = Response.__table__.c
    stmt = select(func.count()).where(r.survey_id == survey.id, r.excluded.is_(True))
    return session.execute(stmt).scalar() or 0


def province_codes(survey: Survey) -> list[str]:
    """The codes of the province (or region) question's options, in its order."""
    question = next((q for q in survey.questions if q.role == QuestionRole.region), None)
    return [code for code, _label in question.options()] if question is not None else []


def parse_filters(args: Mapping[str, str], survey: Survey) -> Filters:
    """The filters of a query string; Refusal naming each one that makes no sense."""
    problems = Problems()
    group = args.get("group") or None
    if group is not None and group not in {g.code for g in survey.groups}:
        problems.add(_("There is no stakeholder group %(code)s.", code=group), "group")
    province = args.get("province") or None
    if province is not None and province not in province_codes(survey):
        problems.add(_("There is no province or region %(code)s.", code=province), "province")
    channel = args.get("channel") or None
    if channel is not None and channel not in {c.value for c in Channel}:
        problems.add(_("There is no channel %(name)s.", name=channel), "channel")
    answered = args.get("answered") or None
    if answered is not None and answered not in survey.languages:
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
    return Filters(
        channel=channel,
        language=answered,
        since=since,
        until=until,
        group=group,
        province=province,
        with_excluded=args.get("excluded") == INCLUDE_EXCLUDED,
    )
