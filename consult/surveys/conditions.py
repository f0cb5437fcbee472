"""Conditions as people say them: "only if <question> <comparison> <value>", several joined by
all (and) or any (or).

The builder's condition editor writes a Rule as the XLSForm expression that is stored and
judged (``write``), reads a stored expression back into rows when it has that shape
(``read``; None: only an expert's typed expression fits it), and the respondent's page says a
rule in words (``describe``: "Only if you answered “Yes” to “Do you work?”").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from consult.surveys.expressions import ExpressionError, Node, parse
from consult.surveys.models import Question, Survey

# Comparisons the editor knows; each type offers some of them (TypeDefinition.comparisons).
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=", "selected", "not_selected", "answered",
               "not_answered")  # fmt: skip
# Comparisons that need no value.
WITHOUT_VALUE = frozenset({"answered", "not_answered"})
# Numbers are written bare (``${age} > 17``), anything else quoted (``${works} = 'yes'``).
_BARE_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_JOINS = {"all": "and", "any": "or"}


class ConditionError(ValueError):
    """A condition that cannot be written (a value holding both kinds of quote)."""


@dataclass(frozen=True)
class Condition:
    # The code of the question whose answer is compared.
    question: str
    # One of COMPARISONS.
    op: str
    # The choice code or value compared with ("" for answered / not answered).
    value: str = ""


@dataclass(frozen=True)
class Rule:
    conditions: tuple[Condition, ...]
    # "all": every condition holds (and); "any": at least one does (or).
    join: str = "all"


# ---------------------------------------------------------------- writing


def _literal(value: str) -> str:
    if _BARE_NUMBER.match(value):
        return value
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ConditionError("a value cannot hold both ' and \"")


def write_condition(condition: Condition) -> str:
    ref = "${" + condition.question + "}"
    op, value = condition.op, condition.value
    if op == "answered":
        return f"{ref} != ''"
    if op == "not_answered":
        return f"{ref} = ''"
    if op == "selected":
        return f"selected({ref}, {_literal(value)})"
    if op == "not_selected":
        return f"not(selected({ref}, {_literal(value)}))"
    if op not in COMPARISONS:
        raise ConditionError(f"unknown comparison {op!r}")
    return f"{ref} {op} {_literal(value)}"


def write(rule: Rule) -> str:
    """The XLSForm expression of ``rule`` ("" for a rule without conditions)."""
    joiner = f" {_JOINS[rule.join]} "
    return joiner.join(write_condition(c) for c in rule.conditions)


# ---------------------------------------------------------------- reading


def _flatten(node: Node, op: str) -> list[Node]:
    if node[0] == op:
        return _flatten(node[1], op) + _flatten(node[2], op)
    return [node]


def _value(node: Node) -> str | None:
    if node[0] == "str":
        return str(node[1])
    if node[0] == "num":
        number = float(node[1])
        return str(int(number)) if number.is_integer() else repr(number)
    return None


def _selected(node: Node) -> Condition | None:
    if node[0] == "call" and node[1] == "selected" and len(node) == 4 and node[2][0] == "ref":
        value = _value(node[3])
        if value is not None:
            return Condition(node[2][1], "selected", value)
    return None


def read_condition(node: Node) -> Condition | None:
    """One condition the editor can show as a row, or None."""
    if node[0] == "call" and node[1] == "not" and len(node) == 3:
        inner = _selected(node[2])
        return Condition(inner.question, "not_selected", inner.value) if inner else None
    if node[0] == "call":
        return _selected(node)
    if node[0] not in COMPARISONS or len(node) != 3 or node[1][0] != "ref":
        return None
    value = _value(node[2])
    if value is None:
        return None
    if value == "" and node[2][0] == "str" and node[0] in ("=", "!="):
        return Condition(node[1][1], "answered" if node[0] == "!=" else "not_answered")
    return Condition(node[1][1], node[0], value)


def read(expression: str) -> Rule | None:
    """``expression`` as rows of conditions, if it is one the editor writes; else None."""
    if not expression.strip():
        return Rule(())
    try:
        tree = parse(expression)
    except ExpressionError:
        return None
    join, parts = "all", [tree]
    for name, op in _JOINS.items():
        if len(_flatten(tree, op)) > 1:
            join, parts = name, _flatten(tree, op)
            break
    conditions = [read_condition(part) for part in parts]
    if any(c is None for c in conditions):
        return None
    return Rule(tuple(c for c in conditions if c is not None), join)


# ---------------------------------------------------------------- telling respondents


def _quoted(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"


def _phrase(condition: Condition, question: Question, survey: Survey, lang: str) -> str:
    asked = _quoted(survey.text(question.label, lang))
    labels = {code: survey.text(label, lang) for code, label in question.options()}
    value = _quoted(labels.get(condition.value, condition.value))
    phrases = {
        "=": _("you answered %(value)s to %(question)s"),
        "!=": _("you did not answer %(value)s to %(question)s"),
        "<": _("your answer to %(question)s is below %(value)s"),
        "<=": _("your answer to %(question)s is %(value)s or below"),
        ">": _("your answer to %(question)s is above %(value)s"),
        ">=": _("your answer to %(question)s is %(value)s or above"),
        "selected": _("you chose %(value)s in %(question)s"),
        "not_selected": _("you did not choose %(value)s in %(question)s"),
        "answered": _("you answered %(question)s"),
        "not_answered": _("you left %(question)s unanswered"),
    }
    return phrases[condition.op] % {"value": value, "question": asked}


def describe(expression: str, survey: Survey, lang: str) -> str:
    """When a question with this relevance appears, in the words of ``lang``'s interface."""
    rule = read(expression)
    by_code = {q.code: q for q in survey.questions}
    if not rule or not rule.conditions or any(c.question not in by_code for c in rule.conditions):
        return _("Only if it applies to you, given your other answers.")
    phrases = [_phrase(c, by_code[c.question], survey, lang) for c in rule.conditions]
    joiner = _(" and ") if rule.join == "all" else _(" or ")
    return _("Only if %(conditions)s.", conditions=joiner.join(phrases))
