"""Results for organizers and viewers: the recommendation × group matrix, charts, filters; and
responses typed in from paper or exported from another tool, imported from a spreadsheet."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response

from .. import db
from ..forms import PostForm
from ..models import Channel, Role, Survey
from ..security import survey_roles
from ..services.exports import Filters

bp = Blueprint("results", __name__, url_prefix="/admin/surveys")

STAFF = (Role.organizer, Role.viewer)
IMPORTERS = (Role.organizer,)
# A typed-in sheet of a few thousand responses is well under this; the app's default is 1 MB.
IMPORT_LIMIT = 20 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx)"), validators=[FileRequired(_l("Choose a file."))])


def content_language(survey: Survey) -> str:
    """Labels in the interface language when the survey is written in it."""
    asked = request.args.get("lang") or str(get_locale())
    return asked if asked in survey.languages else survey.default_language


def request_filters(survey: Survey) -> tuple[Filters, list[str]]:
    """The filters in the query string, and a message for each one that makes no sense."""
    args, errors = request.args, []
    channel = args.get("channel") or None
    if channel is not None and channel not in {c.value for c in Channel}:
        errors.append(_("There is no channel %(name)s.", name=channel))
        channel = None
    answered = args.get("answered") or None
    if answered is not None and answered not in survey.languages:
        errors.append(_("This survey has no language %(code)s.", code=answered))
        answered = None
    days = {}
    for key in ("from", "to"):
        text = args.get(key) or ""
        try:
            days[key] = date.fromisoformat(text) if text else None
        except ValueError:
            errors.append(_("%(text)s is not a date: use the form 2026-11-25.", text=text))
            days[key] = None
    since, until = days["from"], days["to"]
    if since and until and since > until:
        errors.append(_("The first day is after the last day."))
        since = until = None
    return Filters(channel=channel, language=answered, since=since, until=until), errors


@bp.get("/<slug>/results")
@survey_roles(*STAFF)
def page(survey: Survey) -> tuple[str, int]:
    # Loaded on first use: pandas and openpyxl would add ~0.4 s to every `consult` command.
    from ..services import analysis
    from . import results_view

    lang = content_language(survey)
    filters, errors = request_filters(survey)
    summary = analysis.summarise(analysis.frames(db.session(), survey, filters), survey)
    view = results_view.build(summary, lang)
    query = {k: v for k, v in request.args.items() if k in ("channel", "answered", "from", "to")}
    return render_template(
        "results/page.html",
        survey=survey,
        summary=summary,
        view=view,
        filters=filters,
        errors=errors,
        query=query,
        channels=[c.value for c in Channel],
        may_export=current_user.role in (Role.admin, *IMPORTERS),
        logout_form=PostForm(),
    ), 400 if errors else 200


@bp.get("/<slug>/import")
@survey_roles(*IMPORTERS)
def import_page(survey: Survey) -> str:
    return _import_page(survey, ImportForm(), [], 0)


@bp.post("/<slug>/import")
@survey_roles(*IMPORTERS)
def import_upload(survey: Survey) -> Response | tuple[str, int]:
    from ..services.imports import ImportRefused, import_responses  # loads openpyxl: see page()
    from ..services.uploads import UploadError, check_zip

    # Before the form reads the body: a spreadsheet may be larger than an answer page.
    request.max_content_length = IMPORT_LIMIT
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(survey, form, [], 0), 400
    data = form.file.data.read()
    try:
        check_zip(data)  # zip bombs are refused before openpyxl sees the file
    except UploadError as error:
        return _import_page(survey, form, [str(error)], 0), 400
    session = db.session()
    try:
        count = import_responses(session, survey, io.BytesIO(data), lang=str(get_locale()))
    except ImportRefused as refused:
        session.rollback()
        return _import_page(survey, form, [str(p) for p in refused.problems], refused.more), 400
    session.commit()
    flash(_("Imported %(count)d responses.", count=count))
    return redirect(url_for("admin.survey", slug=survey.slug))


def _import_page(survey: Survey, form: ImportForm, problems: list[str], more: int) -> str:
    return render_template(
        "results/import.html",
        survey=survey,
        form=form,
        problems=problems,
        more=more,
        logout_form=PostForm(),
    )
