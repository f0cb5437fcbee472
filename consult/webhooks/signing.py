"""Signing a webhook body, as Stripe does: ``Consult-Signature: t=<unix time>,v1=<hex>``.

``v1`` is HMAC-SHA256 over ``"<t>.<body>"`` with the webhook's secret. A receiver recomputes
it, compares in constant time, and refuses a ``t`` older than a few minutes (a replayed
body). ``verify`` is what a receiver in Python would write (the tests' receiver uses it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "Consult-Signature"
TOLERANCE = 300  # seconds


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header's value for ``body`` signed now (or at ``timestamp``)."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={_digest(secret, moment, body)}"


def verify(secret: str, body: bytes, header: str, tolerance: int = TOLERANCE) -> bool:
    """Whether ``header`` signs ``body`` with ``secret``, made within ``tolerance`` seconds."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        moment = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - moment) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), _digest(secret, moment, body))


def _digest(secret: str, moment: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
