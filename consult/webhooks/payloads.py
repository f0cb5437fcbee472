"""Webhook bodies: JSON, one envelope for every event.

    {"id": "<delivery id>", "event": "response.created", "created": <unix time>,
     "survey": {"slug": ..., "title": {...}, "anonymous": true},
     "data": {"responses": [{"response_id": ..., "submitted_at": ..., "group": ..., ...}]}}

A response is the raw export's row in codes mode (``exports.raw.raw_table``), as a mapping
from the workbook's column names: what the raw export gives and nothing more (an anonymous
survey's day of submission, no invitation, no address, no answering time). Events:
``response.created``, ``survey.opened``, ``survey.closed`` and ``ping`` (the test button).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Collection, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.collection.models import Response
from consult.exports.raw import raw_table
from consult.surveys.models import Survey
from consult.webhooks.models import Webhook

RESPONSE_CREATED = "response.created"
SURVEY_OPENED = "survey.opened"
SURVEY_CLOSED = "survey.closed"
PING = "ping"
# An anonymous survey's day is sent in bodies of at most this many responses.
CHUNK = 500


def envelope(survey: Survey, event: str, data: dict[str, Any]) -> tuple[str, bytes]:
    """A new delivery's id and its body."""
    delivery = uuid.uuid4().hex
    body = {
        "id": delivery,
        "event": event,
        "created": int(time.time()),
        "survey": {"slug": survey.slug, "title": survey.title, "anonymous": survey.anonymous},
        "data": data,
    }
    return delivery, json.dumps(body, ensure_ascii=False, default=_plain).encode()


def responses(session: Session, survey: Survey, ids: Collection[int]) -> dict[str, Any]:
    """``data`` of a response.created body: the raw export's rows of ``ids``, by column."""
    table = raw_table(session, survey, survey.default_language, codes=True, ids=ids)
    return {"responses": [dict(zip(table.headers, row, strict=True)) for row in table.rows]}


def survey_state(survey: Survey) -> dict[str, Any]:
    return {"state": str(survey.state)}


def days_due(
    session: Session, webhook: Webhook, survey: Survey, today: date
) -> Iterator[tuple[str, bytes]]:
    """An anonymous survey's responses of the days before ``today`` not yet sent, in bodies
    of CHUNK (the raw export's random order); marks them sent (the caller commits)."""
    since = webhook.sent_until or webhook.created_at.date()
    r = Response.__table__.c
    ids = session.scalars(
        select(r.id)
        .where(
            r.survey_id == survey.id,
            r.submitted_at >= datetime.combine(since, datetime.min.time()),
            r.submitted_at < datetime.combine(today, datetime.min.time()),
        )
        .order_by(r.public_id)  # random: no body holds the day's first or last responses
    ).all()
    webhook.sent_until = max(today, since)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        yield envelope(survey, RESPONSE_CREATED, responses(session, survey, chunk))


def _plain(value: Any) -> Any:
    """Dates and times as ISO text (an anonymous survey's submitted_at is a date)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    raise TypeError(f"{type(value).__name__} is not JSON")
