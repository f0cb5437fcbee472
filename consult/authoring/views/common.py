"""What the builder's views share: loading by code, the overview page, commit or roll back."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.audit import Action, record
from consult.analysis import thresholds
from consult.authoring import content, translations
from consult.authoring import surveys as authoring
from consult.i18n import ENGLISH_NAMES, OFFERED_LANGUAGES
from consult.problems import Refusal
from consult.surveys.checks import matrix_gaps
from consult.surveys.models import (
    CLOSES,
    OPENS,
    PUBLIC_PAGE,
    PUBLIC_QUOTES,
    Question,
    QuestionRole,
    Section,
    Survey,
    SurveyState,
)
from consult.surveys.questions import TYPES

# Admins only: survey_roles with no role lets admins in and nobody else, and loads the survey.
admin_survey = survey_roles()


def texts_of(prefix: str, languages: list[str]) -> dict[str, str]:
    return {lang: request.form.get(f"{prefix}-{lang}", "") for lang in languages}


def done(target: str) -> Response:
    session = db.session()
    _audit_change(session)
    session.commit()
    return redirect(target)


def _audit_change(session: Any) -> None:
    """A change to a survey that has been opened goes into the audit trail (which page did it)."""
    slug = (request.view_args or {}).get("slug")
    if not slug or not (session.new or session.dirty or session.deleted):
        return
    survey = session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is not None and survey.state != SurveyState.draft:
        record(session, current_user, Action.survey_changed, survey,
               target=str(request.endpoint or ""))  # fmt: skip


def failed() -> None:
    db.session().rollback()


def section_of(survey: Survey, code: str) -> Section:
    found = next((s for s in survey.sections if s.code == code), None)
    if found is None:
        abort(404)
    return found


def question_of(survey: Survey, code: str) -> Question:
    found = next((q for q in survey.questions if q.code == code), None)
    if found is None:
        abort(404)
    return found


def move_step() -> int:
    return -1 if request.form.get("direction") == "up" else 1


def edit_url(survey: Survey) -> str:
    return url_for("builder.edit", slug=survey.slug)


def typed_form() -> dict[str, Any]:
    """The form as typed, the ticked languages as a list."""
    return request.form.to_dict() | {"languages": request.form.getlist("languages")}


def language_choices(current: list[str]) -> list[tuple[str, str]]:
    """(code, English name) of the languages the builder offers, and any the survey has."""
    codes = [*OFFERED_LANGUAGES, *(c for c in current if c not in OFFERED_LANGUAGES)]
    return [(code, ENGLISH_NAMES.get(code, code)) for code in codes]


def overview(
    survey: Survey, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
    refusal: str | None = None, form: str = "",
) -> str:  # fmt: skip
    session = db.session()
    typed = values or {}
    if form != "settings" or values is None:
        values = {
            "languages": list(survey.languages),
            "default_language": survey.default_language,
            "k_min": str(survey.k_min),
            "anonymous": "1" if survey.anonymous else "",
            "opens_on": survey.settings.get(OPENS, ""),
            "closes_on": survey.settings.get(CLOSES, ""),
            **thresholds.form_values(survey),
            "public_page": "1" if survey.settings.get(PUBLIC_PAGE) is True else "",
            "public_quotes": "1" if survey.settings.get(PUBLIC_QUOTES) is True else "",
            "previous_wave": _previous_slug(session, survey),
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
        types=TYPES,
        offered_types=[t for t in TYPES.values() if t.offered],
        accepting=survey.accepting_answers(),
        language_choices=language_choices(survey.languages),
        role_questions={q.role: q for q in survey.questions if q.role},
        roles=QuestionRole,
        matrix_gaps=matrix_gaps(survey),
        untranslated=len(translations.missing(survey)),
    )


def _previous_slug(session: Any, survey: Survey) -> str:
    if survey.previous_wave_id is None:
        return ""
    earlier = session.get(Survey, survey.previous_wave_id)
    return earlier.slug if earlier is not None else ""


def refused(survey: Survey, error: Refusal, form: str = "") -> tuple[str, int]:
    failed()
    if not error.conflict:
        return overview(survey, typed_form(), error.by_field(), form=form), 400
    return overview(survey, refusal=str(error), form=form), 409
