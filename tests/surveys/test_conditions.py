"""Conditions as people say them: written as XLSForm, read back into rows, told in words, and
judged exactly as the expression they write."""

from __future__ import annotations

import pytest

from consult.surveys.conditions import (
    Condition,
    ConditionError,
    Rule,
    describe,
    read,
    write,
)
from consult.surveys.expressions import evaluate, truthy
from consult.surveys.models import SurveyState
from tests import factories

RULES = [
    (Rule((Condition("works", "=", "yes"),)), "${works} = 'yes'"),
    (Rule((Condition("age", ">=", "18"), Condition("age", "<", "65"))),
     "${age} >= 18 and ${age} < 65"),
    (Rule((Condition("tools", "selected", "pen"), Condition("tools", "not_selected", "radio")),
          "any"),
     "selected(${tools}, 'pen') or not(selected(${tools}, 'radio'))"),
    (Rule((Condition("name", "answered"), Condition("why", "not_answered"))),
     "${name} != '' and ${why} = ''"),
    (Rule((Condition("name", "!=", "it's"),)), "${name} != \"it's\""),
    (Rule((Condition("code", "=", "007"),)), "${code} = '007'"),
    (Rule(()), ""),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "expression"), RULES)
def test_a_rule_is_written_as_xlsform_and_read_back_the_same(rule, expression):
    assert write(rule) == expression
    assert read(expression) == rule


@pytest.mark.parametrize(
    "expression",
    ["${a} = 1 and ${b} = 2 or ${c} = 3", "${a} + 1 > 2", "${a} = ${b}", "count-selected(${a}) > 1",
     "${a} = ", "'x' = ${a}"],
)  # fmt: skip
def test_what_the_editor_cannot_show_as_rows_stays_an_expression(expression):
    assert read(expression) is None


def test_a_value_with_both_quotes_cannot_be_written():
    with pytest.raises(ConditionError):
        write(Rule((Condition("name", "=", 'it\'s "x"'),)))


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"age": "30", "works": "yes"}, True), ({"age": "12", "works": "yes"}, False),
     ({"age": "30", "works": "no"}, False), ({"age": "", "works": "yes"}, False)],
)  # fmt: skip
def test_a_written_rule_is_judged_as_it_reads(answers, expected):
    rule = Rule((Condition("age", ">=", "18"), Condition("works", "=", "yes")))
    assert truthy(evaluate(write(rule), answers, None)) is expected


def test_respondents_are_told_when_a_question_applies(app, session):
    survey = factories.every_type(session, state=SurveyState.draft)
    with app.test_request_context():
        told = describe("${works} = 'yes'", survey, "en")
        both = describe("${works} = 'yes' and ${age} >= 18", survey, "en")
        other = describe("${works} = 'yes' or ${age} + 1 > 3", survey, "en")
    assert told == "Only if you answered \u201cYes\u201d to \u201cDo you work?\u201d."
    assert both.startswith("Only if you answered \u201cYes\u201d") and " and " in both
    assert "is \u201c18\u201d or above" in both
    assert other == "Only if it applies to you, given your other answers."
