"""Responses typed in from paper or exported from another tool, imported from a spreadsheet."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS
from consult.collection.imports import IMPORT_LIMITS, import_responses
from consult.forms import PostForm
from consult.problems import Refusal
from consult.security import body_limit
from consult.surveys.models import Survey

bp = Blueprint("imports", __name__, url_prefix="/admin/surveys")


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx)"), validators=[FileRequired(_l("Choose a file."))])


@bp.get("/<slug>/import")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> str:
    return _import_page(survey, ImportForm(), [], 0)


@bp.post("/<slug>/import")
@survey_roles(*ORGANIZERS)
@body_limit(IMPORT_LIMITS.size)  # the app's limit (1 MB) is for answer pages
def upload(survey: Survey) -> Response | tuple[str, int]:
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(survey, form, [], 0), 400
    data = form.file.data.read()
    session = db.session()
    try:
        count = import_responses(session, survey, io.BytesIO(data), lang=str(get_locale()))
    except Refusal as refused:
        session.rollback()
        return _import_page(survey, form, refused.messages(), refused.more), 400
    record(session, current_user, Action.responses_imported, survey, count=count)
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
