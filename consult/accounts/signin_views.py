"""The cookie's side of signed-in sessions (accounts/sessions.py holds the rules).

Sign-in clears the old session first (a new CSRF secret comes with the new one), stores the
sign-in's random id, the account's session version and two stamps (began, last seen) in the
signed cookie. Every request that asks for the current user checks all of them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import DBAPIError
from werkzeug.wrappers import Response

from consult import db
from consult.accounts import sessions
from consult.accounts.models import User
from consult.extensions import login_manager

SID, VERSION, STARTED, SEEN = "sid", "sv", "t0", "seen"
# The "last seen" stamp is rewritten at most this often (each rewrite re-sends the cookie).
SEEN_GRANULARITY = 30


def lifetimes() -> tuple[timedelta, timedelta]:
    """(idle, absolute) lifetimes of a signed-in session, from the settings."""
    config = current_app.config
    return (
        timedelta(minutes=int(config["SIGN_IN_IDLE_MINUTES"])),
        timedelta(hours=float(config["SIGN_IN_HOURS"])),
    )


def start(user: User) -> None:
    """Sign ``user`` in with a fresh session (the caller commits)."""
    session.clear()  # nothing from before sign-in survives it, the CSRF secret included
    raw = sessions.begin(db.session(), user)
    now = int(time.time())
    session.update({SID: raw, VERSION: user.session_version, STARTED: now, SEEN: now})
    session.permanent = True
    login_user(user)


def finish() -> None:
    """Sign out: the sign-in row goes, so a saved copy of the cookie opens nothing."""
    sessions.end(db.session(), str(session.get(SID) or ""))
    logout_user()
    session.clear()


def restart(user: User) -> None:
    """After this account's own password change: other sessions ended, this one goes on."""
    start(user)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    idle, limit = lifetimes()
    started, seen = session.get(STARTED), session.get(SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        return _refused()
    if sessions.expired(started, seen, datetime.now(UTC), idle, limit):
        return _refused()
    version = session.get(VERSION)
    try:
        user = sessions.current(
            db.session(), int(user_id), str(session.get(SID) or ""),
            version if isinstance(version, int) else -1,
        )  # fmt: skip
    except DBAPIError:
        # The database failed: this request goes on as nobody's (error pages need no user),
        # the sign-in is kept for later, and the access decorators answer "try again later",
        # never "sign in".
        db.discard_session()
        g.user_unknown = True
        return None
    if user is None:
        return _refused()
    now = int(time.time())
    if now - seen >= SEEN_GRANULARITY:
        session[SEEN] = now
    return user


def _refused() -> User | None:
    """No user: the session is over, and nothing of it is kept."""
    session.clear()
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def _two_step_required() -> Response | None:
        """Admins without two-step sign-in go to set it up first, when the setting says so."""
        if not app.config.get("REQUIRE_ADMIN_TOTP") or request.endpoint in TWO_STEP_FREE:
            return None
        if current_user.is_authenticated and current_user.is_admin and not current_user.totp_secret:
            return redirect(url_for("account.two_step"))
        return None


# Pages an admin may still open while two-step sign-in is required but not set up.
TWO_STEP_FREE = {"account.two_step", "account.page", "auth.logout", "static", "auth.login"}
