"""The survey builder's lists: a survey's recommendations and a question's choices.

Views of the builder blueprint (builder.py), kept apart to keep each module small: same
pattern, one authoring call, one commit, the page again with messages on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, request, url_for
from flask.typing import ResponseReturnValue

from .. import db
from ..models import Question, Recommendation, Survey
from ..services import authoring_choices as choices
from ..services import authoring_content as content
from ..services.authoring import Invalid, Refused
from .builder import (
    _choice,
    _done,
    _edit_url,
    _failed,
    _overview,
    _question,
    _refused,
    _step,
    _texts,
    admin_survey,
    bp,
)
from .builder_questions import _question_page, _question_values

# ---------------------------------------------------------------- recommendations


def _recommendation(survey: Survey, code: str) -> Recommendation:
    found = next((r for r in survey.recommendations if r.code == code), None)
    if found is None:
        abort(404)
    return found


@bp.post("/surveys/<slug>/build/recommendations")
@admin_survey
def add_recommendation(survey: Survey) -> ResponseReturnValue:
    try:
        content.add_recommendation(
            db.session(), survey, request.form.get("rec-code", "").strip(),
            _texts("rec-label", survey.languages),
        )  # fmt: skip
    except Invalid as error:
        _failed()
        return _overview(survey, request.form.to_dict(), error.errors, form="rec-new"), 400
    return _done(_edit_url(survey) + "#h-recs")


@bp.post("/surveys/<slug>/build/recommendations/<recommendation>")
@admin_survey
def update_recommendation(survey: Survey, recommendation: str) -> ResponseReturnValue:
    found = _recommendation(survey, recommendation)
    try:
        content.update_recommendation(
            db.session(), survey, found, _texts("rec-label", survey.languages)
        )
    except Invalid as error:
        _failed()
        form = f"rec-{found.code}"
        return _overview(survey, request.form.to_dict(), error.errors, form=form), 400
    return _done(_edit_url(survey) + "#h-recs")


@bp.post("/surveys/<slug>/build/recommendations/<recommendation>/delete")
@admin_survey
def delete_recommendation(survey: Survey, recommendation: str) -> ResponseReturnValue:
    found = _recommendation(survey, recommendation)
    try:
        content.delete_recommendation(db.session(), survey, found)
    except Refused as error:
        return _refused(survey, error)
    return _done(_edit_url(survey) + "#h-recs")


# ---------------------------------------------------------------- choices


def _choice_failed(
    survey: Survey, found: Question, error: Invalid | Refused, failed: str
) -> tuple[str, int]:
    _failed()
    if isinstance(error, Refused):
        return _question_page(survey, found, refusal=str(error), failed=failed), 409
    values = _question_values(found) | request.form.to_dict()
    return _question_page(survey, found, values, error.errors, failed=failed), 400


def _choices_url(survey: Survey, question: Question) -> str:
    return url_for("builder.question", slug=survey.slug, question=question.code) + "#choices"


@bp.post("/surveys/<slug>/build/questions/<question>/choices")
@admin_survey
def add_choice(survey: Survey, question: str) -> ResponseReturnValue:
    found = _question(survey, question)
    try:
        choices.add_choice(
            db.session(), survey, found, request.form.get("choice-code", "").strip(),
            _texts("choice-label", survey.languages),
        )  # fmt: skip
    except (Invalid, Refused) as error:
        return _choice_failed(survey, found, error, "new")
    return _done(_choices_url(survey, found))


@bp.post("/surveys/<slug>/build/questions/<question>/choices/<choice>")
@admin_survey
def update_choice(survey: Survey, question: str, choice: str) -> ResponseReturnValue:
    found = _question(survey, question)
    item = _choice(found, choice)
    try:
        choices.update_choice(
            db.session(), survey, found, item, request.form.get("choice-code", "").strip(),
            _texts("choice-label", survey.languages),
        )  # fmt: skip
    except (Invalid, Refused) as error:
        return _choice_failed(survey, found, error, choice)
    return _done(_choices_url(survey, found))


def _choice_action(
    survey: Survey, question: str, choice: str, action: Callable[..., object], *args: Any
) -> ResponseReturnValue:
    """Move or delete one choice: ``action(session, survey, question, choice, *args)``."""
    found = _question(survey, question)
    item = _choice(found, choice)
    try:
        action(db.session(), survey, found, item, *args)
    except Refused as error:
        return _choice_failed(survey, found, error, choice)
    return _done(_choices_url(survey, found))


@bp.post("/surveys/<slug>/build/questions/<question>/choices/<choice>/move")
@admin_survey
def move_choice(survey: Survey, question: str, choice: str) -> ResponseReturnValue:
    return _choice_action(survey, question, choice, choices.move_choice, _step())


@bp.post("/surveys/<slug>/build/questions/<question>/choices/<choice>/delete")
@admin_survey
def delete_choice(survey: Survey, question: str, choice: str) -> ResponseReturnValue:
    return _choice_action(survey, question, choice, choices.delete_choice)


@bp.post("/surveys/<slug>/build/questions/<question>/copy-choices")
@admin_survey
def copy_choices(survey: Survey, question: str) -> ResponseReturnValue:
    found = _question(survey, question)
    try:
        choices.copy_choices(db.session(), survey, found, request.form.get("source", ""))
    except (Invalid, Refused) as error:
        return _choice_failed(survey, found, error, "copy")
    return _done(_choices_url(survey, found))
