"""Retention: a survey's responses, drafts and invitations are deleted after a date.

The date is a survey setting (``RETENTION``, ISO yyyy-mm-dd, the last day kept), announced on the
survey's page; a daily job (collection/tasks.py) purges every survey past it, and
``consult purge SLUG`` does so at once. The survey itself, its questions and the audit trail
stay; the trail records what was deleted (counts only).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from consult.accounts.audit import Action, record
from consult.collection.models import Draft, Invitation, Response
from consult.problems import Refusal
from consult.surveys.models import Survey

RETENTION = "delete_responses_after"


def retention_date(survey: Survey) -> date | None:
    raw = (survey.settings or {}).get(RETENTION)
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def set_retention(session: Session, actor: object, survey: Survey, text: str) -> None:
    """Set (or, with an empty ``text``, clear) the last day a survey's responses are kept."""
    text = text.strip()
    day = None
    if text:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise Refusal.at("retention", _("Write the date as YYYY-MM-DD.")) from None
        if day < date.today():
            raise Refusal.at(
                "retention", _("The date is in the past: use consult purge to delete now.")
            )
    settings = dict(survey.settings or {})
    if day is None:
        settings.pop(RETENTION, None)
    else:
        settings[RETENTION] = day.isoformat()
    survey.settings = settings
    session.flush()
    record(session, actor, Action.retention_set, survey, day=day.isoformat() if day else "none")


def held(session: Session, survey: Survey) -> dict[str, int]:
    """How many responses, drafts and invitations the survey holds."""
    return {
        "responses": _count(session, Response, survey),
        "drafts": _count(session, Draft, survey),
        "invitations": _count(session, Invitation, survey),
    }


def _count(session: Session, model: type, survey: Survey) -> int:
    column = model.survey_id  # type: ignore[attr-defined]
    stmt = select(func.count()).select_from(model).where(column == survey.id)
    return session.scalar(stmt) or 0


def purge(
    session: Session, survey: Survey, actor: object = None, why: str = "command"
) -> dict[str, int]:
    """Delete every response (with its answers and flags), draft and invitation of ``survey``."""
    counts = held(session, survey)
    # Answers, flags, invitation uses and e-mails go with their rows (ON DELETE CASCADE).
    session.execute(delete(Draft).where(Draft.survey_id == survey.id))
    session.execute(delete(Response).where(Response.survey_id == survey.id))
    session.execute(delete(Invitation).where(Invitation.survey_id == survey.id))
    session.flush()
    record(session, actor, Action.responses_purged, survey, why=why, details=counts)
    return counts


def due(session: Session, today: date | None = None) -> list[Survey]:
    """Surveys past their retention date that still hold anything."""
    today = today or date.today()
    found = []
    for survey in session.scalars(select(Survey)):
        day = retention_date(survey)
        if day is not None and day < today and any(held(session, survey).values()):
            found.append(survey)
    return found
