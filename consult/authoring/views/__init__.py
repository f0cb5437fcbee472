"""The survey builder: admins create and edit surveys in the browser, without JavaScript.

Each view parses the form, calls one authoring function, commits once and redirects; on bad
input it rolls back and shows the page again with the messages beside the fields and what was
typed. Only admins build surveys (structure and texts alike: one person in charge of the
wording avoids two versions of a question); organizers of a survey may preview it.

Every URL of the builder is in ``RULES`` below (as indico's ``blueprint.py`` keeps them); the
views live in ``survey`` (the survey, its settings and lifecycle, the preview), ``sections``,
``questions`` and ``lists`` (recommendations and choices), which share ``common``.
Like all of authoring, it may import collection (the answering flow, for the preview),
accounts, the kernel, spreadsheets and the foundation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from consult.authoring.views import lists, questions, sections, survey
from consult.forms import PostForm

BUILD = "/surveys/<slug>/build"
QUESTION = BUILD + "/questions/<question>"
RECOMMENDATION = BUILD + "/recommendations/<recommendation>"
# (URL rule, view, methods): the endpoint is the view's name, e.g. builder.add_choice.
RULES: list[tuple[str, Callable[..., Any], list[str]]] = [
    ("/surveys/new", survey.new, ["GET", "POST"]),
    (BUILD, survey.edit, ["GET"]),
    (BUILD + "/settings", survey.settings, ["POST"]),
    (BUILD + "/state", survey.state, ["POST"]),
    (BUILD + "/duplicate", survey.duplicate, ["POST"]),
    (BUILD + "/delete", survey.delete, ["POST"]),
    ("/surveys/<slug>/preview", survey.preview, ["GET", "POST"]),
    (BUILD + "/sections", sections.add_section, ["POST"]),
    (BUILD + "/sections/<section>", sections.section, ["GET", "POST"]),
    (BUILD + "/sections/<section>/move", sections.move_section, ["POST"]),
    (BUILD + "/sections/<section>/delete", sections.delete_section, ["POST"]),
    (BUILD + "/sections/<section>/questions", questions.add_question, ["POST"]),
    (QUESTION, questions.question, ["GET", "POST"]),
    (QUESTION + "/move", questions.move_question, ["POST"]),
    (QUESTION + "/delete", questions.delete_question, ["POST"]),
    (BUILD + "/recommendations", lists.add_recommendation, ["POST"]),
    (RECOMMENDATION, lists.update_recommendation, ["POST"]),
    (RECOMMENDATION + "/delete", lists.delete_recommendation, ["POST"]),
    (QUESTION + "/choices", lists.add_choice, ["POST"]),
    (QUESTION + "/choices/<choice>", lists.update_choice, ["POST"]),
    (QUESTION + "/choices/<choice>/move", lists.move_choice, ["POST"]),
    (QUESTION + "/choices/<choice>/delete", lists.delete_choice, ["POST"]),
    (QUESTION + "/copy-choices", lists.copy_choices, ["POST"]),
]  # fmt: skip

bp = Blueprint("builder", __name__, url_prefix="/admin")
for _rule, _view, _methods in RULES:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)


@bp.context_processor
def _account_form() -> dict[str, Any]:
    """The header's sign-out button on every builder page."""
    return {"logout_form": PostForm()}
