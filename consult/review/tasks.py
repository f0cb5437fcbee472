"""Background job of review: the quality checks of a large survey."""

from __future__ import annotations

from consult import db
from consult.accounts.audit import Action, record
from consult.accounts.models import User
from consult.jobs import app_context, huey
from consult.review import flags
from consult.surveys.models import Survey


@huey.task(retries=1, retry_delay=60)
def check_survey(survey_id: int, actor_id: int | None = None) -> None:
    with app_context():
        session = db.database().sessionmaker()
        try:
            survey = session.get(Survey, survey_id)
            if survey is None:
                return
            counts = flags.scan(session, survey)
            actor = session.get(User, actor_id) if actor_id is not None else None
            record(session, actor, Action.quality_checked, survey,
                   details={str(k): v for k, v in counts.items()})  # fmt: skip
            session.commit()
        finally:
            session.close()
