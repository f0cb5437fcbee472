"""Webhook deliveries as background jobs: each attempt a task, retried with back-off.

An attempt that fails queues the next one ``WEBHOOKS_RETRY_SECONDS * 2**(n-1)`` seconds later
(30 s, 1 min, 2 min, ... by default), up to ``WEBHOOKS_ATTEMPTS`` attempts, unless the webhook
paused meanwhile. Bodies travel in the task's arguments, so every attempt sends the same
bytes (signed anew: the signature's time is the attempt's).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult import db
from consult.db import utcnow
from consult.jobs import app_context, crontab, huey
from consult.surveys.models import Survey
from consult.webhooks import delivery, payloads
from consult.webhooks.models import Webhook


@contextmanager
def _session() -> Iterator[tuple[Session, Any]]:
    with app_context() as app:
        session = db.database().sessionmaker()
        try:
            yield session, app.config
        finally:
            session.close()


@huey.task()
def deliver(
    webhook_id: int, event: str, delivery_id: str, body: str, number: int = 1, retry: bool = True
) -> None:
    """Attempt ``number`` of one body; queues the next on failure (``retry``)."""
    with _session() as (session, config):
        webhook = session.get(Webhook, webhook_id)
        if webhook is None or (webhook.paused and event != payloads.PING):
            return
        row = delivery.attempt(session, webhook, event, delivery_id, body.encode(), number, config)
        session.commit()
        again = retry and not row.ok and not webhook.paused
        again = again and number < int(config["WEBHOOKS_ATTEMPTS"])
        wait = float(config["WEBHOOKS_RETRY_SECONDS"]) * 2 ** (number - 1)
    if not again:
        return
    args = (webhook_id, event, delivery_id, body, number + 1)
    if wait > 0:
        deliver.schedule(args, delay=wait)
    else:
        deliver(*args)


@huey.task()
def deliver_response(webhook_id: int, response_id: int) -> None:
    """A response of an identified survey, once its request committed."""
    with _session() as (session, _config):
        webhook = session.get(Webhook, webhook_id)
        survey = session.get(Survey, webhook.survey_id) if webhook is not None else None
        if webhook is None or survey is None or webhook.paused:
            return
        data = payloads.responses(session, survey, [response_id])
        if not data["responses"]:
            return
        delivery_id, body = payloads.envelope(survey, payloads.RESPONSE_CREATED, data)
    deliver(webhook_id, payloads.RESPONSE_CREATED, delivery_id, body.decode())


@huey.periodic_task(crontab(hour="0", minute="20"))
def send_anonymous_days(today: date | None = None) -> None:
    """Daily: each anonymous survey's responses of the days before, a day's at a time — the
    raw export's day and random order, so no delivery's moment tells when one came in."""
    queued: list[tuple[int, str, bytes]] = []
    with _session() as (session, _config):
        hooks = session.execute(
            select(Webhook, Survey)
            .join(Survey, Survey.id == Webhook.survey_id)
            .where(Survey.anonymous.is_(True), Webhook.paused.is_(False))
        ).all()
        for webhook, survey in hooks:
            for delivery_id, body in payloads.days_due(
                session, webhook, survey, today or utcnow().date()
            ):
                queued.append((webhook.id, delivery_id, body))
        session.commit()
    for webhook_id, delivery_id, body in queued:
        deliver(webhook_id, payloads.RESPONSE_CREATED, delivery_id, body.decode())
