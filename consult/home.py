"""The shell's own pages: the front page (consultations open now), the signed-in home (the
surveys one may see, with their state and counts) and a survey's page for organizers (counts,
links, what to do next, retention), with the confirmation before closing a survey."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from consult import db
from consult.accounts.access import admins_only, may, public, signed_in, survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.models import SurveyMember, User
from consult.accounts.roles import ORGANIZERS, STAFF, Role
from consult.authoring.surveys import change_state
from consult.collection.drafts import SOON_DAYS, draft_counts
from consult.collection.models import Response
from consult.collection.retention import held, retention_date, set_retention
from consult.distribution.mailing import wipe_tokens
from consult.distribution.monitoring import response_counts
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.models import QuestionRole, Survey, SurveyState

main = Blueprint("main", __name__)
admin = Blueprint("admin", __name__, url_prefix="/admin")


@main.get("/")
@public
def index() -> str:
    surveys = db.session().scalars(
        select(Survey).where(Survey.state == SurveyState.open).order_by(Survey.created_at)
    )
    return render_template("index.html", surveys=list(surveys))


def _listing(surveys: list[Survey]) -> dict[int, tuple[int, datetime | None, str]]:
    """Per survey id: responses, the last one's time, and its organizers (the owners)."""
    ids = [s.id for s in surveys]
    sess = db.session()
    counts = {
        sid: (n, last)
        for sid, n, last in sess.execute(
            select(Response.survey_id, func.count(), func.max(Response.submitted_at))
            .where(Response.survey_id.in_(ids))
            .group_by(Response.survey_id)
        )
    }
    owners: dict[int, list[str]] = {}
    for sid, email, member_role, role in sess.execute(
        select(SurveyMember.survey_id, User.email, SurveyMember.role, User.role)
        .join(User)
        .where(SurveyMember.survey_id.in_(ids))
        .order_by(User.email)
    ):
        if (member_role or role) == Role.organizer:
            owners.setdefault(sid, []).append(email)
    return {
        sid: (*counts.get(sid, (0, None)), ", ".join(owners.get(sid, [])))
        for sid in ids
    }  # fmt: skip


@admin.get("/", endpoint="index")
@signed_in
def surveys() -> str:
    stmt = select(Survey).order_by(Survey.created_at)
    if current_user.role != Role.admin:
        stmt = stmt.join(SurveyMember).where(SurveyMember.user_id == current_user.id)
    found = list(db.session().scalars(stmt))
    return render_template(
        "admin/index.html", surveys=found, listing=_listing(found), logout_form=PostForm()
    )


@admin.get("/surveys/<slug>")
@survey_roles(*STAFF)
def survey(survey: Survey) -> str:
    lang = content_language(survey.languages, request.args.get("lang", ""))
    session = db.session()
    counts = response_counts(session, survey, lang, not_given=_("Not given"))
    links = [
        (
            survey.text(group.label, lang),
            url_for("take.respond", slug=survey.slug, group=group.code, _external=True),
            group.code,
        )
        for group in survey.groups
    ]
    return render_template(
        "admin/survey.html",
        survey=survey,
        counts=counts,
        # Only the breakdowns this survey has: a province table needs a region question.
        has_regions=any(q.role == QuestionRole.region for q in survey.questions),
        drafts=draft_counts(session, survey),
        soon_days=SOON_DAYS,
        group_links=links,
        public_link=url_for("take.respond", slug=survey.slug, _external=True),
        may_export=may(ORGANIZERS),
        retention=retention_date(survey),
        logout_form=PostForm(),
        form=PostForm(),
    )


@admin.route("/surveys/<slug>/close", methods=["GET", "POST"])
@admins_only
def close(slug: str) -> ResponseReturnValue:
    """Closing asks first: what closing does, and how many answers and links it concerns."""
    sess = db.session()
    found = sess.scalar(select(Survey).where(Survey.slug == slug))
    if found is None or found.state != SurveyState.open:
        return redirect(url_for("admin.index"))
    form = PostForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("confirm") == "yes":
            change_state(sess, found, "close")
            wipe_tokens(sess, found)  # no reminders for a closed survey
            record(sess, current_user, Action.survey_closed, found)
            sess.commit()
            flash(_("The survey is closed: it takes no more answers."))
            return redirect(url_for("admin.survey", slug=found.slug))
        error = _("Tick the box to confirm.")
    return render_template(
        "admin/close.html", survey=found, held=held(sess, found), form=form, error=error,
        logout_form=PostForm(),
    ), 400 if error else 200  # fmt: skip


@admin.post("/surveys/<slug>/retention")
@admins_only
def retention(slug: str) -> ResponseReturnValue:
    """The last day the survey's responses are kept (empty: kept until deleted by hand)."""
    PostForm()
    sess = db.session()
    found = sess.scalar(select(Survey).where(Survey.slug == slug))
    if found is None:
        return redirect(url_for("admin.index"))
    try:
        set_retention(sess, current_user, found, request.form.get("retention", ""))
    except Refusal as refusal:
        sess.rollback()
        flash(refusal.by_field().get("retention", ""))
        return redirect(url_for("admin.survey", slug=slug))
    sess.commit()
    flash(_("The retention date is saved."))
    return redirect(url_for("admin.survey", slug=slug))
