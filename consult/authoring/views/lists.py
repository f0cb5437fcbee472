"""The survey builder's lists: a survey's recommendations and a question's choices.

Views of the builder blueprint (builder.py), kept apart to keep each module small: same
pattern, one authoring call, one commit, the page again with messages on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, request, url_for
from flask.typing import ResponseReturnValue

from consult import db
from consult.authoring import choices, recommendations
from consult.authoring.views.common import (
    admin_survey,
    choice_of,
    done,
    edit_url,
    failed,
    move_step,
    overview,
    question_of,
    refused,
    texts_of,
)
from consult.authoring.views.questions import question_page, question_values
from consult.problems import Refusal
from consult.surveys.models import Question, Recommendation, Survey

# ---------------------------------------------------------------- recommendations


def _recommendation(survey: Survey, code: str) -> Recommendation:
    found = next((r for r in survey.recommendations if r.code == code), None)
    if found is None:
        abort(404)
    return found


@admin_survey
def add_recommendation(survey: Survey) -> ResponseReturnValue:
    try:
        recommendations.add_recommendation(
            db.session(), survey, request.form.get("rec-code", "").strip(),
            texts_of("rec-label", survey.languages),
        )  # fmt: skip
    except Refusal as error:
        failed()
        return overview(survey, request.form.to_dict(), error.by_field(), form="rec-new"), 400
    return done(edit_url(survey) + "#h-recs")


@admin_survey
def update_recommendation(survey: Survey, recommendation: str) -> ResponseReturnValue:
    found = _recommendation(survey, recommendation)
    try:
        recommendations.update_recommendation(
            db.session(), survey, found, texts_of("rec-label", survey.languages)
        )
    except Refusal as error:
        failed()
        form = f"rec-{found.code}"
        return overview(survey, request.form.to_dict(), error.by_field(), form=form), 400
    return done(edit_url(survey) + "#h-recs")


@admin_survey
def delete_recommendation(survey: Survey, recommendation: str) -> ResponseReturnValue:
    found = _recommendation(survey, recommendation)
    try:
        recommendations.delete_recommendation(db.session(), survey, found)
    except Refusal as error:
        return refused(survey, error)
    return done(edit_url(survey) + "#h-recs")


# ---------------------------------------------------------------- choices


def _choice_failed(survey: Survey, found: Question, error: Refusal, which: str) -> tuple[str, int]:
    failed()
    if error.conflict:
        return question_page(survey, found, refusal=str(error), failed=which), 409
    values = question_values(found) | request.form.to_dict()
    return question_page(survey, found, values, error.by_field(), failed=which), 400


def _choices_url(survey: Survey, question: Question) -> str:
    return url_for("builder.question", slug=survey.slug, question=question.code) + "#choices"


@admin_survey
def add_choice(survey: Survey, question: str) -> ResponseReturnValue:
    found = question_of(survey, question)
    try:
        choices.add_choice(
            db.session(), survey, found, request.form.get("choice-code", "").strip(),
            texts_of("choice-label", survey.languages),
        )  # fmt: skip
    except Refusal as error:
        return _choice_failed(survey, found, error, "new")
    return done(_choices_url(survey, found))


@admin_survey
def update_choice(survey: Survey, question: str, choice: str) -> ResponseReturnValue:
    found = question_of(survey, question)
    item = choice_of(found, choice)
    try:
        choices.update_choice(
            db.session(), survey, found, item, request.form.get("choice-code", "").strip(),
            texts_of("choice-label", survey.languages),
        )  # fmt: skip
    except Refusal as error:
        return _choice_failed(survey, found, error, choice)
    return done(_choices_url(survey, found))


def _choice_action(
    survey: Survey, question: str, choice: str, action: Callable[..., object], *args: Any
) -> ResponseReturnValue:
    """Move or delete one choice: ``action(session, survey, question, choice, *args)``."""
    found = question_of(survey, question)
    item = choice_of(found, choice)
    try:
        action(db.session(), survey, found, item, *args)
    except Refusal as error:
        return _choice_failed(survey, found, error, choice)
    return done(_choices_url(survey, found))


@admin_survey
def move_choice(survey: Survey, question: str, choice: str) -> ResponseReturnValue:
    return _choice_action(survey, question, choice, choices.move_choice, move_step())


@admin_survey
def delete_choice(survey: Survey, question: str, choice: str) -> ResponseReturnValue:
    return _choice_action(survey, question, choice, choices.delete_choice)


@admin_survey
def copy_choices(survey: Survey, question: str) -> ResponseReturnValue:
    found = question_of(survey, question)
    try:
        choices.copy_choices(db.session(), survey, found, request.form.get("source", ""))
    except Refusal as error:
        return _choice_failed(survey, found, error, "copy")
    return done(_choices_url(survey, found))
