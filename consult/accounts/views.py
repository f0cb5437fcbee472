"""Signing in (with the second step where set up) and out."""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts import signin_views, totp
from consult.accounts.access import public, safe_next
from consult.accounts.audit import Action, record
from consult.accounts.forms import LoginForm, TwoStepForm
from consult.accounts.models import User
from consult.accounts.users import authenticate, find_user, normalise_email
from consult.extensions import limiter
from consult.forms import PostForm
from consult.i18n import LANG_COOKIE, LANG_COOKIE_AGE

bp = Blueprint("auth", __name__, url_prefix="/auth")

# How long the second step may wait after the password was right.
PENDING_SECONDS = 300
PENDING, PENDING_AT, PENDING_NEXT = "pending_user", "pending_at", "pending_next"


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _account_limit() -> str:
    return str(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])


def _account_key() -> str:
    """Per account: a keyed hash of the e-mail typed (the counter holds no address)."""
    email = normalise_email(request.form.get("email", ""))[:254]
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    return "account:" + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:24]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        sess = db.session()
        user = authenticate(sess, form.email.data or "", form.password.data or "")
        if user is not None:
            target = safe_next(request.args.get("next"))
            if user.totp_secret:
                session.clear()
                session.update({PENDING: user.id, PENDING_AT: int(time.time()),
                                PENDING_NEXT: target})  # fmt: skip
                return redirect(url_for("auth.two_step"))
            return _signed_in(user, target)
        known = find_user(sess, form.email.data or "")
        record(sess, known, Action.sign_in_failed, target=known.email if known else None)
        sess.commit()
        # One message whether the e-mail exists or not: nothing to learn by guessing.
        form.password.errors.append(_("That e-mail and password do not match an account."))
        return render_template("auth/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/two-step", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def two_step() -> Response | str | tuple[str, int]:
    """The second step: the code from the authenticator app."""
    user_id, at = session.get(PENDING), session.get(PENDING_AT)
    if not isinstance(user_id, int) or not isinstance(at, int):
        return redirect(url_for("auth.login"))  # no password step before this one
    if time.time() - at > PENDING_SECONDS:
        for key in (PENDING, PENDING_AT, PENDING_NEXT):
            session.pop(key, None)
        flash(_("Sign in again: the second step waited too long."))
        return redirect(url_for("auth.login"))
    form = TwoStepForm()
    if form.validate_on_submit():
        sess = db.session()
        user = sess.get(User, user_id)
        if user is not None and user.active and totp.verify(user.totp_secret, form.code.data or ""):
            return _signed_in(user, str(session.get(PENDING_NEXT) or url_for("admin.index")))
        record(sess, user, Action.sign_in_failed, target=user.email if user else None,
               step="code")  # fmt: skip
        sess.commit()
        form.code.errors.append(_("That code is not right. Type the six digits the app shows now."))
        return render_template("auth/two_step.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/two_step.html", form=form), status


def _signed_in(user: User, target: str) -> Response:
    sess = db.session()
    signin_views.start(user)
    record(sess, user, Action.sign_in, target=user.email)
    sess.commit()
    response = redirect(safe_next(target))
    chosen = user.language or ""
    if chosen in current_app.config["LANGUAGES"]:  # the language the account chose
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_AGE,
                            samesite="Lax", httponly=True)  # fmt: skip
    return response


@bp.post("/logout")
@public
def logout() -> Response:
    # The global CSRF protection checks this POST; PostForm renders its token in the page.
    PostForm()
    sess = db.session()
    if current_user.is_authenticated:
        record(sess, current_user, Action.sign_out, target=current_user.email)
    signin_views.finish()
    sess.commit()
    flash(_("You are signed out."))
    return redirect(url_for("main.index"))
