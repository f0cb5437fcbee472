"""The survey builder's question pages: add, edit, move and delete a question.

Views of the builder blueprint (builder.py), kept apart to keep each module small: same
pattern, one authoring call, one commit, the page again with messages on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from .. import db
from ..models import Question, Survey
from ..services import authoring
from ..services import authoring_content as content
from ..services.authoring import Invalid, Refused
from .builder import (
    _done,
    _edit_url,
    _failed,
    _overview,
    _question,
    _section,
    _step,
    _texts,
    _type_names,
    admin_survey,
    bp,
)

# ---------------------------------------------------------------- questions


@bp.post("/surveys/<slug>/build/sections/<section>/questions")
@admin_survey
def add_question(survey: Survey, section: str) -> ResponseReturnValue:
    found = _section(survey, section)
    try:
        question = content.add_question(
            db.session(), survey, found, request.form.get("type", ""),
            request.form.get("code", "").strip(),
            {survey.default_language: request.form.get("label", "")},
        )  # fmt: skip
    except Invalid as error:
        _failed()
        errors = {
            f"q-{key.split('-')[0]}-{found.code}": message for key, message in error.errors.items()
        }
        return _overview(survey, request.form.to_dict(), errors, form=f"q-{found.code}"), 400
    return _done(url_for("builder.question", slug=survey.slug, question=question.code))


def _question_values(question: Question) -> dict[str, Any]:
    settings = question.settings
    values: dict[str, Any] = {
        "code": question.code,
        "required": "1" if question.required else "",
        "recommendation": question.recommendation.code if question.recommendation else "",
        "other": "1" if settings.get("other") else "",
        **{k: str(settings.get(k, "")) for k in ("min", "max", "max_length", "min_selections",
                                                 "max_selections", "appearance", "relevant",
                                                 "constraint", "default")},
    }  # fmt: skip
    for prefix, texts in (
        ("label", question.label),
        ("hint", question.hint or {}),
        ("constraint_message", settings.get("constraint_message") or {}),
        ("required_message", settings.get("required_message") or {}),
    ):
        values |= {f"{prefix}-{lang}": text for lang, text in texts.items()}
    return values


def _question_page(
    survey: Survey, question: Question, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, refusal: str | None = None, failed: str = "",
) -> str:  # fmt: skip
    return render_template(
        "admin/builder/question.html",
        survey=survey,
        question=question,
        values=values if values is not None else _question_values(question),
        errors=errors or {},
        refusal=refusal,
        failed=failed,
        type_names=_type_names(),
        with_choices=question.type in content.WITH_CHOICES and not question.role,
        sources=[q for q in survey.ordered_questions() if q is not question and q.choices],
        answered=authoring.is_answered(db.session(), question),
        choice_values={
            c.code: {"choice-code": c.code, **{f"choice-label-{k}": v for k, v in c.label.items()}}
            for c in question.choices
        },
    )


@bp.route("/surveys/<slug>/build/questions/<question>", methods=["GET", "POST"])
@admin_survey
def question(survey: Survey, question: str) -> ResponseReturnValue:
    found = _question(survey, question)
    if request.method != "POST":
        return _question_page(survey, found)
    form = request.form
    langs = survey.languages
    data = content.QuestionInput(
        code=form.get("code", "").strip(),
        required=form.get("required") == "1",
        label=_texts("label", langs),
        hint=_texts("hint", langs),
        constraint_message=_texts("constraint_message", langs),
        required_message=_texts("required_message", langs),
        other=form.get("other") == "1",
        **{k: form.get(k, "") for k in ("recommendation", "min", "max", "max_length",
                                        "min_selections", "max_selections", "appearance",
                                        "relevant", "constraint", "default")},
    )  # fmt: skip
    try:
        content.update_question(db.session(), survey, found, data)
    except Invalid as error:
        _failed()
        return _question_page(survey, found, form.to_dict(), error.errors), 400
    return _done(_edit_url(survey) + f"#q-{found.code}")


def _question_action(
    survey: Survey, code: str, action: Callable[[Any, Survey, Question], None], back: str = ""
) -> ResponseReturnValue:
    found = _question(survey, code)
    try:
        action(db.session(), survey, found)
    except Refused as error:
        _failed()
        if back == "question":
            return _question_page(survey, found, refusal=str(error)), 409
        return _overview(survey, refusal=str(error)), 409
    if back == "question":
        return _done(url_for("builder.question", slug=survey.slug, question=found.code))
    return _done(_edit_url(survey) + f"#page-{found.section.code}")


@bp.post("/surveys/<slug>/build/questions/<question>/move")
@admin_survey
def move_question(survey: Survey, question: str) -> ResponseReturnValue:
    step = _step()
    return _question_action(survey, question, lambda s, v, q: content.move_question(s, v, q, step))


@bp.post("/surveys/<slug>/build/questions/<question>/delete")
@admin_survey
def delete_question(survey: Survey, question: str) -> ResponseReturnValue:
    return _question_action(survey, question, content.delete_question)
