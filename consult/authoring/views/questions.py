"""The survey builder's question pages: add, edit, move and delete a question.

Views of the builder blueprint (builder.py), kept apart to keep each module small: same
pattern, one authoring call, one commit, the page again with messages on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from consult import db
from consult.authoring import answered, questions
from consult.authoring.views.common import (
    admin_survey,
    done,
    edit_url,
    failed,
    move_step,
    overview,
    question_of,
    section_of,
    texts_of,
)
from consult.problems import Refusal
from consult.surveys.models import Question, Survey
from consult.surveys.questions import question_type

# ---------------------------------------------------------------- questions


@admin_survey
def add_question(survey: Survey, section: str) -> ResponseReturnValue:
    found = section_of(survey, section)
    try:
        question = questions.add_question(
            db.session(), survey, found, request.form.get("type", ""),
            request.form.get("code", "").strip(),
            {survey.default_language: request.form.get("label", "")},
        )  # fmt: skip
    except Refusal as error:
        failed()
        errors = {
            f"q-{key.split('-')[0]}-{found.code}": message
            for key, message in error.by_field().items()
        }
        return overview(survey, request.form.to_dict(), errors, form=f"q-{found.code}"), 400
    return done(url_for("builder.question", slug=survey.slug, question=question.code))


def question_values(question: Question) -> dict[str, Any]:
    settings = question.settings
    values: dict[str, Any] = {
        "code": question.code,
        "required": "1" if question.required else "",
        "recommendation": question.recommendation.code if question.recommendation else "",
        "other": "1" if settings.get("other") else "",
        **{k: str(settings.get(k, "")) for k in question_type(question.type).setting_inputs},
        **{k: str(settings.get(k, "")) for k in ("relevant", "constraint", "default")},
    }  # fmt: skip
    for prefix, texts in (
        ("label", question.label),
        ("hint", question.hint or {}),
        ("constraint_message", settings.get("constraint_message") or {}),
        ("required_message", settings.get("required_message") or {}),
    ):
        values |= {f"{prefix}-{lang}": text for lang, text in texts.items()}
    return values


def question_page(
    survey: Survey, question: Question, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, refusal: str | None = None, failed: str = "",
) -> str:  # fmt: skip
    return render_template(
        "admin/builder/question.html",
        survey=survey,
        question=question,
        values=values if values is not None else question_values(question),
        errors=errors or {},
        refusal=refusal,
        failed=failed,
        qtype=question_type(question.type),
        with_choices=question_type(question.type).has_choices and not question.role,
        sources=[q for q in survey.ordered_questions() if q is not question and q.choices],
        answered=answered.is_answered(db.session(), question),
        choice_values={
            c.code: {"choice-code": c.code, **{f"choice-label-{k}": v for k, v in c.label.items()}}
            for c in question.choices
        },
    )


@admin_survey
def question(survey: Survey, question: str) -> ResponseReturnValue:
    found = question_of(survey, question)
    if request.method != "POST":
        return question_page(survey, found)
    form = request.form
    langs = survey.languages
    inputs = question_type(found.type).setting_inputs
    data = questions.QuestionInput(
        code=form.get("code", "").strip(),
        required=form.get("required") == "1",
        label=texts_of("label", langs),
        hint=texts_of("hint", langs),
        constraint_message=texts_of("constraint_message", langs),
        required_message=texts_of("required_message", langs),
        settings={name: form.get(name, "") for name in inputs},
        **{k: form.get(k, "") for k in ("recommendation", "relevant", "constraint", "default")},
    )
    try:
        questions.update_question(db.session(), survey, found, data)
    except Refusal as error:
        failed()
        return question_page(survey, found, form.to_dict(), error.by_field()), 400
    return done(edit_url(survey) + f"#q-{found.code}")


def _question_action(
    survey: Survey, code: str, action: Callable[[Any, Survey, Question], None], back: str = ""
) -> ResponseReturnValue:
    found = question_of(survey, code)
    try:
        action(db.session(), survey, found)
    except Refusal as error:
        failed()
        if back == "question":
            return question_page(survey, found, refusal=str(error)), 409
        return overview(survey, refusal=str(error)), 409
    if back == "question":
        return done(url_for("builder.question", slug=survey.slug, question=found.code))
    return done(edit_url(survey) + f"#page-{found.section.code}")


@admin_survey
def move_question(survey: Survey, question: str) -> ResponseReturnValue:
    step = move_step()
    return _question_action(
        survey, question, lambda s, v, q: questions.move_question(s, v, q, step)
    )


@admin_survey
def delete_question(survey: Survey, question: str) -> ResponseReturnValue:
    return _question_action(survey, question, questions.delete_question)
