"""Background work of accounts: e-mail to staff (sign-up links), forgetting old sign-ins."""

from __future__ import annotations

from datetime import timedelta

from consult import db, mail
from consult.accounts import sessions
from consult.jobs import app_context, crontab, huey


@huey.task(retries=5, retry_delay=60)
def send_staff_mail(to: str, subject: str, body: str) -> None:
    """One message to a colleague; a temporary failure is tried again (5 times, a minute apart)."""
    with app_context() as app:
        try:
            mail.send(app.config["MAIL_URL"], app.config["MAIL_FROM"], mail.Mail(to, subject, body))
        except mail.MailRefused:
            app.logger.warning("a staff e-mail was refused by the mail server")


@huey.periodic_task(crontab(minute="17"))
def forget_old_sign_ins() -> None:
    """Hourly: sign-ins past the absolute lifetime can open nothing; their rows go."""
    with app_context() as app:
        session = db.database().sessionmaker()
        try:
            sessions.forget_old(session, timedelta(hours=float(app.config["SIGN_IN_HOURS"])))
            session.commit()
        finally:
            session.close()
