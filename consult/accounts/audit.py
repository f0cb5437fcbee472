"""The audit trail: who did what, and when, to which survey. Append-only; no respondent data.

Every feature records its steps with ``record(session, actor, action, ...)`` (features import
accounts, never the reverse). A row is never changed or deleted: the database refuses it
(triggers made by the migration), and the ORM refuses it before that (``_refuse_changes``).
What a row may hold: the staff account that acted, the survey, a short target (an account's
e-mail, a response's public id, a file name) and counts. Never an answer, a respondent's name
or contact, a token, or an address.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from consult.db import Base, utcnow
from consult.spreadsheets.tables import Row
from consult.surveys.models import Survey


class Action(enum.StrEnum):
    """What can happen; the page and the export show these names."""

    sign_in = "sign-in"
    sign_in_failed = "sign-in failed"
    sign_out = "sign-out"
    sign_out_everywhere = "sign-out everywhere"
    password_changed = "password changed"  # noqa: S105 - an event name
    two_step_on = "two-step sign-in on"
    two_step_off = "two-step sign-in off"
    account_invited = "account invited"
    account_created = "account created"
    role_changed = "role changed"
    membership_changed = "membership changed"
    account_deactivated = "account deactivated"
    account_reactivated = "account reactivated"
    survey_changed = "survey changed after opening"
    survey_closed = "survey closed"
    survey_deleted = "survey deleted"
    retention_set = "retention date set"
    export = "export"
    download = "download"
    audit_export = "audit export"
    responses_imported = "responses imported"
    invitations_made = "invitations made"
    invitations_sent = "invitations sent"
    reminders_sent = "reminders sent"
    mail_template_changed = "message template changed"
    response_excluded = "response excluded"
    response_included = "response included again"
    response_deleted = "response deleted"
    responses_purged = "responses purged"
    quality_checked = "quality checked"
    webhook_changed = "webhook changed"
    implementation_changed = "implementation changed"
    backup = "backup"
    api_token_created = "API token created"  # noqa: S105 - an event name
    api_token_revoked = "API token revoked"  # noqa: S105 - an event name
    delphi_study_created = "Delphi study created"
    delphi_panel_added = "Delphi panellists added"
    delphi_protocol_set = "Delphi protocol set"
    delphi_round_opened = "Delphi round opened"
    delphi_round_closed = "Delphi round closed"
    delphi_links_sent = "Delphi links sent"
    delphi_comments_moderated = "Delphi comments moderated"
    restore = "restore"


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The staff account that acted (no foreign key: the row outlives any change to accounts);
    # None: the system (a scheduled job, a command) or an unknown address at sign-in.
    actor_id: Mapped[int | None]
    actor: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    # The survey concerned, by id and by slug as it was (the survey may be deleted later).
    survey_id: Mapped[int | None] = mapped_column(index=True)
    survey_slug: Mapped[str | None] = mapped_column(String(80))
    # What was acted on: an account's e-mail, a response's public id, a file name.
    target: Mapped[str | None] = mapped_column(String(254))
    # Counts and names, e.g. {"count": 20} or {"role": ["viewer", "organizer"]}.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    session: Session,
    actor: Any,
    action: Action,
    survey: Survey | None = None,
    target: str | None = None,
    *,
    details: Mapping[str, Any] | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add one event (flushed with the caller's transaction, so it stands or falls with it).

    ``actor``: the account that acted (anything with ``id`` and ``email``), or None.
    """
    event_row = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor=(getattr(actor, "email", None) or None),
        action=str(action),
        survey_id=survey.id if survey is not None else None,
        survey_slug=survey.slug if survey is not None else None,
        target=target[:254] if target else None,
        detail={**(details or {}), **detail},
    )
    session.add(event_row)
    session.flush()
    return event_row


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("The audit trail is append-only.")


@dataclass(frozen=True)
class AuditFilters:
    """Which events the page and the export show; None means any."""

    action: str | None = None
    actor: str | None = None
    survey: str | None = None
    since: date | None = None
    until: date | None = None
    # Only these surveys' events (an organizer's view); None: all (admins).
    survey_ids: tuple[int, ...] | None = None

    def where(self) -> list[ColumnElement[bool]]:
        e = AuditEvent
        clauses: list[ColumnElement[bool]] = []
        if self.action:
            clauses.append(e.action == self.action)
        if self.actor:
            clauses.append(func.lower(e.actor).contains(self.actor.lower(), autoescape=True))
        if self.survey:
            clauses.append(e.survey_slug == self.survey)
        if self.since:
            clauses.append(e.at >= datetime.combine(self.since, time.min))
        if self.until:
            clauses.append(e.at < datetime.combine(self.until + timedelta(days=1), time.min))
        if self.survey_ids is not None:
            clauses.append(e.survey_id.in_(self.survey_ids))
        return clauses


def parse_filters(args: Mapping[str, str]) -> AuditFilters:
    """Filters from a query string; a day that is not a date is ignored (the form says so)."""

    def day(key: str) -> date | None:
        try:
            return date.fromisoformat(args.get(key, "")) if args.get(key) else None
        except ValueError:
            return None

    action = args.get("action") or None
    if action is not None and action not in {a.value for a in Action}:
        action = None
    return AuditFilters(
        action=action,
        actor=(args.get("actor") or "").strip()[:254] or None,
        survey=(args.get("survey") or "").strip()[:80] or None,
        since=day("from"),
        until=day("to"),
    )


def events(
    session: Session, filters: AuditFilters, limit: int | None = 200, offset: int = 0
) -> list[AuditEvent]:
    """The newest events first."""
    stmt = select(AuditEvent).where(*filters.where()).order_by(AuditEvent.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return list(session.scalars(stmt))


def event_count(session: Session, filters: AuditFilters) -> int:
    return session.scalar(select(func.count(AuditEvent.id)).where(*filters.where())) or 0


EXPORT_HEADERS = ["at (UTC)", "actor", "action", "survey", "target", "detail"]


def export_rows(session: Session, filters: AuditFilters) -> Iterator[Row]:
    """Every event under ``filters``, oldest first, as text cells for a spreadsheet."""
    stmt = (
        select(AuditEvent)
        .where(*filters.where())
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000)
    )
    for row in session.scalars(stmt):
        yield [
            row.at.isoformat(sep=" ", timespec="seconds"),
            row.actor,
            row.action,
            row.survey_slug,
            row.target,
            describe(row.detail),
        ]


def describe(detail: Mapping[str, Any]) -> str:
    """``{"count": 20, "group": "media"}`` as ``count: 20, group: media``."""
    return ", ".join(f"{key}: {_text(value)}" for key, value in sorted(detail.items()))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " → ".join(str(v) for v in value)
    return str(value)
