"""Background work of collection (Huey, consult/jobs.py): anonymous surveys' invitation uses
recorded in batches, expired drafts purged every night, and the daily retention purge.

A draft holds a respondent's typed answers under a hashed code, for as long as the survey's
``resume_days``; after that nobody can resume it, and keeping it would keep answers no one
submitted. The same purge runs on demand as ``consult purge-drafts``.
"""

from __future__ import annotations

from consult import db
from consult.collection import retention
from consult.collection.drafts import purge_expired
from consult.collection.invitations import record_batch
from consult.collection.pending import PendingUses, pending_uses
from consult.jobs import app_context, crontab, huey
from consult.surveys.models import Survey


@huey.periodic_task(crontab(hour="3", minute="17"), retries=2, retry_delay=600)
def purge_expired_drafts() -> int:
    """Delete every expired draft; returns how many."""
    with app_context():
        session = db.session()
        purged = purge_expired(session)
        session.commit()
        return purged


@huey.periodic_task(crontab(minute="*/5"), retries=2, retry_delay=60)
def record_invitation_uses() -> int:
    """Record anonymous surveys' confirmed invitation uses, a batch of at least
    INVITATION_USE_BATCH at a time (pending.py says why); returns how many were recorded."""
    with app_context() as app:
        return record_pending_uses(pending_uses(), int(app.config["INVITATION_USE_BATCH"]))


def record_pending_uses(store: PendingUses, minimum: int) -> int:
    """One pass over the surveys with uses waiting: each open anonymous survey with a batch
    gets it recorded; a survey that takes no answers any more lets its waiting uses go (they
    guard nothing now, and recording fewer than a batch would pair them with responses)."""
    store.release_stale()
    session, recorded = db.session(), 0
    for survey_id in store.surveys():
        survey = session.get(Survey, survey_id)
        waiting = [i for i, _group in store.confirmed(survey_id)]
        if survey is None or not survey.is_open or not survey.anonymous:
            if len(waiting) < minimum or survey is None:
                store.drop(waiting)
                continue
        ids = record_batch(session, store, survey, minimum)
        session.commit()
        store.drop(ids)  # only once the database holds them
        recorded += len(ids)
    return recorded


@huey.periodic_task(crontab(hour="2", minute="30"))
def purge_past_retention() -> None:
    """Daily: every survey past its retention date loses its responses, drafts, invitations."""
    with app_context():
        run_retention()


def run_retention() -> int:
    """The job's work, in a session of its own; how many surveys were purged."""
    session = db.database().sessionmaker()
    try:
        surveys = retention.due(session)
        for survey in surveys:
            retention.purge(session, survey, why="retention date passed")
        session.commit()
        return len(surveys)
    finally:
        session.close()
