"""The builder's question pages: the editor of a new or an existing question (one form, one
save), and the overview's buttons: move, duplicate, delete.

Same pattern as every builder view: parse, one authoring call, one commit; on bad input the
page again with every message beside its field and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from consult import db
from consult.authoring import copies, questions
from consult.authoring.views import editor
from consult.authoring.views.common import (
    admin_survey,
    done,
    edit_url,
    failed,
    move_step,
    overview,
    question_of,
    section_of,
)
from consult.problems import Refusal
from consult.surveys.models import Question, Section, Survey
from consult.surveys.questions import TYPES, question_type


@admin_survey
def add_question(survey: Survey, section: str) -> ResponseReturnValue:
    """GET: the editor for a new question of ``?type=``; POST: its buttons, and its save."""
    found = section_of(survey, section)
    type_name = request.values.get("type", "")
    if request.method == "GET" and not type_name:
        offered = [t for t in TYPES.values() if t.offered]
        return render_template(
            "admin/builder/pick_type.html", survey=survey, section=found, types=offered
        )
    qtype = TYPES.get(type_name)
    if qtype is None or not qtype.offered:
        abort(404)
    if request.method == "GET":
        return editor.page(survey, editor.blank(survey, found, qtype), None, found)
    return _posted(survey, None, found, editor.from_request(survey, qtype))


@admin_survey
def question(survey: Survey, question: str) -> ResponseReturnValue:
    found = question_of(survey, question)
    if request.method == "GET":
        return editor.page(survey, editor.from_question(survey, found), found, found.section)
    typed = editor.from_request(survey, question_type(found.type))
    return _posted(survey, found, found.section, typed)


def _posted(
    survey: Survey, found: Question | None, section: Section, typed: editor.Editor
) -> ResponseReturnValue:
    action = request.form.get("action", "save")
    if action != "save":
        editor.act(typed, action, survey, found)
        return editor.page(survey, typed, found, section)
    new = None if found is not None else questions.NewQuestion(section, typed.qtype.name)
    try:
        saved = questions.save_question(
            db.session(), survey, editor.to_input(typed, survey), found, new
        )
    except Refusal as error:
        failed()
        general = " ".join(error.general())
        return editor.page(survey, typed, found, section, error.by_field(), general), error.status
    db.session().commit()
    if editor.wants_json():
        url = url_for("builder.question", slug=survey.slug, question=saved.code)
        return jsonify(editor.saved_answer(url))
    return redirect(edit_url(survey) + f"#q-{saved.code}")


def _question_action(
    survey: Survey, code: str, action: Callable[[Any, Survey, Question], Any]
) -> ResponseReturnValue:
    found = question_of(survey, code)
    try:
        result = action(db.session(), survey, found)
    except Refusal as error:
        failed()
        return overview(survey, refusal=str(error)), error.status
    if isinstance(result, Question):  # a copy: shown where it is
        return done(edit_url(survey) + f"#q-{result.code}")
    return done(edit_url(survey) + f"#page-{found.section.code}")


@admin_survey
def move_question(survey: Survey, question: str) -> ResponseReturnValue:
    step = move_step()
    return _question_action(
        survey, question, lambda s, v, q: questions.move_question(s, v, q, step)
    )


@admin_survey
def duplicate_question(survey: Survey, question: str) -> ResponseReturnValue:
    return _question_action(survey, question, copies.duplicate_question)


@admin_survey
def delete_question(survey: Survey, question: str) -> ResponseReturnValue:
    return _question_action(survey, question, questions.delete_question)
