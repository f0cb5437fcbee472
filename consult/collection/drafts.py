"""Save and continue later: answers kept on the server under a short, hashed resume code.

The code is 12 characters of Crockford's base32 (60 bits; no I, L, O or U to misread), shown
as XXXX-XXXX-XXXX. Guessing is bounded by rate limits and expiry; the database holds only the
code's hash. A draft is deleted when its response is submitted.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, delete, func, inspect, select
from sqlalchemy.orm import Session

from consult.collection.models import Draft, Invitation
from consult.surveys.models import StakeholderGroup, Survey

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
DEFAULT_DAYS = 30
_LOOKALIKES = str.maketrans("OIL", "011")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What a person may type: any case, hyphens or spaces, O for 0, I or L for 1."""
    cleaned = code.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(_LOOKALIKES)


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def save_draft(
    session: Session,
    survey: Survey,
    data: dict[str, list[str]],
    language: str,
    group: StakeholderGroup | None,
    invitation: Invitation | None,
    draft: Draft | None = None,
    today: date | None = None,
) -> tuple[Draft, str | None]:
    """Create a draft (returning its new code) or update ``draft`` (returning None)."""
    days = int(survey.settings.get("resume_days", DEFAULT_DAYS))
    expires = (today or date.today()) + timedelta(days=days)
    if draft is not None:
        draft.data, draft.language, draft.expires_on = data, language, expires
        session.flush()
        return draft, None
    code = new_code()
    draft = Draft(
        survey_id=survey.id,
        code_hash=code_hash(code),
        data=data,
        language=language,
        group_id=group.id if group else None,
        # Anonymous surveys keep no link from the invitation onwards (see take.py).
        invitation_id=invitation.id if invitation and not survey.anonymous else None,
        expires_on=expires,
    )
    session.add(draft)
    session.flush()
    return draft, code


def find_draft(session: Session, code: str, today: date | None = None) -> Draft | None:
    """The unexpired draft for ``code``, or None (unknown and expired look the same)."""
    if not 8 <= len(code) <= 20:
        return None
    draft = session.scalar(select(Draft).where(Draft.code_hash == code_hash(code)))
    if draft is None or draft.expires_on < (today or date.today()):
        return None
    return draft


class DraftGone(Exception):
    """The draft was submitted (or purged) meanwhile, e.g. from another tab."""


def take_draft(session: Session, draft: Draft) -> int | None:
    """Delete the draft as its response is stored; return its invitation's id, if it kept one.

    Raises DraftGone when the row is no longer there: a concurrent second submit of the same
    draft waits on the row and then finds it gone, so one draft yields one response. Works on
    an expired or already-deleted instance (its id comes from the identity map key).
    """
    identity = inspect(draft).identity
    if identity is None:  # never flushed: nothing to take
        raise DraftGone(None)
    draft_id = identity[0]
    stmt = delete(Draft).where(Draft.id == draft_id).returning(Draft.invitation_id)
    row = session.execute(stmt).first()
    if row is None:
        raise DraftGone(draft_id)
    invitation_id: int | None = row[0]
    return invitation_id


def purge_expired(session: Session, today: date | None = None) -> int:
    result = session.execute(delete(Draft).where(Draft.expires_on < (today or date.today())))
    return int(getattr(result, "rowcount", 0) or 0)


def form_data(formdata: Any, prefix: str) -> dict[str, list[str]]:
    """The answer fields of a posted form, as typed, for storing in a draft."""
    return {key: formdata.getlist(key) for key in formdata if key.startswith(prefix)}


# Drafts that expire within this many days count as "expiring soon" on the survey page.
SOON_DAYS = 7


@dataclass(frozen=True)
class DraftCounts:
    """Saved but unsubmitted responses of a survey: how many, and when they expire.

    Counts and days only: never a draft's answers, group, language or invitation.
    """

    waiting: int
    soon: int  # of which expire within SOON_DAYS
    first_expiry: date | None
    last_expiry: date | None


def draft_counts(session: Session, survey: Survey, today: date | None = None) -> DraftCounts:
    """The survey's unexpired drafts, counted in one query."""
    today = today or date.today()
    soon = today + timedelta(days=SOON_DAYS)
    expires = Draft.expires_on
    stmt = select(
        func.count(),
        func.coalesce(func.sum(case((expires <= soon, 1), else_=0)), 0),
        func.min(expires),
        func.max(expires),
    ).where(Draft.survey_id == survey.id, expires >= today)
    waiting, expiring, first, last = session.execute(stmt).one()
    return DraftCounts(int(waiting), int(expiring), _day(first), _day(last))


def _day(value: Any) -> date | None:
    """A day as the database returns it (SQLite: text in an aggregate)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
