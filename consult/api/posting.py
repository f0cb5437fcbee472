"""A response sent to the API: read as a one-row sheet of the raw export (collection/imports.py:
the web form's fields and validators, skip logic and constraints), stored by the web's own
``responses.submit`` (survey open, quotas, group and province), once per client key.

The answers are keyed by the raw export's column names, so what ``GET .../responses?labels=
false`` gives, a client can send back. A client key (the ``Idempotency-Key`` header or
``client_key``) becomes the response's one-time nonce (``nonce_hash``, unique per survey): the
same key sent again stores nothing new and is answered with the response stored the first time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.collection.form import CONSENT_NEEDED
from consult.collection.imports import row_reader
from consult.collection.models import Channel, Response
from consult.collection.responses import (
    DuplicateSubmission,
    Submission,
    SurveyClosed,
    nonce_hash,
    submit,
)
from consult.problems import Problem, Refusal
from consult.surveys.models import Survey

# Fixed columns of the export a client may not set: the server decides them.
SET_BY_SERVER = ("response_id", "submitted_at", "language", "channel")


@dataclass(frozen=True)
class _Cell:
    """A value as the sheet reader reads a cell (no formula: ``data_type`` None)."""

    value: Any
    data_type: None = None


@dataclass(frozen=True)
class Sender:
    """Who sends: the token's account, and for an interview whether consent was read aloud."""

    account_id: int
    consent_read: bool = False


@dataclass(frozen=True)
class Posted:
    public_id: str
    created: bool


def client_nonce(user_id: int, key: str) -> str:
    """The one-time nonce of a client key, per account (two clients' keys never collide)."""
    return f"api:{user_id}:{key}"


def post_response(
    session: Session, survey: Survey, answers: Mapping[str, Any], language: str | None,
    channel: str, nonce: str | None, sender: Sender,
) -> Posted:  # fmt: skip
    """Validate and store one response; Refusal (by column) when anything is wrong. Flushes.

    With a ``nonce`` already used on this survey, nothing is stored: the first response's id
    comes back with ``created`` False.
    """
    if nonce is not None:
        earlier = _stored(session, survey, nonce)
        if earlier is not None:
            return Posted(earlier, created=False)
    if not survey.accepting_answers():  # as the web form: open, and within its dates
        raise SurveyClosed(survey.slug)
    if channel == Channel.enumerator and not sender.consent_read:
        raise Refusal([Problem(str(CONSENT_NEEDED), field="consent_read")])
    reader = row_reader(survey)
    unknown = [
        Problem("not a column of this survey's export", field=name)
        for name in answers
        if name not in reader.index or name in SET_BY_SERVER
    ]
    if unknown:
        raise Refusal(unknown)
    lang = language or survey.default_language
    row = {**dict(answers), "language": lang, "channel": channel}
    cells = [_Cell(row.get(name)) for name in reader.index]
    problems, read = reader.read(1, cells)
    if problems or read is None:
        raise Refusal([Problem(p.message, field=p.field) for p in problems])
    # Interviews and paper forms name who entered them (the staff account), as on the web.
    entered = sender.account_id if channel in (Channel.enumerator, Channel.paper) else None
    submission = Submission(answers=read["answers"], language=lang, channel=Channel(channel),
                            nonce=nonce, enumerator_id=entered)  # fmt: skip
    try:
        response_id = submit(session, survey, submission)
    except DuplicateSubmission:  # the same key, sent twice at once: the insert did nothing
        earlier = _stored(session, survey, nonce or "")
        if earlier is None:  # the other request has not committed yet: the caller says 409
            raise
        return Posted(earlier, created=False)
    public_id = session.scalar(select(Response.public_id).where(Response.id == response_id))
    return Posted(str(public_id), created=True)


def _stored(session: Session, survey: Survey, nonce: str) -> str | None:
    stmt = select(Response.public_id).where(
        Response.survey_id == survey.id, Response.nonce_hash == nonce_hash(nonce)
    )
    return session.scalar(stmt)
