"""Downloads for organizers: the raw responses, the summary workbook and the policy brief.

Every download is named for what it holds: survey, kind, language and day
(``nisp-consultation-responses-ur-2026-12-04.xlsx``), so a folder of them sorts and tells
them apart.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import IO

from flask import Blueprint, request, send_file
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import may_open, survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS, STAFF
from consult.analysis.filters import Filters, excluded_count, parse_filters
from consult.errors import render_error
from consult.exports.brief.render import policy_brief
from consult.exports.raw import codebook, exclusion_note, raw_table
from consult.exports.statfiles import MIMETYPES
from consult.exports.summary.workbook import summary_workbook
from consult.i18n import content_language, direction
from consult.problems import Refusal
from consult.spreadsheets.workbooks import XLSX, write_raw
from consult.surveys.models import Survey

bp = Blueprint("exports", __name__, url_prefix="/admin/surveys/<slug>")
PDF = "application/pdf"


def download_name(
    survey: Survey, kind: str, lang: str, suffix: str, day: date | None = None
) -> str:
    """``<slug>-<kind>-<lang>-<yyyy-mm-dd>.<suffix>``: what the file holds, and from when."""
    return f"{survey.slug}-{kind}-{lang}-{(day or date.today()).isoformat()}.{suffix}"


def _language(survey: Survey) -> str:
    """A file's language is asked for in its link (``?lang=``), else the survey's first."""
    return content_language(survey.languages, request.args.get("lang", ""))


def _sent(file: IO[bytes], mimetype: str, name: str) -> Response:
    """A download that no browser or proxy keeps: it may hold what only organizers may see."""
    response = send_file(file, mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _filters(survey: Survey) -> Filters:
    return parse_filters(request.args, survey)


@bp.get("/export.xlsx")
@survey_roles(*ORGANIZERS)
def raw(survey: Survey) -> Response | tuple[str, int]:
    """Raw responses, written to a temporary file in constant memory, then streamed back."""
    lang = _language(survey)
    try:
        filters = _filters(survey)
    except Refusal as refusal:
        return render_error(400, " ".join(refusal.messages()))
    session = db.session()
    codes = request.args.get("codes") == "1"
    _audit(session, survey, "responses", codes=codes, with_excluded=filters.with_excluded,
           filtered=filters.active)  # fmt: skip
    # A read-only request from here: a large table may be read by a forked process.
    table = raw_table(session, survey, lang, codes=codes, filters=filters, reader=True)
    note = exclusion_note(excluded_count(session, survey), filters.with_excluded)
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    write_raw(book, table, codebook(survey, lang, note), rtl=direction(lang) == "rtl")
    book.seek(0)
    name = download_name(survey, "responses", "codes" if codes else lang, "xlsx")
    return _sent(book, XLSX, name)


@bp.get("/export.<any(sav, dta, rds):fmt>")
@survey_roles(*ORGANIZERS)
def statistical(survey: Survey, fmt: str) -> Response | tuple[str, int]:
    """The raw responses as an SPSS, Stata or R file, labelled in the chosen language.

    What the format made the file change (labels shortened, strL) is in the file's notes
    (SPSS) and, in English, in the ``X-Export-Notes`` header.
    """
    from consult.exports.statwriters import statistical_file  # loads pandas and pyreadstat

    lang = _language(survey)
    try:
        filters = _filters(survey)
    except Refusal as refusal:
        return render_error(400, " ".join(refusal.messages()))
    session = db.session()
    _audit(session, survey, "responses", format=fmt, lang=lang,
           with_excluded=filters.with_excluded, filtered=filters.active)  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{fmt}"
        written = statistical_file(session, survey, lang, fmt, path, filters, reader=True,
                                   excluded=excluded_count(session, survey))  # fmt: skip
        # Open before the folder goes: the open file outlives its name (send_file closes it).
        file = path.open("rb")  # noqa: SIM115
    response = _sent(file, MIMETYPES[fmt], download_name(survey, "responses", lang, fmt))
    notes = " | ".join(written.notes)
    response.headers["X-Export-Notes"] = notes.encode("ascii", "replace").decode()
    return response


def _audit(session: Session, survey: Survey, what: str, **detail: object) -> None:
    """Every export is in the audit trail (committed before the file is made)."""
    record(session, current_user, Action.export, survey, target=what, details=detail)
    session.commit()


@bp.get("/summary.xlsx")
@survey_roles(*STAFF)
def summary(survey: Survey) -> Response | tuple[str, int]:
    """The summary workbook (aggregates only: viewers may have it), with the page's filters."""

    try:
        filters = _filters(survey)
    except Refusal as refusal:
        return render_error(400, " ".join(refusal.messages()))
    _audit(db.session(), survey, "summary", with_excluded=filters.with_excluded,
           filtered=filters.active)  # fmt: skip
    lang = _language(survey)
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    previous = may_open(survey.previous_wave_id, STAFF)  # an earlier wave's figures: see results
    summary_workbook(db.session(), survey, lang, book, filters, previous=previous)
    book.seek(0)
    name = download_name(survey, "summary", lang, "xlsx")
    return _sent(book, XLSX, name)


@bp.get("/brief.pdf")
@survey_roles(*STAFF)
def brief(survey: Survey) -> Response | tuple[str, int]:
    """The policy brief (aggregates and starred quotes, as the workbook: viewers may have it)."""

    try:
        filters = _filters(survey)
    except Refusal as refusal:
        return render_error(400, " ".join(refusal.messages()))
    _audit(db.session(), survey, "brief", with_excluded=filters.with_excluded,
           filtered=filters.active)  # fmt: skip
    lang = _language(survey)
    document = tempfile.TemporaryFile(suffix=".pdf")  # noqa: SIM115 - send_file closes it
    policy_brief(db.session(), survey, lang, document, filters)
    document.seek(0)
    name = download_name(survey, "brief", lang, "pdf")
    return _sent(document, PDF, name)
