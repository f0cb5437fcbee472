"""The organizer's Delphi pages, under the study's round-1 survey: the study (panel, protocol,
rounds), one round's figures and comments, the study workbook. Parse, call a service, commit
once, render; every change is in the audit trail."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS
from consult.delphi import answers, panel, protocol, rounds
from consult.delphi.models import DelphiStudy
from consult.delphi.panel import ALL
from consult.delphi.tasks import send_round_links
from consult.forms import PostForm
from consult.problems import Refusal
from consult.spreadsheets.workbooks import XLSX
from consult.surveys.models import Survey

if TYPE_CHECKING:
    from consult.delphi.report import StudyReport

bp = Blueprint("delphi", __name__, url_prefix="/admin/surveys/<slug>/delphi")


def _study(survey: Survey) -> DelphiStudy:
    found = panel.study_of(db.session(), survey)
    if found is None:
        abort(404)
    return found


def _page(survey: Survey, status: int = 200, errors: dict[str, str] | None = None,
          general: list[str] | None = None) -> tuple[str, int]:  # fmt: skip
    sess = db.session()
    study = panel.study_of(sess, survey)
    fixed = protocol.Protocol.of(study.protocol) if study else None
    typed = request.form if request.method == "POST" else {}
    return render_template(
        "delphi/study.html", survey=survey, study=study, protocol=fixed,
        protocol_form=dict(typed) if "agree_from" in typed else (
            protocol.form_values(fixed) if fixed else {}),
        methods=protocol.QUANTILE_METHODS,
        panel=panel.panel(sess, study) if study else [],
        items=panel.rating_items(survey), errors=errors or {}, general=general or [],
        participation=_participation(study),
        typed=typed, form=PostForm(), logout_form=PostForm(),
    ), status  # fmt: skip


def _report(study: DelphiStudy) -> StudyReport:
    """The study's figures. Their module (and numpy under it) loads on first use, not with the
    app: every `consult` command paid numpy's import for these pages (docs/performance.md)."""
    from consult.delphi.report import study_report

    return study_report(db.session(), study)


def _participation(study: DelphiStudy | None) -> dict[int, tuple[int, int, float | None]]:
    """Round → (invited, responded, retention %) of the whole panel."""
    if study is None or not study.rounds:
        return {}
    rows = _report(study).participation()
    return {n: (invited, answered, kept) for n, group, invited, answered, kept in rows
            if group == ALL}  # fmt: skip


@bp.get("/")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> tuple[str, int]:
    return _page(survey)


def _refused(survey: Survey, refusal: Refusal) -> tuple[str, int]:
    db.session().rollback()
    return _page(survey, refusal.status, refusal.by_field(), refusal.general())


def _done(survey: Survey, message: str) -> Response:
    db.session().commit()
    flash(message)
    return redirect(url_for("delphi.page", slug=survey.slug))


@bp.post("/create")
@survey_roles(*ORGANIZERS)
def create(survey: Survey) -> Response | tuple[str, int]:
    PostForm()
    try:
        panel.create_study(db.session(), survey)
    except Refusal as refusal:
        return _refused(survey, refusal)
    record(db.session(), current_user, Action.delphi_study_created, survey)
    return _done(survey, _("The Delphi study is made. Add the panel and set the protocol."))


@bp.post("/panel")
@survey_roles(*ORGANIZERS)
def add_panel(survey: Survey) -> Response | tuple[str, int]:
    PostForm()
    study = _study(survey)
    upload = request.files.get("file")
    data = upload.read(panel.PANEL_LIMITS.size + 1) if upload and upload.filename else None
    try:
        sheet = panel.sheet_of(request.form.get("pasted", ""), data,
                               upload.filename or "" if upload else "")  # fmt: skip
        added = panel.add_panellists(db.session(), study, sheet)
    except Refusal as refusal:
        return _refused(survey, refusal)
    record(db.session(), current_user, Action.delphi_panel_added, survey, count=added)
    return _done(survey, _("%(n)d panellists added.", n=added))


@bp.post("/protocol")
@survey_roles(*ORGANIZERS)
def set_protocol(survey: Survey) -> Response | tuple[str, int]:
    PostForm()
    study = _study(survey)
    points = len(panel.rating_items(survey)[0].options())
    try:
        fixed = protocol.from_form(request.form.to_dict(), points)
        panel.set_protocol(db.session(), study, fixed)
    except Refusal as refusal:
        return _refused(survey, refusal)
    record(db.session(), current_user, Action.delphi_protocol_set, survey,
           details=fixed.as_dict())  # fmt: skip
    return _done(survey, _("The protocol is saved."))


@bp.post("/rounds")
@survey_roles(*ORGANIZERS)
def open_round(survey: Survey) -> Response | tuple[str, int]:
    PostForm()
    study = _study(survey)
    try:
        made = rounds.open_round(db.session(), study)
    except Refusal as refusal:
        return _refused(survey, refusal)
    record(db.session(), current_user, Action.delphi_round_opened, survey, round=made.number)
    return _done(survey, _("Round %(n)d is open. Send the links.", n=made.number))


@bp.post("/rounds/<int:number>/close")
@survey_roles(*ORGANIZERS)
def close_round(survey: Survey, number: int) -> Response | tuple[str, int]:
    PostForm()
    study = _study(survey)
    try:
        rounds.close_round(db.session(), study, number)
    except Refusal as refusal:
        return _refused(survey, refusal)
    record(db.session(), current_user, Action.delphi_round_closed, survey, round=number)
    return _done(survey, _("Round %(n)d is closed: its links no longer work.", n=number))


@bp.post("/rounds/<int:number>/send")
@survey_roles(*ORGANIZERS)
def send(survey: Survey, number: int) -> Response | tuple[str, int]:
    PostForm()
    study = _study(survey)
    found = rounds.round_of(study, number)
    if found is None or not found.is_open:
        return _refused(survey, Refusal.conflicting(_("This round is not open.")))
    language = request.form.get("language", "")
    db.session().commit()
    # The job makes the links and sends them (tasks.py says why both happen there).
    send_round_links(study.id, number, language, current_user.id)
    flash(_("The links of round %(n)d are being sent.", n=number))
    return redirect(url_for("delphi.page", slug=survey.slug))


@bp.get("/rounds/<int:number>")
@survey_roles(*ORGANIZERS)
def round_page(survey: Survey, number: int) -> str:
    sess = db.session()
    study = _study(survey)
    found = rounds.round_of(study, number)
    if found is None:
        abort(404)
    report = _report(study)
    return render_template(
        "delphi/round.html", survey=survey, study=study, number=number, report=report,
        stats=report.item_stats(number), paired=report.paired(number) if number > 1 else [],
        concordance=report.concordance(number), notes=answers.notes_to_moderate(sess, found),
        rankings=[(c, report.ranking_concordance(number, c)) for c in report.ranked],
        form=PostForm(), logout_form=PostForm(),
    )  # fmt: skip


@bp.post("/rounds/<int:number>/comments")
@survey_roles(*ORGANIZERS)
def moderate(survey: Survey, number: int) -> Response:
    PostForm()
    study = _study(survey)
    found = rounds.round_of(study, number)
    if found is None:
        abort(404)
    wanted = {int(v) for v in request.form.getlist("approved") if v.isdigit()}
    changed = answers.approve(db.session(), found, wanted)
    record(db.session(), current_user, Action.delphi_comments_moderated, survey, round=number,
           count=changed)  # fmt: skip
    db.session().commit()
    flash(_("The comments panellists will see are saved."))
    return redirect(url_for("delphi.round_page", slug=survey.slug, number=number))


@bp.get("/study.xlsx")
@survey_roles(*ORGANIZERS)
def study_workbook(survey: Survey) -> Response:
    sess = db.session()
    study = _study(survey)
    record(sess, current_user, Action.export, survey, target="delphi study.xlsx")
    sess.commit()
    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    from consult.delphi.workbook import write_study  # see _report

    write_study(book, _report(study), survey.text(survey.title, "en"))
    book.seek(0)
    response = send_file(book, mimetype=XLSX, as_attachment=True,
                         download_name=f"{survey.slug}-delphi.xlsx")  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response
