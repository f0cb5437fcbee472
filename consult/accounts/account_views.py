"""Every account's own page (password, language, two-step sign-in, sign out everywhere) and
signing up from a colleague's invitation."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from consult import db
from consult.accounts import signin_views, team, tokens, totp
from consult.accounts.access import public, signed_in
from consult.accounts.audit import Action, record
from consult.accounts.forms import (
    LanguageForm,
    PasswordForm,
    SignUpForm,
    TokenForm,
    TwoStepForm,
)
from consult.forms import PostForm
from consult.i18n import LANG_COOKIE, LANG_COOKIE_AGE, NATIVE_NAMES
from consult.problems import Refusal

bp = Blueprint("account", __name__)

PENDING_SECRET = "totp_pending"  # noqa: S105 - a session key name


def _language_form() -> LanguageForm:
    form = LanguageForm()
    form.language.choices = [
        (code, NATIVE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    ]
    if not form.is_submitted():
        form.language.data = current_user.language or ""
    return form


def _token_form() -> TokenForm:
    form = TokenForm()
    reachable = tokens.reachable_surveys(db.session(), current_user)
    form.surveys.choices = [
        SelectChoice(value=s.id, label=f"{s.slug} · {s.text(s.title, s.default_language)}")
        for s in reachable
    ]
    return form


def _page(status: int = 200, **forms: object) -> tuple[str, int]:
    user = current_user._get_current_object()
    return render_template(
        "account/page.html",
        password_form=forms.get("password_form") or PasswordForm(),
        language_form=forms.get("language_form") or _language_form(),
        token_form=forms.get("token_form") or _token_form(),
        tokens=tokens.tokens_of(db.session(), user),
        new_secret=forms.get("new_secret"),
        form=PostForm(),
        logout_form=PostForm(),
        errors=forms.get("errors") or {},
    ), status


@bp.get("/account")
@signed_in
def page() -> tuple[str, int]:
    return _page()


@bp.post("/account/password")
@signed_in
def password() -> ResponseReturnValue:
    form = PasswordForm()
    if not form.validate_on_submit():
        return _page(400, password_form=form)
    sess = db.session()
    try:
        team.change_password(sess, current_user, form.current.data or "",
                             form.password.data or "", form.confirm.data or "")  # fmt: skip
    except Refusal as refusal:
        sess.rollback()
        return _page(400, password_form=form, errors=refusal.by_field())
    signin_views.restart(current_user._get_current_object())  # other sessions ended
    sess.commit()
    flash(_("Your password is changed. Other devices are signed out."))
    return redirect(url_for("account.page"))


@bp.post("/account/language")
@signed_in
def language() -> ResponseReturnValue:
    form = _language_form()
    if not form.validate_on_submit():
        return _page(400, language_form=form)
    current_user.language = form.language.data
    db.session().commit()
    response = redirect(url_for("account.page"))
    response.set_cookie(LANG_COOKIE, form.language.data or "en", max_age=LANG_COOKIE_AGE,
                        samesite="Lax", httponly=True)  # fmt: skip
    return response


@bp.post("/account/tokens")
@signed_in
def create_token() -> ResponseReturnValue:
    """A new API token: its secret is shown on this one page, once, and never again."""
    form = _token_form()
    if not form.validate_on_submit():
        return _page(400, token_form=form)
    sess = db.session()
    try:
        _token, secret = tokens.create_token(
            sess, current_user._get_current_object(), form.name.data or "",
            form.access.data == "write", form.surveys.data or None,
        )  # fmt: skip
    except Refusal as refusal:
        sess.rollback()
        return _page(400, token_form=form, errors=refusal.by_field())
    sess.commit()
    return _page(201, token_form=_token_form_empty(), new_secret=secret)


def _token_form_empty() -> TokenForm:
    """A blank form after a token was made (the posted values are not shown again)."""
    form = _token_form()
    form.name.data, form.access.data, form.surveys.data = "", "read", []
    return form


@bp.post("/account/tokens/<int:token_id>/revoke")
@signed_in
def revoke_token(token_id: int) -> Response:
    PostForm()
    sess = db.session()
    token = tokens.revoke_token(sess, current_user._get_current_object(), token_id)
    if token is None:
        abort(404)
    sess.commit()
    flash(_("The token is revoked: it opens nothing any more."))
    return redirect(url_for("account.page"))


@bp.post("/account/sign-out-everywhere")
@signed_in
def sign_out_everywhere() -> Response:
    PostForm()
    sess = db.session()
    team.sign_out_everywhere(sess, current_user)
    session.clear()
    sess.commit()
    flash(_("You are signed out on every device."))
    return redirect(url_for("auth.login"))


@bp.route("/account/two-step", methods=["GET", "POST"])
@signed_in
def two_step() -> ResponseReturnValue:
    """Set up two-step sign-in: scan the code, type one code to prove it works."""
    secret = session.get(PENDING_SECRET)
    if not isinstance(secret, str):
        secret = session[PENDING_SECRET] = totp.new_secret()
    form = TwoStepForm()
    if form.validate_on_submit():
        if totp.verify(secret, form.code.data or ""):
            sess = db.session()
            team.set_two_step(sess, current_user, secret)
            session.pop(PENDING_SECRET, None)
            signin_views.restart(current_user._get_current_object())
            sess.commit()
            flash(_("Two-step sign-in is on. You will be asked for a code at each sign-in."))
            return redirect(url_for("account.page"))
        form.code.errors.append(_("That code is not right. Type the six digits the app shows now."))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "account/two_step.html", form=form, secret=secret, logout_form=PostForm(),
        qr=totp.setup_qr_svg(secret, current_user.email),
    ), status  # fmt: skip


@bp.post("/account/two-step/off")
@signed_in
def two_step_off() -> Response:
    PostForm()
    sess = db.session()
    if current_app.config.get("REQUIRE_ADMIN_TOTP") and current_user.is_admin:
        flash(_("Admins must keep two-step sign-in on here."))
        return redirect(url_for("account.page"))
    team.set_two_step(sess, current_user, None)
    signin_views.restart(current_user._get_current_object())
    sess.commit()
    flash(_("Two-step sign-in is off."))
    return redirect(url_for("account.page"))


@bp.route("/auth/sign-up/<token>", methods=["GET", "POST"])
@public
def sign_up(token: str) -> ResponseReturnValue:
    """A colleague's invitation: choose a password, and the account exists."""
    sess = db.session()
    invitation = team.find_invitation(sess, token)
    if invitation is None:
        return render_template("auth/sign_up_gone.html"), 404
    form = SignUpForm()
    errors: dict[str, str] = {}
    general: list[str] = []
    if form.validate_on_submit():
        try:
            user = team.accept(sess, invitation, form.password.data or "", form.confirm.data or "")
        except Refusal as refusal:
            sess.rollback()
            errors, general = refusal.by_field(), refusal.general()
        else:
            signin_views.start(user)
            record(sess, user, Action.sign_in, target=user.email)
            sess.commit()
            flash(_("Welcome. Your account is ready."))
            return redirect(url_for("admin.index"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "auth/sign_up.html", form=form, email=invitation.email, errors=errors, general=general
    ), status
