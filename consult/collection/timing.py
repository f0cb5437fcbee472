"""When a form was handed out, and so how long a respondent took: the form's one-time nonce
carries the moment, signed (computed.py reads it for ``start`` metadata too).

The nonce is signed with a timestamp (itsdangerous): on submission the duration is the time
since, in whole seconds. Only the duration is stored (``Response.duration_s``), never a clock
time, so it cannot be matched against a visit. A nonce without a valid stamp (a form from
before, a forged one) gives no duration.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner

SALT = "consult.answering-time"
# Longer than this is no answering time worth keeping (a tab left open for days).
LONGEST = 7 * 24 * 3600


def _signer() -> TimestampSigner:
    return TimestampSigner(current_app.secret_key or "", salt=SALT)


def stamped_nonce(nonce: str) -> str:
    return _signer().sign(nonce).decode("ascii")


def issued_at(nonce: str | None) -> datetime | None:
    """When the form holding ``nonce`` was handed out (naive UTC), if its stamp is ours."""
    if not nonce or nonce.count(".") != 2:
        return None
    try:
        _value, stamp = _signer().unsign(nonce, return_timestamp=True)
    except BadSignature:
        return None
    return stamp.astimezone(UTC).replace(tzinfo=None)


def duration(nonce: str | None, now: float | None = None) -> int | None:
    """Seconds since the form holding ``nonce`` was handed out, or None."""
    issued = issued_at(nonce)
    if issued is None:
        return None
    seconds = int((now or time.time()) - issued.replace(tzinfo=UTC).timestamp())
    return seconds if 0 <= seconds <= LONGEST else None
