"""What makes a webhook fire: the kernel's signals (surveys/events.py), heard here.

A receiver only notes what to send in the session (``session.info``); the jobs are queued
once that session commits, so a delivery never announces a response that was rolled back,
and the job's own session finds it stored. Every way a response is stored through
``collection.responses.submit`` (the web form, interviews, paper entry, the API) fires.

An identified survey's response is sent as soon as it is committed. An anonymous survey's
are not: the moment a body arrives would tell its receiver when someone answered, which the
raw export never tells (it keeps the day). They go once a day, a day's at a time
(tasks.send_anonymous_days).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from consult.surveys import events
from consult.surveys.models import Survey
from consult.webhooks import payloads
from consult.webhooks.models import Webhook

PENDING = "webhooks.pending"


def _active(session: Session, survey: Survey) -> int | None:
    stmt = select(Webhook.id).where(Webhook.survey_id == survey.id, Webhook.paused.is_(False))
    return session.scalar(stmt)


@events.response_recorded.connect
def _response(survey: Survey, session: Session, response_id: int, **_: Any) -> None:
    if survey.anonymous:
        return  # sent a day at a time
    webhook_id = _active(session, survey)
    if webhook_id is not None:
        session.info.setdefault(PENDING, []).append(("response", webhook_id, response_id))


@events.survey_opened.connect
def _opened(survey: Survey, session: Session, **_: Any) -> None:
    _state(survey, session, payloads.SURVEY_OPENED)


@events.survey_closed.connect
def _closed(survey: Survey, session: Session, **_: Any) -> None:
    _state(survey, session, payloads.SURVEY_CLOSED)


def _state(survey: Survey, session: Session, name: str) -> None:
    webhook_id = _active(session, survey)
    if webhook_id is not None:
        delivery_id, body = payloads.envelope(survey, name, payloads.survey_state(survey))
        session.info.setdefault(PENDING, []).append(("body", webhook_id, name, delivery_id, body))


@event.listens_for(Session, "after_commit")
def _queue(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    from consult.webhooks import tasks  # the jobs, once there is something to queue

    for item in pending:
        if item[0] == "response":
            tasks.deliver_response(item[1], item[2])
        else:
            _, webhook_id, name, delivery_id, body = item
            tasks.deliver(webhook_id, name, delivery_id, body.decode())


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
