"""Deliveries to a real receiver on 127.0.0.1: signed, retried, logged, paused; anonymous
surveys' responses a day at a time with nothing the raw export lacks."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from consult.authoring.surveys import change_state
from consult.db import utcnow
from consult.exports.raw import raw_table
from consult.webhooks import signing
from consult.webhooks.models import Webhook, WebhookDelivery
from consult.webhooks.tasks import send_anonymous_days
from tests import factories
from tests.conftest import form_tokens


def _hook(client, survey, url):
    page = f"/admin/surveys/{survey.slug}/webhook"
    response = client.post(page, data={**form_tokens(client, page), "url": url})
    assert response.status_code == 302, response.get_data(as_text=True)


def _answer(client, survey):
    url = f"/s/{survey.slug}"
    response = client.post(
        url, data={**form_tokens(client, url), **factories.valid_small_answers()}
    )
    assert response.status_code == 302


def _log(session, survey):
    webhook = session.scalar(select(Webhook).where(Webhook.survey_id == survey.id))
    rows = session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
        .order_by(WebhookDelivery.id)
    ).all()  # fmt: skip
    return webhook, rows


def test_a_web_response_reaches_the_receiver_signed(client, session, organizer, receiver):
    got = receiver([200])
    _hook(client, organizer, got.url)
    webhook, _ = _log(session, organizer)
    _answer(client, organizer)
    [(headers, body)] = got.received
    assert signing.verify(webhook.secret, body, headers[signing.HEADER])
    assert not signing.verify("whsec_other", body, headers[signing.HEADER])
    assert not signing.verify(webhook.secret, body + b" ", headers[signing.HEADER])
    message = json.loads(body)
    assert message["event"] == "response.created" == headers["Consult-Event"]
    assert message["id"] == headers["Consult-Delivery"]
    [row] = message["data"]["responses"]
    assert row["group"] == "media" and row["colour"] == "green" and row["tools/pen"] == 1
    # The raw export's row in codes, and nothing else.
    table = raw_table(session, organizer, "en", codes=True)
    assert list(row) == table.headers
    _, log = _log(session, organizer)
    assert [(r.attempt, r.status_code, r.error) for r in log] == [(1, 200, None)]


def test_fails_twice_then_succeeds_three_attempts_one_body(client, session, organizer, receiver):
    got = receiver([500, 503, 200])
    _hook(client, organizer, got.url)
    webhook, _ = _log(session, organizer)
    _answer(client, organizer)
    assert len(got.received) == 3  # once per attempt
    bodies = {body for _, body in got.received}
    assert len(bodies) == 1  # the same message each time
    assert all(signing.verify(webhook.secret, body, h[signing.HEADER]) for h, body in got.received)
    assert len({h["Consult-Delivery"] for h, _ in got.received}) == 1
    _, log = _log(session, organizer)
    assert [(r.attempt, r.status_code, r.error) for r in log] == [
        (1, 500, "HTTP 500"), (2, 503, "HTTP 503"), (3, 200, None),
    ]  # fmt: skip
    session.refresh(webhook)
    assert webhook.failures == 0 and not webhook.paused
    page = client.get(f"/admin/surveys/{organizer.slug}/webhook").get_data(as_text=True)
    assert "HTTP 503" in page and webhook.secret in page


def test_repeated_failure_pauses_until_resumed(app, client, session, organizer, receiver):
    got = receiver([500])
    _hook(client, organizer, got.url)
    _answer(client, organizer)  # 3 attempts (WEBHOOKS_ATTEMPTS), all failed
    _answer(client, organizer)  # the 4th failure in a row pauses it (WEBHOOKS_PAUSE_AFTER)
    webhook, log = _log(session, organizer)
    assert [r.attempt for r in log] == [1, 2, 3, 1]
    assert webhook.paused and webhook.failures == 4 and len(got.received) == 4
    _answer(client, organizer)  # paused: nothing is sent
    assert len(got.received) == 4
    page = f"/admin/surveys/{organizer.slug}/webhook"
    assert "Resume sending" in client.get(page).get_data(as_text=True)
    client.post(f"{page}/resume", data=form_tokens(client, page))
    session.refresh(webhook)
    assert not webhook.paused and webhook.failures == 0


def test_retries_wait_longer_each_time(app, session, organizer, receiver):
    """Outside tests attempts are scheduled: 30 s, 60 s, 120 s ... after the one before (here
    they wait in the queue's schedule, which only a worker runs)."""
    from consult.jobs import huey
    from consult.webhooks import tasks

    app.config["WEBHOOKS_RETRY_SECONDS"] = 30
    got = receiver([500])
    webhook = Webhook(survey_id=organizer.id, url=got.url, secret="whsec_x")
    session.add(webhook)
    session.commit()
    huey.storage.flush_schedule()
    try:
        with app.app_context():
            for number in (1, 2):
                before = utcnow()
                tasks.deliver(webhook.id, "ping", "d" * 32, "{}", number)
                [waiting] = huey.scheduled()
                assert waiting.args[4] == number + 1  # the next attempt
                assert round((waiting.eta - before).total_seconds()) == 30 * 2 ** (number - 1)
                huey.storage.flush_schedule()
    finally:
        huey.storage.flush_schedule()
    assert len(got.received) == 2


def test_the_test_button_and_the_survey_closing_send(client, session, organizer, receiver):
    got = receiver([200])
    _hook(client, organizer, got.url)
    page = f"/admin/surveys/{organizer.slug}/webhook"
    client.post(f"{page}/test", data=form_tokens(client, page))
    change_state(session, organizer, "close")
    session.commit()
    events = [json.loads(body)["event"] for _, body in got.received]
    assert events == ["ping", "survey.closed"]
    assert json.loads(got.received[1][1])["data"] == {"state": "closed"}


def test_an_anonymous_surveys_responses_go_a_day_at_a_time(app, client, session, receiver):
    survey = factories.small(session)  # anonymous
    got = receiver([200])
    session.add(Webhook(survey_id=survey.id, url=got.url, secret="whsec_x"))
    session.commit()
    for _ in range(3):
        _answer(client, survey)
    assert got.received == []  # nothing at the moment of answering
    with app.app_context():
        send_anonymous_days(today=utcnow().date())
        assert got.received == []  # today's are not due yet
        send_anonymous_days(today=utcnow().date() + timedelta(days=1))
        send_anonymous_days(today=utcnow().date() + timedelta(days=1))  # sent once only
    [(_, body)] = got.received
    rows = json.loads(body)["data"]["responses"]
    assert len(rows) == 3
    assert {row["submitted_at"] for row in rows} == {utcnow().date().isoformat()}  # the day only
    table = raw_table(session, survey, "en", codes=True)
    expected = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
    assert [r["response_id"] for r in rows] == [r["response_id"] for r in expected]  # random order
    assert all(set(row) == set(table.headers) for row in rows)
