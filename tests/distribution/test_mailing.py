"""Invitations by e-mail through a real SMTP server (aiosmtpd): sending, bounces, reminders to
those who have not answered, unsubscribing, and what organizers of anonymous surveys see."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.accounts.audit import AuditEvent
from consult.accounts.roles import Role
from consult.collection.pending import pending_uses
from consult.collection.tasks import record_pending_uses
from consult.distribution.models import Delivery, InvitationMail
from tests import factories
from tests.conftest import form_tokens, make_app

LINK = re.compile(r"http://127\.0\.0\.1:5000/i/(\S+)")
UNSUBSCRIBE = re.compile(r"http://127\.0\.0\.1:5000(/u/\S+)")


@pytest.fixture
def mail_app(engine, connection, smtp, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, JOBS_IMMEDIATE=True, MAIL_URL=smtp.url,
                    MAIL_FROM="consult@example.org")  # fmt: skip


@pytest.fixture
def organizer_client(mail_app, session):
    survey = factories.small(session)
    client = mail_app.test_client()
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    return client, survey


def _send(client, survey, rows, language="en"):
    import io

    csv = "name,email,group\n" + "".join(f"{n},{e},media\n" for n, e in rows)
    data = {**form_tokens(client, f"/admin/surveys/{survey.slug}/mail/"), "language": language,
            "file": (io.BytesIO(csv.encode()), "people.csv")}  # fmt: skip
    return client.post(f"/admin/surveys/{survey.slug}/mail/send", data=data,
                       content_type="multipart/form-data")  # fmt: skip


def _statuses(session, survey):
    rows = session.scalars(select(InvitationMail).where(InvitationMail.survey_id == survey.id))
    return sorted(r.status for r in rows)


def test_twenty_invitations_a_bounce_an_answer_and_a_reminder(organizer_client, smtp, session):
    client, survey = organizer_client
    smtp.refuse.add("gone@example.org")
    people = [(f"Person {n}", f"p{n}@example.org") for n in range(19)]
    people.append(("Gone", "gone@example.org"))
    assert _send(client, survey, people).status_code == 302
    assert len(smtp.messages) == 19
    session.expire_all()
    assert _statuses(session, survey) == ["bounced"] + ["sent"] * 19
    first = smtp.to("p0@example.org")[0]
    assert first["Subject"] == "Your views on: Small survey"
    body = first.get_content()
    assert "Dear Person 0" in body and first["List-Unsubscribe"]

    # p0 and p2..p5 answer through their links; p1 unsubscribes.
    respondent = client.application.test_client()
    for n in (0, 2, 3, 4, 5):
        token = LINK.search(smtp.to(f"p{n}@example.org")[0].get_content()).group(1)
        answers = {**form_tokens(respondent, f"/i/{token}"), **factories.valid_small_answers()}
        assert respondent.post(f"/i/{token}", data=answers).status_code == 302
    unsubscribe = UNSUBSCRIBE.search(smtp.to("p1@example.org")[0].get_content()).group(1)
    assert respondent.get(unsubscribe).status_code == 200  # a page with a button, no change
    assert (
        respondent.post(unsubscribe, data=form_tokens(respondent, unsubscribe)).status_code == 200
    )

    # The survey is anonymous: the uses wait for a batch (collection/pending.py), so nobody
    # has answered yet as far as the mail page can tell; once recorded, they are left out.
    mail_page = f"/admin/surveys/{survey.slug}/mail/"
    assert "18 people can get a reminder now" in client.get(mail_page).get_data(as_text=True)
    with client.application.app_context():
        assert record_pending_uses(pending_uses(), 5) == 5
    smtp.messages.clear()
    page = client.get(mail_page).get_data(as_text=True)
    assert "13 people can get a reminder now" in page
    client.post(f"/admin/surveys/{survey.slug}/mail/remind",
                data=form_tokens(client, mail_page))  # fmt: skip
    reminded = sorted(m["To"] for m in smtp.messages)
    assert len(reminded) == 13
    answered = {f"p{n}@example.org" for n in (0, 2, 3, 4, 5)}
    assert not {"p1@example.org", "gone@example.org", *answered} & set(reminded)
    assert smtp.messages[0]["Subject"] == "Reminder: Small survey"
    # The same link as the invitation's.
    assert LINK.search(smtp.to("p6@example.org")[0].get_content())
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "invitations sent" in actions and "reminders sent" in actions


def test_anonymous_survey_pages_never_say_who_answered(organizer_client, smtp, session):
    client, survey = organizer_client
    assert survey.anonymous
    _send(client, survey, [("Ayesha", "a@example.org"), ("Bilal", "b@example.org")])
    token = LINK.search(smtp.to("a@example.org")[0].get_content()).group(1)
    respondent = client.application.test_client()
    respondent.post(f"/i/{token}", data={**form_tokens(respondent, f"/i/{token}"),
                                         **factories.valid_small_answers()})  # fmt: skip
    page = client.get(f"/admin/surveys/{survey.slug}/mail/").get_data(as_text=True)
    row_a = re.search(r"a@example.org</td><td>([^<]*)<", page).group(1)
    row_b = re.search(r"b@example.org</td><td>([^<]*)<", page).group(1)
    assert row_a == row_b == "sent"  # delivery only: the same for the one who answered


def test_a_busy_server_leaves_the_message_to_be_retried(organizer_client, smtp, session):
    client, survey = organizer_client
    smtp.busy = 1
    _send(client, survey, [("A", "a@example.org")])
    session.expire_all()
    [row] = session.scalars(select(InvitationMail).where(InvitationMail.survey_id == survey.id))
    assert row.status == Delivery.queued and row.error  # not sent, not given up: retried later
    assert not smtp.messages


def test_a_list_without_addresses_sends_nothing(organizer_client, smtp):
    client, survey = organizer_client
    response = _send(client, survey, [("A", "not an address")])
    assert response.status_code == 400
    assert "row 2: no valid e-mail address" in response.get_data(as_text=True)
    assert not smtp.messages


def test_the_template_needs_the_link_in_each_language(organizer_client):
    client, survey = organizer_client
    url = f"/admin/surveys/{survey.slug}/mail/template"
    data = {**form_tokens(client, f"/admin/surveys/{survey.slug}/mail/"), "max_reminders": "2",
            "reminder_days": "7"}  # fmt: skip
    for key in ("subject", "body", "reminder_subject", "reminder_body"):
        for lang in survey.languages:
            data[f"{key}-{lang}"] = "{link} text" if key.endswith("body") else "Subject"
    data["body-ur"] = "بغیر لنک کے"
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Put {link} where" in response.get_data(as_text=True)
    assert "بغیر لنک کے" in response.get_data(as_text=True)  # what was typed is kept
    data["body-ur"] = "{link} لنک"
    assert client.post(url, data=data).status_code == 302


def test_a_forged_unsubscribe_code_finds_nothing(client):
    assert client.get("/u/1-000000000000000000000000").status_code == 404
