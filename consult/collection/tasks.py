"""Background work of collection: the daily retention purge."""

from __future__ import annotations

from huey import crontab

from consult import db
from consult.collection import retention
from consult.jobs import app_context, huey


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
