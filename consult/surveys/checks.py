"""Checks made when a survey is defined: settings, table-list pages, rules that refer to
questions."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from consult.surveys.expressions import references
from consult.surveys.models import DefinitionError, Question, QuestionRole, Survey
from consult.surveys.questions import question_type

# The label of the option "other" adds, in the languages consult speaks (others get English).
OTHER_LABELS = {"en": "Other", "ur": "دیگر"}


def check_settings(question: Question, where: str) -> None:
    """The question's settings make sense for its type (bounds, appearance, other, consent,
    expressions); the type itself decides. Raises DefinitionError."""
    question_type(question.type).check_settings(question, where)


def other_label(languages: list[str]) -> dict[str, str]:
    return {lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"]) for lang in languages}


def check_matrix(questions: list[Question], where: str) -> None:
    """A table-list section: scale questions on the same points, shown as one table."""
    points = None
    for question in questions:
        if not question_type(question.type).numbered_points:
            raise DefinitionError(
                where,
                "a table-list section holds only scale questions"
                f" ({question.code!r} is {question.type})",
                "appearance",
            )
        mine = [(c.code, c.label) for c in question.choices]
        if points is not None and mine != points:
            raise DefinitionError(
                where,
                "the questions of a table-list section share one scale"
                f" ({question.code!r} differs)",
                "appearance",
            )
        points = mine
        question.settings["matrix"] = True


def matrix_gaps(survey: Survey) -> list[str]:
    """Why the recommendation × stakeholder-group matrix has nothing to show (empty: it can)."""
    gaps = []
    if not survey.recommendations:
        gaps.append(str(_l("The survey has no recommendations.")))
    elif not any(
        question_type(q.type).agreement and q.recommendation_id is not None
        for q in survey.questions
    ):
        gaps.append(str(_l("No scale question is tagged with a recommendation.")))
    if not any(q.role == QuestionRole.group for q in survey.questions):
        gaps.append(str(_l("No question is marked as the stakeholder-group question.")))
    return gaps


def check_rules(questions: list[Question], places: Mapping[str, str]) -> None:
    """Every ``${name}`` names a question; relevance never depends on itself, even indirectly."""
    codes = {q.code for q in questions}
    depends: dict[str, set[str]] = {}
    for question in questions:
        for key in ("relevant", "constraint"):
            if key not in question.settings:
                continue
            unknown = references(question.settings[key]) - codes
            if unknown:
                names = ", ".join(f"${{{name}}}" for name in sorted(unknown))
                raise DefinitionError(places[question.code], f"no question named {names}", key)
        if "relevant" in question.settings:
            depends[question.code] = references(question.settings["relevant"])
    for start in depends:
        cycle = _cycle(start, depends)
        if cycle:
            path = " → ".join(cycle)
            raise DefinitionError(
                places[start], f"relevance refers back to itself ({path})", "relevant"
            )


def _cycle(start: str, depends: Mapping[str, set[str]]) -> list[str]:
    """A path start → ... → start through relevance references, or []."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        code, path = stack.pop()
        for name in sorted(depends.get(code, ())):
            if name == start:
                return [*path, start]
            if name not in seen:
                seen.add(name)
                stack.append((name, [*path, name]))
    return []
