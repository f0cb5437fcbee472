"""Background jobs of distribution: invitation and reminder e-mails, scheduled reminders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult import db, mail
from consult.accounts.audit import Action, record
from consult.distribution import mailing
from consult.distribution.models import Delivery, InvitationMail, MailTemplate
from consult.jobs import app_context, crontab, huey
from consult.surveys.models import Survey, SurveyState

RETRIES = 4


@contextmanager
def _session() -> Iterator[tuple[Session, dict[str, object]]]:
    """A session of the job's own (committed by the job), and the app's settings."""
    with app_context() as app:
        session = db.database().sessionmaker()
        try:
            yield session, app.config
        finally:
            session.close()


@huey.task(retries=RETRIES, retry_delay=120, context=True)
def send_invitation_mail(invitation_id: int, reminder: bool = False, task: object = None) -> None:
    """Send one invitation (or reminder); a temporary failure is tried again, four times."""
    with _session() as (session, config):
        row = session.get(InvitationMail, invitation_id)
        if row is None:
            return
        secret = str(config["SECRET_KEY"])
        message = mailing.message(session, row, str(config["BASE_URL"]), secret, reminder)
        if message is None:
            return
        try:
            mail.send(str(config["MAIL_URL"]), str(config["MAIL_FROM"]), message)
        except mail.MailRefused as refused:
            mailing.mark(session, invitation_id, Delivery.bounced, str(refused))
        except mail.MailFailed as failed:
            last_try = getattr(task, "retries", 0) == 0
            status = Delivery.failed if last_try else Delivery(row.status)
            mailing.mark(session, invitation_id, status, str(failed))
            session.commit()
            raise
        else:
            mailing.mark(session, invitation_id, Delivery.sent, reminder=reminder)
        session.commit()


def queue_sending(ids: list[int], reminder: bool = False) -> None:
    """Hand the messages to the job queue (after the caller committed the rows)."""
    for invitation_id in ids:
        send_invitation_mail(invitation_id, reminder)


@huey.periodic_task(crontab(minute="7"))
def send_due_reminders() -> None:
    """Hourly: reminders that are due, for every open survey with a message template."""
    with _session() as (session, _config):
        surveys = session.scalars(
            select(Survey).join(MailTemplate).where(Survey.state == SurveyState.open)
        ).all()
        queued: list[int] = []
        for survey in surveys:
            due = mailing.due_reminders(session, survey)
            if due:
                record(session, None, Action.reminders_sent, survey, count=len(due),
                       scheduled=True)  # fmt: skip
                queued += due
        session.commit()
    queue_sending(queued, reminder=True)
