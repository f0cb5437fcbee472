"""The survey builder: admins create and edit surveys in the browser, without JavaScript.

Each view parses the form, calls one authoring function, commits once and redirects; on bad
input it rolls back and shows the page again with the messages beside the fields and what was
typed. Only admins build surveys (structure and texts alike: one person in charge of the
wording avoids two versions of a question); organizers of a survey may preview it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import db
from ..forms import PostForm
from ..models import Choice, Question, Role, Section, Survey
from ..questions import TYPES
from ..security import admins_only, survey_roles
from ..services import analysis_settings, authoring
from ..services import authoring_content as content
from ..services.authoring import Invalid, Refused
from ..services.surveys import Cached
from .answering import answer
from .entry import content_language, entry_for

bp = Blueprint("builder", __name__, url_prefix="/admin")

# Admins only: survey_roles with no role lets admins in and nobody else, and loads the survey.
admin_survey = survey_roles()


@bp.context_processor
def _account_form() -> dict[str, Any]:
    """The header's sign-out button on every builder page."""
    return {"logout_form": PostForm()}


def _type_names() -> dict[str, str]:
    return {
        "single_choice": _("Single choice (radio buttons or a dropdown)"),
        "multiple_choice": _("Multiple choice"),
        "scale": _("Scale (agreement, 5 or 7 points, …)"),
        "ranking": _("Ranking"),
        "integer": _("Whole number"),
        "decimal": _("Decimal number"),
        "short_text": _("Short text"),
        "long_text": _("Long text"),
        "date": _("Date"),
        "note": _("Note (text only, no answer)"),
        "consent": _("Consent (must be accepted)"),
    }


def _texts(prefix: str, languages: list[str]) -> dict[str, str]:
    return {lang: request.form.get(f"{prefix}-{lang}", "") for lang in languages}


def _done(target: str) -> Response:
    db.session().commit()
    return redirect(target)


def _failed() -> None:
    db.session().rollback()


def _section(survey: Survey, code: str) -> Section:
    found = next((s for s in survey.sections if s.code == code), None)
    if found is None:
        abort(404)
    return found


def _question(survey: Survey, code: str) -> Question:
    found = next((q for q in survey.questions if q.code == code), None)
    if found is None:
        abort(404)
    return found


def _choice(question: Question, code: str) -> Choice:
    found = next((c for c in question.choices if c.code == code), None)
    if found is None:
        abort(404)
    return found


def _step() -> int:
    return -1 if request.form.get("direction") == "up" else 1


def _edit_url(survey: Survey) -> str:
    return url_for("builder.edit", slug=survey.slug)


# ---------------------------------------------------------------- survey


@bp.route("/surveys/new", methods=["GET", "POST"])
@admins_only
def new() -> ResponseReturnValue:
    values: dict[str, Any] = {"languages": "en ur", "k_min": "5", "anonymous": "1"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.form.to_dict()
        languages = authoring.parse_languages(values.get("languages", ""))
        try:
            survey = authoring.new_survey(
                db.session(),
                slug=values.get("slug", "").strip(),
                languages=languages,
                title=_texts("title", languages),
                anonymous=values.get("anonymous") == "1",
                k_min=values.get("k_min", ""),
            )
        except Invalid as error:
            _failed()
            errors = error.errors
        else:
            return _done(_edit_url(survey))
    languages = authoring.parse_languages(values.get("languages", "")) or ["en"]
    status = 400 if errors else 200
    return render_template(
        "admin/builder/new.html", values=values, errors=errors, languages=languages
    ), status


@bp.get("/surveys/<slug>/build")
@admin_survey
def edit(survey: Survey) -> str:
    return _overview(survey)


def _overview(
    survey: Survey, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
    refusal: str | None = None, form: str = "",
) -> str:  # fmt: skip
    session = db.session()
    typed = values or {}
    if form != "settings" or values is None:
        values = {
            "languages": " ".join(survey.languages),
            "k_min": str(survey.k_min),
            "anonymous": "1" if survey.anonymous else "",
            "opens_on": survey.settings.get(authoring.OPENS, ""),
            "closes_on": survey.settings.get(authoring.CLOSES, ""),
            **analysis_settings.form_values(survey),
            **{f"title-{k}": v for k, v in survey.title.items()},
            **{f"description-{k}": v for k, v in (survey.description or {}).items()},
        }
    return render_template(
        "admin/builder/edit.html",
        survey=survey,
        values=values,
        typed=typed,
        errors=errors or {},
        refusal=refusal,
        failed_form=form,
        answered=authoring.has_responses(session, survey),
        problems=authoring.readiness(survey) if survey.state != "open" else [],
        questions_of=lambda section: content.questions_of(survey, section),
        type_names=_type_names(),
        types=list(TYPES),
        accepting=authoring.accepting_answers(survey),
        rec_values={
            r.code: {f"rec-label-{k}": v for k, v in r.label.items()}
            for r in survey.recommendations
        },
    )


def _refused(survey: Survey, error: Refused | Invalid, form: str = "") -> tuple[str, int]:
    _failed()
    if isinstance(error, Invalid):
        return _overview(survey, request.form.to_dict(), error.errors, form=form), 400
    return _overview(survey, refusal=str(error), form=form), 409


@bp.post("/surveys/<slug>/build/settings")
@admin_survey
def settings(survey: Survey) -> ResponseReturnValue:
    form = request.form
    languages = authoring.parse_languages(form.get("languages", ""))
    try:
        authoring.update_survey(
            db.session(), survey, languages=languages,
            title=_texts("title", languages + survey.languages),
            description=_texts("description", languages + survey.languages),
            anonymous=form.get("anonymous") == "1", k_min=form.get("k_min", ""),
            opens_on=form.get("opens_on", ""), closes_on=form.get("closes_on", ""),
            analysis={name: form.get(name, "") for name in analysis_settings.RANGES},
        )  # fmt: skip
    except (Invalid, Refused) as error:
        return _refused(survey, error, "settings")
    return _done(_edit_url(survey))


@bp.post("/surveys/<slug>/build/state")
@admin_survey
def state(survey: Survey) -> ResponseReturnValue:
    try:
        authoring.change_state(db.session(), survey, request.form.get("action", ""))
    except Refused as error:
        return _refused(survey, error, "state")
    return _done(_edit_url(survey))


@bp.post("/surveys/<slug>/build/duplicate")
@admin_survey
def duplicate(survey: Survey) -> ResponseReturnValue:
    try:
        copied = authoring.duplicate_survey(
            db.session(), survey, request.form.get("new_slug", "").strip()
        )
    except Invalid as error:
        _failed()
        errors = {"new_slug": error.errors.get("slug", "")}
        return _overview(survey, request.form.to_dict(), errors, form="duplicate"), 400
    return _done(_edit_url(copied))


@bp.post("/surveys/<slug>/build/delete")
@admin_survey
def delete(survey: Survey) -> ResponseReturnValue:
    if request.form.get("confirm_slug", "") != survey.slug:
        _failed()
        errors = {"confirm_slug": _("Type the survey's address to confirm.")}
        return _overview(survey, errors=errors, form="delete"), 400
    try:
        authoring.delete_survey(db.session(), survey)
    except Refused as error:
        return _refused(survey, error, "delete")
    return _done(url_for("admin.index"))


# ---------------------------------------------------------------- sections


@bp.post("/surveys/<slug>/build/sections")
@admin_survey
def add_section(survey: Survey) -> ResponseReturnValue:
    try:
        section = content.add_section(db.session(), survey, request.form.get("code", "").strip())
    except Invalid as error:
        _failed()
        errors = {"section-code": error.errors["code"]}
        return _overview(survey, request.form.to_dict(), errors, form="add_section"), 400
    return _done(url_for("builder.section", slug=survey.slug, section=section.code))


@bp.route("/surveys/<slug>/build/sections/<section>", methods=["GET", "POST"])
@admin_survey
def section(survey: Survey, section: str) -> ResponseReturnValue:
    found = _section(survey, section)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        **{f"title-{k}": v for k, v in (found.title or {}).items()},
        **{f"intro-{k}": v for k, v in (found.intro or {}).items()},
    }
    mine = content.questions_of(survey, found)
    values["appearance"] = "table-list" if mine and mine[0].settings.get("matrix") else ""
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            content.update_section(
                db.session(), survey, found, _texts("title", survey.languages),
                _texts("intro", survey.languages), values.get("appearance", ""),
            )  # fmt: skip
        except Invalid as error:
            _failed()
            errors = error.errors
        else:
            return _done(_edit_url(survey))
    return render_template(
        "admin/builder/section.html", survey=survey, section=found, values=values, errors=errors
    ), (400 if errors else 200)


def _section_action(
    survey: Survey, code: str, action: Callable[[Any, Survey, Section], None]
) -> ResponseReturnValue:
    found = _section(survey, code)
    try:
        action(db.session(), survey, found)
    except Refused as error:
        return _refused(survey, error)
    return _done(_edit_url(survey) + f"#page-{found.code}")


@bp.post("/surveys/<slug>/build/sections/<section>/move")
@admin_survey
def move_section(survey: Survey, section: str) -> ResponseReturnValue:
    step = _step()
    return _section_action(survey, section, lambda s, v, x: content.move_section(s, v, x, step))


@bp.post("/surveys/<slug>/build/sections/<section>/delete")
@admin_survey
def delete_section(survey: Survey, section: str) -> ResponseReturnValue:
    return _section_action(survey, section, content.delete_section)


# ---------------------------------------------------------------- preview


@bp.route("/surveys/<slug>/preview", methods=["GET", "POST"])
@survey_roles(Role.organizer)
def preview(survey: Survey) -> ResponseReturnValue:
    """The respondent's page through the one answering flow, in any state; nothing is stored."""
    lang = content_language(survey, str(get_locale()))
    entry = entry_for(
        Cached(survey), "builder.preview", lang, {"slug": survey.slug},
        preview=True, allow_save=False,
    )  # fmt: skip
    return answer(entry)


# The question views live in builder_questions.py, the recommendation and choice views in
# builder_lists.py, on this same blueprint.
from . import builder_lists, builder_questions  # noqa: E402, F401
