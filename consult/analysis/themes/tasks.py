"""The theming job as Huey tasks (``consult worker`` runs them; consult/cli.py TASK_MODULES).

``theme_survey`` themes one survey; ``execute`` is the same work in the calling process
(``consult themes run``). Both hold the survey's run (runs.claim), so the two never overlap.
A worker that dies leaves its run stale: ``resume_stalled`` queues it again, every minute and
when a worker starts, and the new job goes on from the vectors already stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from consult import db
from consult.analysis.themes import runs
from consult.analysis.themes.embedding import Embedder, EmbedderMissing, default_embedder
from consult.analysis.themes.models import RunState
from consult.jobs import app_context, crontab, huey
from consult.surveys.models import Survey

if TYPE_CHECKING:
    from consult.analysis.themes.running import Outcome

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


def stale_seconds() -> int:
    return int(current_app.config.get("THEMES_STALE_SECONDS", runs.STALE_SECONDS))


def execute(
    survey_id: int, progress: Progress | None = None, embedder: Embedder | None = None
) -> Outcome | None:
    """Claim the survey's queued run and do it; None when another job holds it (or nothing
    is queued). A failure is recorded on the run (shown on the page) and raised again."""
    session = db.database().sessionmaker()
    try:
        holder = runs.claim(session, survey_id, stale_seconds())
        if holder is None:
            return None
        try:
            return _work(session, survey_id, holder, progress, embedder)
        except runs.LostClaim:
            session.rollback()
            log.warning("Theming of survey %s was taken over by another job.", survey_id)
            return None
        except Exception as error:
            session.rollback()
            message = str(error) if isinstance(error, EmbedderMissing) else type(error).__name__
            runs.finish(session, survey_id, holder, RunState.failed, message)
            session.commit()
            raise
    finally:
        session.close()


def _work(
    session: Session,
    survey_id: int,
    holder: str,
    progress: Progress | None,
    embedder: Embedder | None,
) -> Outcome:
    # The work and its numpy load here, in the worker: the pages that queue a run and every
    # `consult` command start without them (docs/performance.md, start-up).
    from consult.analysis.themes.running import run

    survey = session.get(Survey, survey_id)
    row = runs.current(session, survey_id)
    if survey is None or row is None:
        raise LookupError(f"survey {survey_id} is gone")

    def checkpoint(phase: str, done: int, total: int) -> None:
        runs.beat(session, survey_id, holder, phase, done, total)
        session.commit()
        if progress is not None:
            progress(phase, done, total)

    outcome = run(session, survey, embedder or default_embedder(), checkpoint, row.suggest)
    runs.finish(
        session, survey_id, holder, RunState.done,
        embedded=outcome.embedded, proposed=outcome.proposed,
    )  # fmt: skip
    session.commit()
    return outcome


@huey.task()
def theme_survey(survey_id: int) -> None:
    """Theme one survey in the worker (queued by the page or ``consult themes run --queue``)."""
    with app_context():
        execute(survey_id)


def resume_stalled() -> list[int]:
    """Queue again the runs whose worker died; their survey ids."""
    session = db.database().sessionmaker()
    try:
        found = runs.stalled(session, stale_seconds())
    except SQLAlchemyError:  # no database yet (before `consult init`), or it is down
        log.exception("Could not look for stalled theming runs.")
        return []
    finally:
        session.close()
    for survey_id in found:
        log.warning("Theming of survey %s stalled: queued again.", survey_id)
        theme_survey(survey_id)
    return found


@huey.periodic_task(crontab(minute="*"))
def resume_stalled_runs() -> None:
    with app_context():
        resume_stalled()


@huey.on_startup()
def resume_on_start() -> None:
    """A restarted worker picks up runs its predecessor left (once they are stale)."""
    with app_context():
        resume_stalled()
