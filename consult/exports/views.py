"""Downloads for organizers: the raw responses and the summary workbook."""

from __future__ import annotations

import tempfile

from flask import Blueprint, request, send_file
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS, STAFF
from consult.analysis.filters import INCLUDE_EXCLUDED, Filters, excluded_count, parse_filters
from consult.errors import render_error
from consult.exports.raw import codebook, exclusion_note, raw_table
from consult.i18n import content_language, direction
from consult.problems import Refusal
from consult.spreadsheets.workbooks import XLSX, write_raw
from consult.surveys.models import Survey

bp = Blueprint("exports", __name__, url_prefix="/admin/surveys/<slug>")


def _language(survey: Survey) -> str:
    """A workbook's language is asked for in its link (``?lang=``), else the survey's first."""
    return content_language(survey.languages, request.args.get("lang", ""))


@bp.get("/export.xlsx")
@survey_roles(*ORGANIZERS)
def raw(survey: Survey) -> Response:
    """Raw responses, written to a temporary file in constant memory, then streamed back."""
    lang = _language(survey)
    session = db.session()
    codes = request.args.get("codes") == "1"
    included = request.args.get("excluded") == INCLUDE_EXCLUDED
    _audit(session, survey, "responses", codes=codes, with_excluded=included)
    # A read-only request from here: a large table may be read by a forked process.
    table = raw_table(session, survey, lang, codes=codes, reader=True,
                      filters=Filters(with_excluded=included))  # fmt: skip
    note = exclusion_note(excluded_count(session, survey), included)
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    write_raw(book, table, codebook(survey, lang, note), rtl=direction(lang) == "rtl")
    book.seek(0)
    return _no_store(send_file(
        book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}-responses.xlsx"
    ))  # fmt: skip


def _audit(session: Session, survey: Survey, what: str, **detail: object) -> None:
    """Every export is in the audit trail (committed before the file is made)."""
    record(session, current_user, Action.export, survey, target=what, details=detail)
    session.commit()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/summary.xlsx")
@survey_roles(*STAFF)
def summary(survey: Survey) -> Response | tuple[str, int]:
    """The summary workbook (aggregates only: viewers may have it), with the page's filters."""
    from consult.exports.summary.workbook import summary_workbook  # loads pandas: see results

    try:
        filters = parse_filters(request.args, survey.languages)
    except Refusal as refusal:
        return render_error(400, " ".join(refusal.messages()))
    _audit(db.session(), survey, "summary", with_excluded=filters.with_excluded,
           filtered=filters.active)  # fmt: skip
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    summary_workbook(db.session(), survey, _language(survey), book, filters)
    book.seek(0)
    return _no_store(send_file(
        book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}-summary.xlsx"
    ))  # fmt: skip
