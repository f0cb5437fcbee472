"""Which browser a response came from, for identified surveys only: the duplicate check.

A web respondent of a survey that is not anonymous gets a random device cookie when its form is
shown; the response keeps a keyed hash of it (HMAC-SHA256 with the application's secret key and
the survey's id, so one browser cannot be followed from survey to survey, and the stored value
says nothing without the key). Review's duplicate-device check (review/flags.py) then finds
several responses sent from one browser. Anonymous surveys never set, read or keep it
(docs/privacy.md), and interviewers' entry is left out: one tablet serves many respondents.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from consult.collection.models import Channel
from consult.surveys.models import Survey

COOKIE = "consult_device"
MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie (RFC 6265bis)
WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{22}")


def tracked(survey: Survey, channel: str) -> bool:
    """Whether this survey and channel keep the device at all."""
    return not survey.anonymous and channel == Channel.web


def cookie_value(raw: str | None) -> str | None:
    """The browser's device id, if it sent a well-formed one."""
    return raw if raw and WELL_FORMED.fullmatch(raw) else None


def new_device() -> str:
    return secrets.token_urlsafe(16)


def device_hash(survey: Survey, channel: str, cookie: str | None, secret: str) -> str | None:
    """The keyed hash stored with the response; None for anonymous surveys and interviews."""
    value = cookie_value(cookie)
    if value is None or not tracked(survey, channel):
        return None
    key = f"{secret}:device:{survey.id}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
