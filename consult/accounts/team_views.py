"""The team page for admins: invite colleagues, set roles and survey membership, deactivate."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult import db
from consult.accounts import team
from consult.accounts.access import admins_only
from consult.accounts.forms import InviteForm
from consult.accounts.models import User
from consult.accounts.roles import Role
from consult.accounts.tasks import send_staff_mail
from consult.forms import PostForm
from consult.problems import Refusal
from consult.surveys.models import Survey

bp = Blueprint("team", __name__, url_prefix="/admin/team")


def role_choices() -> list[tuple[str, str]]:
    names = {
        Role.admin: _("Admin: everything, every survey"),
        Role.organizer: _("Organizer: distributes, reviews and exports its surveys"),
        Role.viewer: _("Viewer: sees counts and results of its surveys"),
        Role.enumerator: _("Enumerator: enters interviews for its surveys"),
    }
    return [(role.value, names[role]) for role in Role]


def _surveys() -> list[Survey]:
    return list(db.session().scalars(select(Survey).order_by(Survey.created_at)))


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.role.choices = role_choices()
    return form


def _page(form: InviteForm | None = None, status: int = 200, **extra: object) -> tuple[str, int]:
    sess = db.session()
    return render_template(
        "admin/team.html",
        users=team.team(sess),
        invitations=team.open_invitations(sess),
        form=form or _invite_form(),
        surveys=_surveys(),
        logout_form=PostForm(),
        errors=extra.pop("errors", {}),
        **extra,
    ), status


@bp.get("/")
@admins_only
def page() -> tuple[str, int]:
    return _page()


@bp.post("/invite")
@admins_only
def invite() -> ResponseReturnValue:
    form = _invite_form()
    chosen = {int(v) for v in request.form.getlist("survey") if v.isdigit()}
    surveys = [s for s in _surveys() if s.id in chosen]
    if not form.validate_on_submit():
        return _page(form, 400, chosen=chosen)
    sess = db.session()
    days = int(current_app.config["ACCOUNT_INVITATION_DAYS"])
    try:
        invitation, token = team.invite(
            sess, current_user, form.email.data or "", Role(form.role.data), surveys, days
        )
    except Refusal as refusal:
        sess.rollback()
        return _page(form, 400, errors=refusal.by_field(), chosen=chosen)
    sess.commit()
    link = url_for("account.sign_up", token=token, _external=True)
    email = invitation.email
    if request.form.get("send") != "no":
        send_staff_mail(email, _("You are invited to consult"), invitation_text(link, days))
    return _page(None, 200, new_link=link, new_email=email)


def invitation_text(link: str, days: int) -> str:
    return _(
        "A colleague invited you to work on consultations in consult.\n\n"
        "Choose your password here (the link works once, for %(days)d days):\n%(link)s\n\n"
        "If you did not expect this, ignore this message.",
        link=link,
        days=days,
    )


def _user(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/<int:user_id>")
@admins_only
def member(user_id: int) -> tuple[str, int]:
    return _member_page(_user(user_id))


def _member_page(
    user: User, status: int = 200, general: list[str] | None = None
) -> tuple[str, int]:
    return render_template(
        "admin/team_member.html",
        user=user,
        surveys=_surveys(),
        memberships={m.survey_id: m.role or "" for m in user.memberships},
        roles=role_choices(),
        form=PostForm(),
        logout_form=PostForm(),
        general=general or [],
    ), status


@bp.post("/<int:user_id>")
@admins_only
def update(user_id: int) -> ResponseReturnValue:
    PostForm()
    user = _user(user_id)
    sess = db.session()
    try:
        role = Role(request.form.get("role", ""))
    except ValueError:
        return _member_page(user, 400, [_("Choose a role.")])
    wanted: dict[int, Role | None] = {}
    for survey in _surveys():
        value = request.form.get(f"survey-{survey.id}", "")
        if value == "member":
            wanted[survey.id] = None
        elif value in {r.value for r in Role if r != Role.admin}:
            wanted[survey.id] = Role(value)
    try:
        team.set_role(sess, current_user, user, role)
        team.set_memberships(sess, current_user, user, wanted)
        team.set_active(sess, current_user, user, request.form.get("active") == "1")
    except Refusal as refusal:
        sess.rollback()
        return _member_page(_user(user_id), refusal.status, refusal.general())
    sess.commit()
    flash(_("Saved. Changes to the role or access end the account's sessions at once."))
    return redirect(url_for("team.member", user_id=user.id))
