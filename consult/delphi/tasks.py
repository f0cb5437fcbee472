"""Background job: each round's links by e-mail.

The job makes the links and sends them in one go, so a token exists only in the job's memory
and in the message: nothing keeps it sealed for later, and no row ties an address to an
invitation. A message that cannot be sent has its link revoked; sending again (the round
page's button) makes a new one. No retries: a retried job would make second links.
"""

from __future__ import annotations

import logging
from pathlib import Path

from consult import db, mail
from consult.accounts.audit import Action, record
from consult.accounts.models import User
from consult.delphi import keys, rounds
from consult.delphi.models import DelphiStudy
from consult.distribution import mailing
from consult.jobs import app_context, huey

log = logging.getLogger("consult.delphi")


def message(link: rounds.Link, title: str, texts: tuple[str, str], url: str) -> mail.Mail:
    """The survey's invitation message (distribution.mailing's template) with this link."""
    subject, body = texts

    def fill(text: str) -> str:
        text = text.replace(mailing.SURVEY, title).replace(mailing.NAME, link.panellist.name)
        return text.replace(mailing.LINK, url)

    return mail.Mail(to=link.panellist.email, subject=fill(subject), body=fill(body))


@huey.task()
def send_round_links(study_id: int, number: int, language: str, actor_id: int | None) -> None:
    """Make and e-mail a fresh link for every panellist without one for round ``number``."""
    with app_context() as app:
        session = db.database().sessionmaker()
        try:
            study = session.get(DelphiStudy, study_id)
            if study is None:
                return
            master = keys.configured_key(app.config, Path(app.instance_path))
            made = rounds.make_links(session, study, number, master)
            session.commit()
            survey = rounds.round_of(study, number).survey  # type: ignore[union-attr]
            lang = language if language in survey.languages else survey.default_language
            found = mailing.template(session, survey)
            texts = (survey.text(found.subject, lang), survey.text(found.body, lang))
            title = survey.text(survey.title, lang)
            base = str(app.config["BASE_URL"]).rstrip("/")
            failed = 0
            for link in made:
                try:
                    url = f"{base}/d/{link.token}?lang={lang}"
                    mail.send(str(app.config["MAIL_URL"]), str(app.config["MAIL_FROM"]),
                              message(link, title, texts, url))  # fmt: skip
                except (mail.MailFailed, mail.MailRefused) as error:
                    log.warning("delphi link not sent: %s", error)
                    rounds.withdraw(session, link)
                    failed += 1
            actor = session.get(User, actor_id) if actor_id else None
            record(session, actor, Action.delphi_links_sent,
                   study.survey, count=len(made) - failed, failed=failed, round=number)  # fmt: skip
            session.commit()
        finally:
            session.close()
