"""XLSForm in and out on the web: download a survey as a form, upload a form as a draft survey."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import admins_only, survey_roles
from consult.accounts.roles import ORGANIZERS
from consult.authoring.xlsform.read import FORM_LIMITS
from consult.errors import render_error
from consult.security import body_limit
from consult.spreadsheets.workbooks import XLSX
from consult.surveys.models import Survey

# The XLSForm modules load openpyxl, which costs more start-up time than all of the rest of
# consult; they are imported inside the views that use them, so other pages and commands
# (e.g. an export) do not pay for it.

bp = Blueprint("xlsform", __name__, url_prefix="/admin")


@bp.get("/surveys/<slug>/form.xlsx")
@survey_roles(*ORGANIZERS)
def download(survey: Survey) -> Response:
    """The survey as an XLSForm, to edit in Excel or run in KoboToolbox."""
    from consult.authoring.xlsform.write import write_xlsform

    book = io.BytesIO()  # a form is small: a few hundred rows at most
    write_xlsform(survey, book)
    book.seek(0)
    return send_file(book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}.xlsx")


@bp.post("/xlsform")
@admins_only
@body_limit(FORM_LIMITS.size)
def upload() -> ResponseReturnValue:
    """An uploaded XLSForm becomes a draft survey; nothing is kept if any row is refused."""
    from consult.authoring.xlsform.convert import import_xlsform
    from consult.authoring.xlsform.read import XLSFormError

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(_("Choose an XLSForm (.xlsx) file to upload."))
    session = db.session()
    try:
        imported = import_xlsform(
            session,
            upload.read(),
            slug=request.form.get("slug") or None,
            skip_unsupported=request.form.get("skip_unsupported") == "1",
            fallback_name=upload.filename.rsplit(".", 1)[0],
        )
    except XLSFormError as error:
        session.rollback()
        return _refused(str(error))
    session.commit()
    flash(_("The form was imported as a draft survey."))
    for left_out in imported.skipped[:50]:
        flash(_("Left out: %(what)s", what=left_out))
    for warning in imported.warnings[:50]:
        flash(_("Warning: %(what)s", what=warning))
    return redirect(url_for("admin.survey", slug=imported.survey.slug))


def _refused(message: str) -> ResponseReturnValue:
    return render_error(400, _("The form was not imported: %(reason)s", reason=message))
