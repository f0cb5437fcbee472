"""Signed-in sessions that can end: at sign-out, everywhere at once, and when they idle.

The session cookie (Flask's, signed) names its sign-in by a random id; the database keeps only
the id's SHA-256 (``SignIn``). A request's session holds if its sign-in row still exists, the
account is active, the account's ``session_version`` is the one the session began with (raised
by a password change, a role change, deactivation, sign out everywhere), and neither the idle
nor the absolute lifetime has passed. Services here know no request: the view module
``signin_views`` keeps the cookie's side.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consult.accounts.models import SignIn, User
from consult.db import utcnow


def id_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def begin(session: Session, user: User) -> str:
    """A new sign-in for ``user``; returns the random id for the cookie (stored hashed)."""
    raw = secrets.token_urlsafe(24)
    session.add(SignIn(id=id_hash(raw), user_id=user.id))
    session.flush()
    return raw


def current(session: Session, user_id: int, raw: str, version: int) -> User | None:
    """The account of a live sign-in, or None (signed out, revoked, inactive)."""
    if not raw or len(raw) > 64:
        return None
    user = session.scalar(
        select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(User.id == user_id, SignIn.id == id_hash(raw))
    )
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def end(session: Session, raw: str) -> None:
    """Sign-out: this sign-in's id opens nothing any more."""
    if raw:
        session.execute(delete(SignIn).where(SignIn.id == id_hash(raw)))


def revoke_all(session: Session, user: User) -> None:
    """Every session of ``user`` ends (password reset, role change, deactivation)."""
    user.session_version = (user.session_version or 1) + 1
    session.execute(delete(SignIn).where(SignIn.user_id == user.id))
    session.flush()


def expired(started: float, seen: float, now: datetime, idle: timedelta, limit: timedelta) -> bool:
    """Whether a session begun at ``started`` and last used at ``seen`` (epoch seconds) is over."""
    stamp = now.timestamp()
    return stamp - started > limit.total_seconds() or stamp - seen > idle.total_seconds()


def forget_old(session: Session, limit: timedelta) -> int:
    """Delete sign-ins older than the absolute lifetime (they can open nothing anyway)."""
    result = session.execute(delete(SignIn).where(SignIn.created_at < utcnow() - limit))
    return int(getattr(result, "rowcount", 0) or 0)
