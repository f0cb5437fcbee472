"""Organizers and admins: the surveys they may see, response counts, exports."""

from __future__ import annotations

import tempfile

from flask import Blueprint, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import db
from ..forms import PostForm
from ..i18n import direction
from ..models import Role, Survey, SurveyMember
from ..security import signed_in, survey_roles
from ..services.exports import codebook, raw_table
from ..services.monitoring import response_counts
from ..services.workbooks import write_raw
from .errors import render_error
from .results import request_filters

bp = Blueprint("admin", __name__, url_prefix="/admin")

STAFF = (Role.organizer, Role.viewer)
EXPORTERS = (Role.organizer,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
@signed_in
def index() -> str:
    stmt = select(Survey).order_by(Survey.created_at)
    if current_user.role != Role.admin:
        stmt = stmt.join(SurveyMember).where(SurveyMember.user_id == current_user.id)
    surveys = list(db.session().scalars(stmt))
    return render_template("admin/index.html", surveys=surveys, logout_form=PostForm())


@bp.get("/surveys/<slug>")
@survey_roles(*STAFF)
def survey(survey: Survey) -> str:
    lang = _export_language(survey)
    counts = response_counts(db.session(), survey, lang, not_given=_("Not given"))
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
        group_links=links,
        public_link=url_for("take.respond", slug=survey.slug, _external=True),
        may_export=current_user.role in (Role.admin, *EXPORTERS),
        logout_form=PostForm(),
    )


@bp.get("/surveys/<slug>/export.xlsx")
@survey_roles(*EXPORTERS)
def export_raw(survey: Survey) -> Response:
    """Raw responses, written to a temporary file in constant memory, then streamed back."""
    lang = _export_language(survey)
    session = db.session()
    # A read-only request: a large table may be read by a forked process (services/forked.py).
    codes = request.args.get("codes") == "1"
    table = raw_table(session, survey, lang, codes=codes, reader=True)
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    write_raw(book, table, codebook(survey, lang), rtl=direction(lang) == "rtl")
    book.seek(0)
    return send_file(
        book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}-responses.xlsx"
    )


@bp.get("/surveys/<slug>/summary.xlsx")
@survey_roles(*STAFF)
def export_summary(survey: Survey) -> Response | tuple[str, int]:
    """The summary workbook (aggregates only: viewers may have it), with the page's filters."""
    from ..services.summary import summary_workbook  # loads pandas: see results.page()

    filters, errors = request_filters(survey)
    if errors:
        return render_error(400, " ".join(errors))
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    summary_workbook(db.session(), survey, _export_language(survey), book, filters)
    book.seek(0)
    return send_file(
        book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}-summary.xlsx"
    )


def _export_language(survey: Survey) -> str:
    lang = request.args.get("lang", "")
    return lang if lang in survey.languages else survey.default_language
