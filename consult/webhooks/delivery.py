"""One attempt to deliver a body: checked again, signed, posted, logged.

The URL's host is resolved and checked at every attempt (addresses.py), and the request goes
to the address that was checked, with the host name in the Host header and in TLS (SNI and
certificate check): a name that points elsewhere by the time of the request gains nothing.
No redirect is followed (it could lead anywhere); no proxy from the environment is used.
Only a 2xx answer is a success. Failed attempts in a row are counted, and at
``WEBHOOKS_PAUSE_AFTER`` the webhook pauses until an organizer resumes it.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask_babel import force_locale
from sqlalchemy.orm import Session

from consult.problems import Refusal
from consult.webhooks import signing
from consult.webhooks.addresses import Target, check_url
from consult.webhooks.models import Webhook, WebhookDelivery

USER_AGENT = "consult-webhooks/1"


def attempt(
    session: Session,
    webhook: Webhook,
    event: str,
    delivery: str,
    body: bytes,
    number: int,
    config: Mapping[str, Any],
) -> WebhookDelivery:
    """Post ``body`` once and log the attempt (flushed, not committed)."""
    # httpx (with the rich it loads) here, in the worker that sends: not at import, which
    # every `consult` command and page paid (docs/performance.md, start-up).
    import httpx

    status: int | None = None
    error: str | None = None
    try:
        # The log is technical, in English (a job has no request to take a language from).
        with force_locale("en"):
            target = check_url(webhook.url, bool(config["WEBHOOKS_ALLOW_PRIVATE"]),
                               bool(config["WEBHOOKS_ALLOW_HTTP"]))  # fmt: skip
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Consult-Event": event,
            "Consult-Delivery": delivery,
            signing.HEADER: signing.signature(webhook.secret, body),
        }
        status = post(target, body, headers, float(config["WEBHOOKS_TIMEOUT"]),
                      config.get("WEBHOOKS_CA_FILE"))  # fmt: skip
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except Refusal as refusal:
        error = " ".join(refusal.messages())
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"
    row = WebhookDelivery(webhook_id=webhook.id, delivery=delivery, event=event, attempt=number,
                          status_code=status, error=error[:500] if error else None)  # fmt: skip
    session.add(row)
    if error is None:
        webhook.failures = 0
    else:
        webhook.failures += 1
        if webhook.failures >= int(config["WEBHOOKS_PAUSE_AFTER"]):
            webhook.paused = True
    session.flush()
    return row


def post(
    target: Target, body: bytes, headers: dict[str, str], timeout: float, ca_file: str | None
) -> int:
    """POST to a checked address (the next one if it cannot be reached: a host with IPv6 and
    IPv4 addresses), naming the host; the answer's status code. ``ca_file``: certificates to
    trust instead of the usual ones (a receiver with a private authority)."""
    import httpx  # see attempt()

    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else True
    parts = urlsplit(target.url)
    default_port = {"https": 443, "http": 80}[target.scheme] == target.port
    headers = headers | {"Host": target.host if default_port else f"{target.host}:{target.port}"}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, verify=verify
    ) as client:
        for number, address in enumerate(target.addresses, start=1):
            literal = f"[{address}]" if ":" in address else address
            pinned = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path or "/",
                                 parts.query, ""))  # fmt: skip
            try:
                response = client.post(pinned, content=body, headers=headers,
                                       extensions=extensions)  # fmt: skip
            except httpx.ConnectError:
                if number == len(target.addresses):
                    raise
                continue
            return response.status_code
    raise httpx.ConnectError("no address")  # unreachable: check_url gives at least one
