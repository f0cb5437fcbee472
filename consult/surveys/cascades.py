"""Cascading selects (XLSForm's ``choice_filter``): which of a question's choices are offered,
given the answers so far. Province → district → tehsil: each list's choices carry the code of
the choice above them in a column of the choices sheet, and the filter compares the two.

A question keeps its filter in ``settings["choice_filter"]`` and each choice's columns in
``settings["choice_columns"]`` (code → a list of column mappings: XLSForm allows one name twice
in a list when the filter tells the copies apart, e.g. a county "king" in two states). The server
judges every answer against the filter (skiplogic.judge); the browser narrows the list as the
respondent answers (static/js/rules.js).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consult.surveys.expressions import ExpressionError, evaluate, truthy, with_choice
from consult.surveys.models import Question
from consult.surveys.questions.choice import OTHER

FILTER, COLUMNS = "choice_filter", "choice_columns"


def variants(question: Question, code: str) -> list[dict[str, str]]:
    """The column mappings of choice ``code`` as the filter sees them (``name`` is the code)."""
    found = question.settings.get(COLUMNS, {}).get(code) or [{}]
    return [{"name": code, **variant} for variant in found]


def allowed_codes(question: Question, answers: Mapping[str, str | None]) -> set[str] | None:
    """The codes offered given ``answers`` (by code, as rules see them); None: no filter."""
    rule = question.settings.get(FILTER)
    if not rule:
        return None
    allowed = {OTHER} if question.settings.get("other") else set()
    for code, _label in question.options():
        if code not in allowed and any(_holds(rule, answers, v) for v in variants(question, code)):
            allowed.add(code)
    return allowed


def _holds(rule: str, answers: Mapping[str, str | None], columns: Mapping[str, str]) -> bool:
    try:
        return truthy(evaluate(rule, with_choice(answers, columns)))
    except ExpressionError:
        return True  # checked when defined; should one still fail, the choice stays offered


def live_filter(question: Question) -> dict[str, Any]:
    """What the browser needs to narrow the question's list: the columns of each choice."""
    return {code: variants(question, code) for code, _ in question.options()}
