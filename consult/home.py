"""The shell's own pages: the front page (consultations open now), the signed-in home (the
surveys one may see) and a survey's page for organizers (counts, links, what to do next)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult import db
from consult.accounts.access import may, public, signed_in, survey_roles
from consult.accounts.models import SurveyMember
from consult.accounts.roles import ORGANIZERS, STAFF, Role
from consult.collection.drafts import SOON_DAYS, draft_counts
from consult.distribution.monitoring import response_counts
from consult.forms import PostForm
from consult.i18n import content_language
from consult.surveys.models import Survey, SurveyState

main = Blueprint("main", __name__)
admin = Blueprint("admin", __name__, url_prefix="/admin")


@main.get("/")
@public
def index() -> str:
    surveys = db.session().scalars(
        select(Survey).where(Survey.state == SurveyState.open).order_by(Survey.created_at)
    )
    return render_template("index.html", surveys=list(surveys))


@admin.get("/", endpoint="index")
@signed_in
def surveys() -> str:
    stmt = select(Survey).order_by(Survey.created_at)
    if current_user.role != Role.admin:
        stmt = stmt.join(SurveyMember).where(SurveyMember.user_id == current_user.id)
    found = list(db.session().scalars(stmt))
    return render_template("admin/index.html", surveys=found, logout_form=PostForm())


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
        drafts=draft_counts(session, survey),
        soon_days=SOON_DAYS,
        group_links=links,
        public_link=url_for("take.respond", slug=survey.slug, _external=True),
        may_export=may(ORGANIZERS),
        logout_form=PostForm(),
    )
