"""Checks made when a survey is defined: settings, table-list pages, rules that refer to
questions."""

from __future__ import annotations

from collections.abc import Mapping

from consult.surveys.expressions import ExpressionError, parse, references
from consult.surveys.models import Question

# The label of the option "other" adds, in the languages consult speaks (others get English).
OTHER_LABELS = {"en": "Other", "ur": "دیگر"}


CHOICE_TYPES = ("single_choice", "multiple_choice")


class DefinitionError(ValueError):
    """The definition is not a valid survey; the message says where and why."""


def check_settings(question: Question, where: str) -> None:
    """Type-specific settings make sense (bounds, appearance, other, consent)."""
    settings = question.settings
    if question.type == "decimal":
        for key in ("min", "max"):
            if key in settings and not isinstance(settings[key], int | float):
                raise DefinitionError(f"{where}.{key}: expected a number")
    if question.type == "date":
        from datetime import date

        for key in ("min", "max"):
            if key in settings:
                try:
                    date.fromisoformat(str(settings[key]))
                except ValueError:
                    raise DefinitionError(f"{where}.{key}: expected a date yyyy-mm-dd") from None
                settings[key] = str(settings[key])
    if question.type == "consent":
        question.required = True  # consent is always required
    appearance = settings.get("appearance")
    dropdown = question.type == "single_choice" and appearance == "minimal"
    if appearance is not None and not dropdown:
        raise DefinitionError(
            f"{where}.appearance: only 'minimal' (a dropdown) on single_choice is supported"
        )
    if "other" in settings:
        if question.type not in CHOICE_TYPES:
            raise DefinitionError(f"{where}.other: only single and multiple choice have 'other'")
        if not isinstance(settings["other"], bool):
            raise DefinitionError(f"{where}.other: expected true or false")
        if not settings["other"]:
            del settings["other"]
    for key in ("relevant", "constraint"):
        if key in settings:
            try:
                parse(settings[key])
            except ExpressionError as error:
                raise DefinitionError(f"{where}.{key}: {error}") from None


def other_label(languages: list[str]) -> dict[str, str]:
    return {lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"]) for lang in languages}


def check_matrix(questions: list[Question], where: str) -> None:
    """A table-list section: scale questions on the same points, shown as one table."""
    points = None
    for question in questions:
        if question.type != "scale":
            raise DefinitionError(
                f"{where}.appearance: a table-list section holds only scale questions"
                f" ({question.code!r} is {question.type})"
            )
        mine = [(c.code, c.label) for c in question.choices]
        if points is not None and mine != points:
            raise DefinitionError(
                f"{where}.appearance: the questions of a table-list section share one scale"
                f" ({question.code!r} differs)"
            )
        points = mine
        question.settings["matrix"] = True


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
                raise DefinitionError(
                    f"{places[question.code]}.{key}: no question named "
                    + ", ".join(f"${{{name}}}" for name in sorted(unknown))
                )
        if "relevant" in question.settings:
            depends[question.code] = references(question.settings["relevant"])
    for start in depends:
        cycle = _cycle(start, depends)
        if cycle:
            raise DefinitionError(
                f"{places[start]}.relevant: relevance refers back to itself ("
                + " → ".join(cycle)
                + ")"
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
