"""Sending e-mail: one small interface over SMTP, and a log transport for development.

Knows no survey and no account. ``CONSULT_MAIL_URL`` chooses the transport:
- ``smtp://user:password@host:587?starttls=true`` (or port 25 without STARTTLS, for a relay on
  the same machine), ``smtps://user:password@host:465`` (TLS from the start);
- ``log://`` prints each message to the application log (``make run`` uses it);
- ``null://`` drops messages (for setups that send none).
``CONSULT_MAIL_FROM`` is the sender. Features send from background jobs (their ``tasks.py``),
which retry a temporary failure (``MailFailed``); a recipient the server refuses for good
(``MailRefused``) is not tried again.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("consult.mail")

TIMEOUT = 20  # seconds per SMTP conversation step


class MailFailed(Exception):
    """The message could not be sent now (server down, busy, timed out): try again later."""


class MailRefused(Exception):
    """The server refused the recipient or the message for good (a 5xx answer): a bounce."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    # Extra headers, e.g. List-Unsubscribe.
    headers: Mapping[str, str] = field(default_factory=dict)


def compose(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject.replace("\r", " ").replace("\n", " ")
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.body)  # UTF-8; Urdu text travels as it is
    return message


def send(url: str, sender: str, mail: Mail) -> None:
    """Send ``mail`` through the transport ``url`` names (MailFailed, MailRefused)."""
    parts = urlsplit(url)
    message = compose(mail, sender)
    if parts.scheme == "log":
        # A warning, so that it shows with the default log level (make run): it was not sent.
        log.warning("mail (not sent, log transport):\n%s", message.as_string())
        return
    if parts.scheme == "null":
        return
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"CONSULT_MAIL_URL: unknown transport {parts.scheme!r}")
    _smtp(parts.scheme, parts.hostname or "127.0.0.1", parts.port, parts, message)


def _smtp(scheme: str, host: str, port: int | None, parts: object, message: EmailMessage) -> None:
    query = parse_qs(getattr(parts, "query", ""))
    starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
    user = unquote(getattr(parts, "username", None) or "")
    password = unquote(getattr(parts, "password", None) or "")
    try:
        if scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port or 465, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port or 25, timeout=TIMEOUT)
        with client:
            if starttls:
                client.starttls(context=ssl.create_default_context())
            if user:
                client.login(user, password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        permanent = all(code >= 500 for code, _text in error.recipients.values())
        raise (MailRefused if permanent else MailFailed)(_codes(error.recipients)) from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise MailRefused(f"{error.smtp_code}") from error
        raise MailFailed(f"{error.smtp_code}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailed(type(error).__name__) from error


def _codes(recipients: Mapping[str, tuple[int, bytes]]) -> str:
    """The server's codes only: the refused address stays out of logs and messages."""
    return ", ".join(str(code) for code, _text in recipients.values())


def valid_address(text: str) -> bool:
    """A plausible single e-mail address (no display name, no line breaks)."""
    local, at, domain = text.partition("@")
    return bool(
        at and local and "." in domain and len(text) <= 254
        and not any(c.isspace() or c in "<>,;\"" for c in text)
    )  # fmt: skip
