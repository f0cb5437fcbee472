"""Background work of collection: expired drafts are purged every night (Huey, consult/jobs.py).

A draft holds a respondent's typed answers under a hashed code, for as long as the survey's
``resume_days``; after that nobody can resume it, and keeping it would keep answers no one
submitted. The same purge runs on demand as ``consult purge-drafts``.
"""

from __future__ import annotations

from huey import crontab

from consult import db
from consult.collection.drafts import purge_expired
from consult.jobs import app_context, huey


@huey.periodic_task(crontab(hour="3", minute="17"), retries=2, retry_delay=600)
def purge_expired_drafts() -> int:
    """Delete every expired draft; returns how many."""
    with app_context():
        session = db.session()
        purged = purge_expired(session)
        session.commit()
        return purged
