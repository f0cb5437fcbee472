"""The theming job's row: asking for a run, the lock a running job holds, its progress.

A job holds its survey's ``ThemeRun`` row while it works: claimed by one conditional UPDATE
(so two workers, or a worker and ``consult themes run``, never theme one survey at once) and
renewed at every step. A worker that dies leaves a heartbeat that goes stale; after
``THEMES_STALE_SECONDS`` (default two minutes) the run may be claimed again, and a periodic
task and each worker's start hand it back to the queue (``tasks``). All times are naive UTC.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from consult.analysis.themes.models import RunState, ThemeRun
from consult.db import utcnow
from consult.problems import Refusal

STALE_SECONDS = 120


class LostClaim(RuntimeError):
    """Another job took the run over (this one was thought dead): stop without writing."""


def current(session: Session, survey_id: int) -> ThemeRun | None:
    return session.get(ThemeRun, survey_id)


def busy(run: ThemeRun | None, stale: int = STALE_SECONDS, now: datetime | None = None) -> bool:
    """Whether a run is queued or running and not stale."""
    if run is None or run.state not in (RunState.queued, RunState.running):
        return False
    seen = run.heartbeat or run.queued_at
    return seen >= (now or utcnow()) - timedelta(seconds=stale)


def request(
    session: Session, survey_id: int, suggest: bool = False, stale: int = STALE_SECONDS
) -> ThemeRun:
    """Queue a run of the survey; refused (409) while one is queued or running."""
    run = session.get(ThemeRun, survey_id, with_for_update=True)
    if busy(run, stale):
        raise Refusal.conflicting(_("Theming is already queued or running for this survey."))
    if run is None:
        run = ThemeRun(survey_id=survey_id)
        session.add(run)
    run.state, run.phase, run.done, run.total = RunState.queued, "", 0, 0
    run.holder, run.heartbeat, run.finished_at, run.message = None, None, None, ""
    run.queued_at, run.suggest = utcnow(), suggest
    session.flush()
    return run


def claim(session: Session, survey_id: int, stale: int = STALE_SECONDS) -> str | None:
    """Take the run for this job: its holder id, or None when another job holds it or nothing
    is queued. Commits, so that other jobs see the claim at once."""
    holder = secrets.token_hex(8)
    now = utcnow()
    r = ThemeRun.__table__.c
    result = session.execute(
        update(ThemeRun)
        .where(
            r.survey_id == survey_id,
            or_(
                r.state == RunState.queued,
                (r.state == RunState.running) & (r.heartbeat < now - timedelta(seconds=stale)),
            ),
        )
        .values(holder=holder, heartbeat=now, state=RunState.running)
    )
    session.commit()
    return holder if result.rowcount == 1 else None  # type: ignore[attr-defined]


def beat(session: Session, survey_id: int, holder: str, phase: str, done: int, total: int) -> None:
    """Record progress and renew the claim; LostClaim if the run is no longer this job's."""
    r = ThemeRun.__table__.c
    result = session.execute(
        update(ThemeRun)
        .where(r.survey_id == survey_id, r.holder == holder)
        .values(heartbeat=utcnow(), phase=phase, done=done, total=total)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LostClaim(survey_id)


def finish(
    session: Session,
    survey_id: int,
    holder: str,
    state: RunState,
    message: str = "",
    embedded: int = 0,
    proposed: int = 0,
) -> None:
    """End the run (done or failed) and let go of it."""
    r = ThemeRun.__table__.c
    session.execute(
        update(ThemeRun)
        .where(r.survey_id == survey_id, r.holder == holder)
        .values(
            state=state,
            holder=None,
            finished_at=utcnow(),
            message=message[:2000],
            embedded=embedded,
            proposed=proposed,
            heartbeat=utcnow(),
        )  # fmt: skip
    )


def stalled(session: Session, stale: int = STALE_SECONDS) -> list[int]:
    """Runs whose job died (running, heartbeat stale), put back in the queue: their surveys.

    Each row is taken back with a conditional UPDATE, so two workers starting at once queue
    it once."""
    r = ThemeRun.__table__.c
    cutoff = utcnow() - timedelta(seconds=stale)
    found = session.execute(
        select(r.survey_id, r.heartbeat).where(r.state == RunState.running, r.heartbeat < cutoff)
    ).all()
    taken = []
    for survey_id, heartbeat in found:
        result = session.execute(
            update(ThemeRun)
            .where(r.survey_id == survey_id, r.heartbeat == heartbeat, r.state == RunState.running)
            .values(state=RunState.queued, holder=None, heartbeat=None, queued_at=utcnow())
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(survey_id)
    session.commit()
    return taken
