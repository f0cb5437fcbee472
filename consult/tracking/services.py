"""Editing what is tracked per recommendation. Each function checks everything first (a
Refusal with a problem beside each field, nothing changed), changes, records the step in the
audit trail, and flushes; the view commits."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consult.accounts.audit import Action, record
from consult.db import utcnow
from consult.problems import Problems, Refusal
from consult.surveys.models import Recommendation, Survey
from consult.tracking.models import Delivery, Evidence, Kpi, KpiActual, Status

T = TypeVar("T", Kpi, Evidence)
TEXT_LIMIT, UNIT_LIMIT, URL_LIMIT = 200, 40, 2000


def status_labels() -> dict[str, str]:
    """Each status in the current language, in the order the page offers them."""
    return {
        Status.not_started: str(_l("Not started")),
        Status.in_progress: str(_l("In progress")),
        Status.done: str(_l("Done")),
        Status.stalled: str(_l("Stalled")),
    }


def delivery(session: Session, recommendation: Recommendation) -> Delivery:
    """The recommendation's delivery as stored, or a blank one (not added) when none is."""
    found = session.get(Delivery, recommendation.id)
    return found or Delivery(
        recommendation_id=recommendation.id, owner="", status=Status.not_started, progress=0
    )


@dataclass
class Tracked:
    """Everything tracked for a survey's recommendations, read in three queries."""

    deliveries: dict[int, Delivery]
    kpis: dict[int, list[Kpi]]
    links: dict[int, list[Evidence]]

    def delivery(self, rec: Recommendation) -> Delivery:
        return self.deliveries.get(rec.id) or Delivery(
            recommendation_id=rec.id, owner="", status=Status.not_started, progress=0
        )


def tracked(session: Session, survey: Survey) -> Tracked:
    ids = [r.id for r in survey.recommendations]
    found = Tracked({}, {}, {})
    for d in session.scalars(select(Delivery).where(Delivery.recommendation_id.in_(ids))):
        found.deliveries[d.recommendation_id] = d
    kpi_rows = select(Kpi).where(Kpi.recommendation_id.in_(ids)).options(selectinload(Kpi.actuals))
    for kpi in session.scalars(kpi_rows.order_by(Kpi.id)):
        found.kpis.setdefault(kpi.recommendation_id, []).append(kpi)
    links = select(Evidence).where(Evidence.recommendation_id.in_(ids)).order_by(Evidence.id)
    for link in session.scalars(links):
        found.links.setdefault(link.recommendation_id, []).append(link)
    return found


def _text(value: str, field: str, limit: int, problems: Problems, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        problems.add(str(_l("Required.")), field)
    elif len(text) > limit:
        problems.add(str(_l("At most %(n)d characters.", n=limit)), field)
    return text


def _number(value: str, field: str, problems: Problems) -> float:
    text = value.strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        problems.add(str(_l("A number, such as 12 or 3.5.")), field)
        return 0.0
    return number


def _audit(session: Session, actor: Any, survey: Survey, rec: Recommendation, **what: Any) -> None:
    record(session, actor, Action.implementation_changed, survey, rec.code, **what)


def save_delivery(
    session: Session, actor: Any, survey: Survey, rec: Recommendation,
    *, owner: str, status: str, progress: str,
) -> Delivery:  # fmt: skip
    problems = Problems()
    owner = _text(owner, "owner", TEXT_LIMIT, problems, required=False)
    if status not in set(Status):
        problems.add(str(_l("Choose a status.")), "status")
    percent = 0
    text = progress.strip().rstrip("%").strip()
    if not text.isdigit() or not 0 <= int(text) <= 100:
        problems.add(str(_l("A whole number from 0 to 100.")), "progress")
    else:
        percent = int(text)
    problems.raise_any()
    found = delivery(session, rec)
    found.owner, found.status, found.progress, found.updated_at = owner, status, percent, utcnow()
    session.add(found)
    session.flush()
    _audit(session, actor, survey, rec, changed="delivery", status=status, progress=percent)
    return found


def add_kpi(
    session: Session, actor: Any, survey: Survey, rec: Recommendation,
    *, name: str, unit: str, baseline: str, target: str,
) -> Kpi:  # fmt: skip
    problems = Problems()
    kpi = Kpi(
        recommendation_id=rec.id,
        name=_text(name, "name", TEXT_LIMIT, problems),
        unit=_text(unit, "unit", UNIT_LIMIT, problems, required=False),
        baseline=_number(baseline, "baseline", problems),
        target=_number(target, "target", problems),
    )
    problems.raise_any()
    session.add(kpi)
    session.flush()
    _audit(session, actor, survey, rec, changed="kpi added", kpi=kpi.name)
    return kpi


def add_actual(
    session: Session, actor: Any, survey: Survey, kpi: Kpi, *, measured_on: str, value: str
) -> KpiActual:
    """A KPI's value on a day; a second value for the same day replaces the first."""
    problems = Problems()
    try:
        day = date.fromisoformat(measured_on.strip())
    except ValueError:
        problems.add(str(_l("A date as yyyy-mm-dd.")), "measured_on")
        day = date.min
    number = _number(value, "value", problems)
    problems.raise_any()
    found = next((a for a in kpi.actuals if a.measured_on == day), None)
    if found is None:
        found = KpiActual(measured_on=day, value=number)
        kpi.actuals.append(found)
        kpi.actuals.sort(key=lambda a: a.measured_on)
    found.value = number
    session.flush()
    rec = session.get_one(Recommendation, kpi.recommendation_id)
    _audit(session, actor, survey, rec, changed="kpi actual", kpi=kpi.name, on=day.isoformat())
    return found


def check_url(url: str, problems: Problems) -> str:
    """An absolute http or https address (no javascript:, data: or file: links)."""
    text = url.strip()
    parts = urlsplit(text) if text.isprintable() else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        problems.add(str(_l("An address starting with http:// or https://.")), "url")
    elif len(text) > URL_LIMIT:
        problems.add(str(_l("At most %(n)d characters.", n=URL_LIMIT)), "url")
    return text


def add_evidence(
    session: Session, actor: Any, survey: Survey, rec: Recommendation, *, url: str, label: str
) -> Evidence:
    problems = Problems()
    link = Evidence(
        recommendation_id=rec.id,
        url=check_url(url, problems),
        label=_text(label, "label", TEXT_LIMIT, problems),
    )
    problems.raise_any()
    session.add(link)
    session.flush()
    _audit(session, actor, survey, rec, changed="evidence added", label=link.label)
    return link


def remove(session: Session, actor: Any, survey: Survey, thing: Kpi | Evidence) -> None:
    rec = session.get_one(Recommendation, thing.recommendation_id)
    what = "kpi removed" if isinstance(thing, Kpi) else "evidence removed"
    name = thing.name if isinstance(thing, Kpi) else thing.label
    session.delete(thing)
    session.flush()
    _audit(session, actor, survey, rec, changed=what, name=name)


def owned(session: Session, survey: Survey, model: type[T], raw: str) -> T:
    """The KPI or evidence link of id ``raw`` if it belongs to ``survey``; refused otherwise."""
    thing = session.get(model, int(raw)) if raw.isdigit() and len(raw) < 12 else None
    rec = session.get(Recommendation, thing.recommendation_id) if thing is not None else None
    if thing is None or rec is None or rec.survey_id != survey.id:
        raise Refusal.at(None, str(_l("Not found: it may have been removed.")))
    return thing
