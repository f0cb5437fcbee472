"""Signing in and out (Flask-Login)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import public
from consult.accounts.forms import LoginForm
from consult.accounts.users import authenticate
from consult.extensions import limiter
from consult.forms import PostForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    from flask import current_app

    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        # One message whether the e-mail exists or not: nothing to learn by guessing.
        form.password.errors.append(_("That e-mail and password do not match an account."))
        return render_template("auth/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@public
def logout() -> Response:
    # The global CSRF protection checks this POST; PostForm renders its token in the page.
    PostForm()
    logout_user()
    flash(_("You are signed out."))
    return redirect(url_for("main.index"))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("admin.index")
