"""The survey builder: admins create and edit surveys in the browser, with or without JavaScript
(static/js/builder.js adds rows, drags them and saves without a reload when it runs).

Each view parses the form, calls one authoring function, commits once and redirects; on bad
input it rolls back and shows the page again with the messages beside the fields and what was
typed. Only admins build surveys (structure and texts alike: one person in charge of the
wording avoids two versions of a question); organizers of a survey may preview it.

Every URL of the builder is in ``RULES`` below (as indico's ``blueprint.py`` keeps them); the
views live in ``survey`` (the survey, its settings and lifecycle, the preview), ``sections``,
``questions`` (with ``editor``: the one-page question editor), ``matrix`` (the scale matrix
editor) and ``lists`` (recommendations and tags, translations), which share ``common`` and
``rows`` (the editors' rows and buttons).
Like all of authoring, it may import collection (the answering flow, for the preview),
accounts, the kernel, spreadsheets and the foundation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from consult.authoring.common import Row
from consult.authoring.conditions import ConditionRow
from consult.authoring.views import lists, matrix, questions, sections, survey
from consult.forms import PostForm

BUILD = "/surveys/<slug>/build"
SECTION = BUILD + "/sections/<section>"
QUESTION = BUILD + "/questions/<question>"
# (URL rule, view, methods): the endpoint is the view's name, e.g. builder.add_question.
RULES: list[tuple[str, Callable[..., Any], list[str]]] = [
    ("/surveys/new", survey.new, ["GET", "POST"]),
    (BUILD, survey.edit, ["GET"]),
    (BUILD + "/settings", survey.settings, ["POST"]),
    (BUILD + "/state", survey.state, ["POST"]),
    (BUILD + "/duplicate", survey.duplicate, ["POST"]),
    (BUILD + "/delete", survey.delete, ["POST"]),
    ("/surveys/<slug>/preview", survey.preview, ["GET", "POST"]),
    (BUILD + "/recommendations", lists.recommendations_page, ["GET", "POST"]),
    (BUILD + "/translations", lists.translations_page, ["GET", "POST"]),
    (BUILD + "/matrices", matrix.new_matrix, ["GET", "POST"]),
    (BUILD + "/sections", sections.add_section, ["POST"]),
    (SECTION, sections.section, ["GET", "POST"]),
    (SECTION + "/matrix", matrix.matrix, ["GET", "POST"]),
    (SECTION + "/move", sections.move_section, ["POST"]),
    (SECTION + "/duplicate", sections.duplicate_section, ["POST"]),
    (SECTION + "/delete", sections.delete_section, ["POST"]),
    # GET: the editor of a new question (?type=); POST: its buttons and its save.
    (SECTION + "/questions", questions.add_question, ["GET", "POST"]),
    (QUESTION, questions.question, ["GET", "POST"]),
    (QUESTION + "/move", questions.move_question, ["POST"]),
    (QUESTION + "/duplicate", questions.duplicate_question, ["POST"]),
    (QUESTION + "/delete", questions.delete_question, ["POST"]),
]  # fmt: skip

bp = Blueprint("builder", __name__, url_prefix="/admin")
for _rule, _view, _methods in RULES:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)


@bp.context_processor
def _account_form() -> dict[str, Any]:
    """The header's sign-out button on every builder page; the empty row editors add."""
    return {"logout_form": PostForm(), "blank_row": Row(), "blank_condition": ConditionRow()}
