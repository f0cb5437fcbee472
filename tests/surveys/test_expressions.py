"""The XLSForm expression evaluator: right answers, clear errors, and nothing but answers."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.surveys.expressions import ExpressionError, evaluate, parse, references, truthy

ANSWERS = {"age": "34", "group": "media", "tools": "radio phone", "name": "Ayesha", "blank": ""}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${age} >= 18", True),
        ("${age} > 40 or ${group} = 'media'", True),
        ("${age} > 40 and ${group} = 'media'", False),
        ("not(${group} = 'academia')", True),
        ("selected(${tools}, 'radio')", True),
        ("selected(${tools}, 'tv')", False),
        ("count-selected(${tools})", 2.0),
        ("string-length(${name})", 6.0),
        ("if(${age} > 30, 'older', 'younger')", "older"),
        ("${missing} = ''", True),
        ("${blank} != ''", False),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 div 4", 2.5),
        ("10 mod 4", 2.0),
        ("-${age} + 4", -30.0),
        ("'10' = 10", True),
        ("'abc' < 'abd'", False),  # ordering compares numbers; text is NaN, so false (XPath)
        ("\"double\" = 'double'", True),
    ],
)
def test_known_answers(expression, expected):
    assert evaluate(expression, ANSWERS) == expected


def test_dot_is_the_answer_being_checked():
    assert evaluate(". >= 0 and . <= 70", {}, current="42") is True
    assert evaluate(". >= 0 and . <= 70", {}, current="71") is False
    assert evaluate("string-length(.) <= 5", {}, current="Ayesha") is False


def test_division_by_zero_follows_xpath():
    assert evaluate("1 div 0", {}) == math.inf
    assert math.isnan(evaluate("0 div 0", {}))
    assert math.isnan(evaluate("5 mod 0", {}))


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("${age} >", "end of the expression"),
        ("(${age} > 3", "expected ')'"),
        ("${age} > > 3", "unexpected '>'"),
        ("foo(1)", "unknown function 'foo'"),
        ("selected(${a})", "takes 2 argument"),
        ("${age} # 3", "unexpected character '#'"),
        ("'unclosed", "unexpected character"),
        ("__import__('os')", "unknown function '__import__'"),
        ("${a}.__class__", "unexpected"),
        ("(" * 200 + "1" + ")" * 200, "nested too deeply"),
        ("1" * 3000, "longer than"),
    ],
)
def test_errors_say_what_and_where(expression, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        evaluate(expression, ANSWERS)


def test_references_lists_every_name():
    assert references("${a} > 1 and selected(${b}, 'x') or if(${c}, ${a}, 2)") == {"a", "b", "c"}


class Recording(Mapping[str, str]):
    """Answers that remember every name asked for."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked: list[object] = []

    def __getitem__(self, key: str) -> str:
        self.asked.append(key)
        return self.values[key]

    def get(self, key, default=None):  # noqa: ANN001, ANN201
        self.asked.append(key)
        return self.values.get(key, default)

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the evaluator must not list the answers")

    def __len__(self) -> int:
        raise AssertionError("the evaluator must not count the answers")


NAMES = st.sampled_from(["a", "b", "c", "age", "tools"])
LEAVES = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.text(alphabet="abc xyz", max_size=6).map(lambda t: f"'{t}'"),
    NAMES.map(lambda n: "${" + n + "}"),
    st.just("."),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(
        children,
        st.sampled_from(
            ["=", "!=", "<", "<=", ">", ">=", "and", "or", "+", "-", "*", "div", "mod"]
        ),
        children,
    ).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    calls = st.one_of(
        st.tuples(children, children).map(lambda t: f"selected({t[0]}, {t[1]})"),
        children.map(lambda c: f"count-selected({c})"),
        children.map(lambda c: f"string-length({c})"),
        children.map(lambda c: f"not({c})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        children.map(lambda c: f"-{c}"),
    )
    return st.one_of(binary, calls)


EXPRESSIONS = st.recursive(LEAVES, _combine, max_leaves=25)
ANSWER_VALUES = st.dictionaries(NAMES, st.text(max_size=12), max_size=5)


@settings(max_examples=400, deadline=None)
@given(EXPRESSIONS, ANSWER_VALUES, st.one_of(st.none(), st.text(max_size=8)))
def test_valid_expressions_always_give_a_plain_value(expression, answers, current):
    recording = Recording(answers)
    value = evaluate(expression, recording, current)
    assert type(value) in (str, float, bool)
    truthy(value)
    # Only answers named in the expression were looked up, and only by name.
    assert set(recording.asked) <= references(expression)
    assert all(isinstance(name, str) for name in recording.asked)


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_expression_error(text):
    try:
        tree = parse(text)
    except ExpressionError:
        return
    assert isinstance(tree, tuple)
    try:
        value = evaluate(text, {})
    except ExpressionError:
        return
    assert type(value) in (str, float, bool)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="${}()'\"., =!<>+-*abcdivmodnotselected", max_size=120))
def test_expression_shaped_noise_never_escapes(text):
    try:
        evaluate(text, ANSWERS, "1")
    except ExpressionError:
        pass
