"""Invitations by e-mail for organizers (template, sending, reminders) and unsubscribing."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import public, survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS
from consult.collection import invitations
from consult.distribution import invitation_lists, mailing
from consult.distribution.tasks import queue_sending
from consult.forms import PostForm
from consult.i18n import NATIVE_NAMES
from consult.problems import Refusal
from consult.spreadsheets.uploads import read_table
from consult.surveys.models import Survey

bp = Blueprint("mailing", __name__, url_prefix="/admin/surveys/<slug>/mail")
unsubscribe_bp = Blueprint("unsubscribe", __name__)


def _page(survey: Survey, status: int = 200, **extra: object) -> tuple[str, int]:
    sess = db.session()
    return render_template(
        "admin/mail.html",
        survey=survey,
        template=extra.pop("template", None) or mailing.template(sess, survey),
        counts=mailing.delivery_counts(sess, survey),
        deliveries=mailing.deliveries(sess, survey),
        due=len(mailing.due_reminders(sess, survey, spacing=False)),
        native_names=NATIVE_NAMES,
        form=PostForm(),
        logout_form=PostForm(),
        errors=extra.pop("errors", {}),
        send_errors=extra.pop("send_errors", []),
        **extra,
    ), status


@bp.get("/")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> tuple[str, int]:
    return _page(survey)


@bp.post("/template")
@survey_roles(*ORGANIZERS)
def save_template(survey: Survey) -> ResponseReturnValue:
    PostForm()
    texts = {key: {lang: request.form.get(f"{key}-{lang}", "") for lang in survey.languages}
             for key in mailing.TEXT_FIELDS}  # fmt: skip
    sess = db.session()
    try:
        mailing.save_template(sess, current_user, survey, texts,
                              request.form.get("max_reminders", ""),
                              request.form.get("reminder_days", ""))  # fmt: skip
    except Refusal as refusal:
        sess.rollback()
        return _page(survey, 400, errors=refusal.by_field(), typed=request.form)
    sess.commit()
    flash(_("The message is saved."))
    return redirect(url_for("mailing.page", slug=survey.slug))


@bp.post("/send")
@survey_roles(*ORGANIZERS)
def send(survey: Survey) -> ResponseReturnValue:
    """A list of people with e-mail addresses: one invitation each, sent by e-mail."""
    PostForm()
    upload = request.files.get("file")
    language = request.form.get("language", "")
    if language not in survey.languages:
        language = survey.default_language
    if upload is None or not upload.filename:
        return _page(survey, 400, send_errors=[_("Choose a .xlsx or .csv file to upload.")])
    sess = db.session()
    try:
        sheet = read_table(upload.read(), upload.filename or "")
        group = next((g for g in survey.groups if g.code == request.form.get("group")), None)
        invitees = invitation_lists.invitees_from_sheet(survey, sheet.header, sheet.rows, group)
        invitation_lists.check_addresses(invitees)
    except Refusal as refusal:
        sess.rollback()
        return _page(survey, 400, send_errors=refusal.messages())
    made = invitations.create_invitations(sess, survey, invitees)
    secret = str(current_app.config["SECRET_KEY"])
    ids = mailing.queue(sess, current_user, survey, made, language, secret)
    sess.commit()
    queue_sending(ids)
    flash(_("%(n)d invitations are on their way.", n=len(ids)))
    return redirect(url_for("mailing.page", slug=survey.slug))


@bp.post("/remind")
@survey_roles(*ORGANIZERS)
def remind(survey: Survey) -> Response:
    """A reminder now to everyone invited by e-mail who has not answered (up to the maximum)."""
    PostForm()
    sess = db.session()
    due = mailing.due_reminders(sess, survey, spacing=False)
    record(sess, current_user, Action.reminders_sent, survey, count=len(due))
    sess.commit()
    queue_sending(due, reminder=True)
    flash(_("%(n)d reminders are on their way.", n=len(due)))
    return redirect(url_for("mailing.page", slug=survey.slug))


@unsubscribe_bp.route("/u/<code>", methods=["GET", "POST"])
@public
def unsubscribe(code: str) -> ResponseReturnValue:
    """An invitee asks for no more e-mail about the consultation (a button: no change on GET)."""
    sess = db.session()
    row = mailing.find_by_unsubscribe_code(sess, code, str(current_app.config["SECRET_KEY"]))
    if row is None:
        return render_template("take/unsubscribe.html", found=False), 404
    form = PostForm()
    done = False
    if request.method == "POST" and form.validate_on_submit():
        mailing.unsubscribe(sess, row)
        sess.commit()
        done = True
    return render_template("take/unsubscribe.html", found=True, done=done, form=form)
