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

from flask import Response, after_this_request, current_app, request

from consult.collection.models import Channel
from consult.surveys.models import Survey

COOKIE = "consult_device"
MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie (RFC 6265bis)
WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{22}")


def _tracked(survey: Survey, channel: str) -> bool:
    return not survey.anonymous and channel == Channel.web


def _cookie() -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if WELL_FORMED.fullmatch(value) else None


def remember(survey: Survey, channel: str) -> None:
    """Give this browser a device cookie with the page, if the survey keeps devices."""
    if not _tracked(survey, channel) or _cookie() is not None:
        return
    value = secrets.token_urlsafe(16)

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            COOKIE, value, max_age=MAX_AGE, path="/", secure=request.is_secure,
            httponly=True, samesite="Lax",
        )  # fmt: skip
        return response


def device_hash(survey: Survey, channel: str) -> str | None:
    """The keyed hash stored with the response; None for anonymous surveys and interviews."""
    value = _cookie()
    if value is None or not _tracked(survey, channel):
        return None
    secret = str(current_app.config.get("SECRET_KEY") or "")
    key = f"{secret}:device:{survey.id}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
