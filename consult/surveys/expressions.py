"""XLSForm-style expressions for relevance and constraints, parsed and evaluated safely.

Never ``eval``: a tokenizer, a recursive-descent parser that builds a small tree of tuples,
and an evaluator that only ever looks up answers by name. Supported (the XLSForm subset):
``${name}`` references, ``.`` (the answer being checked), numbers and 'strings' / "strings",
``= != < <= > >=``, ``and or not()``, ``+ - * div mod``, unary minus, parentheses, the
functions in ``FUNCTIONS`` (``selected()``, ``if()``, ``concat()``, ``regex()``, ...), and bare
names: in a ``choice_filter`` they are the columns of the choice being filtered (``cf``,
``name``); anywhere else they are empty, as XPath's missing elements are.

Values follow XPath loosely: an unanswered question is the empty string; comparisons are
numeric when both sides read as numbers, textual otherwise; ``x div 0`` is infinity, as in
XPath. Anything malformed raises ExpressionError, with the position where it went wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from consult.surveys.xpath import (
    TEXT_FUNCTIONS,
    Value,
    compiled,
    number,
    number_function,
    text,
    truthy,
)

MAX_LENGTH = 2000
MAX_DEPTH = 40

# ("num", 1.0) | ("str", "a") | ("ref", "name") | ("self",) | ("neg", n) | ("call", f, *args)
# | (operator, left, right)
Node = tuple[Any, ...]


class ExpressionError(ValueError):
    """The expression cannot be parsed or evaluated; the message says where and why."""


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, ref, name, op, lparen, rparen, comma, dot, eof
    text: str
    at: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<dot>\.)
    """,
    re.VERBOSE,
)
WORD_OPERATORS = {"and", "or", "div", "mod"}
# Name → number of arguments (-1: one or more).
FUNCTIONS = {
    "selected": 2, "count-selected": 1, "string-length": 1, "if": 3, "not": 1, "true": 0,
    "false": 0, "concat": -1, "coalesce": 2, "round": -1, "int": 1, "number": 1, "string": 1,
    "contains": 2, "starts-with": 2, "ends-with": 2, "substr": -1, "regex": 2, "selected-at": 2,
}  # fmt: skip
# Functions of XLSForm that consult cannot evaluate, and why (named when a form uses them).
NOT_EVALUATED = {
    "pulldata": "pulldata() reads a CSV file attached to the form",
    "instance": "instance() reads external data",
    "now": "now() depends on the device's clock",
    "today": "today() depends on the device's clock",
    "random": "random() differs on every device",
    "once": "once() keeps a device-side value",
}


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    tokens, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise ExpressionError(f"unexpected character {text[at]!r} at position {at + 1}")
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "name" and value in WORD_OPERATORS:
            kind = "op"
        if kind != "space":
            tokens.append(Token(kind, value, at))
        at = match.end()
    tokens.append(Token("eof", "", len(text)))
    return tokens


# Binding strength of binary operators, loosest first (XPath's order).
PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
              "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}  # fmt: skip


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str | None = None) -> Token:
        token = self.peek()
        if kind is not None and token.kind != kind:
            wanted = {"rparen": "')'", "lparen": "'('"}.get(kind, kind)
            raise ExpressionError(f"expected {wanted} but found {_describe(token)}")
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.binary(0, 0)
        if self.peek().kind != "eof":
            raise ExpressionError(f"unexpected {_describe(self.peek())}")
        return node

    def binary(self, floor: int, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply")
        left = self.unary(depth + 1)
        while True:
            token = self.peek()
            strength = PRECEDENCE.get(token.text) if token.kind == "op" else None
            if strength is None or strength <= floor:
                return left
            self.take()
            right = self.binary(strength, depth + 1)
            left = (token.text, left, right)

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply")
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.take()
            return ("neg", self.unary(depth + 1))
        return self.primary(depth)

    def primary(self, depth: int) -> Node:
        token = self.take()
        if token.kind == "num":
            return ("num", float(token.text))
        if token.kind == "str":
            return ("str", token.text[1:-1])
        if token.kind == "ref":
            return ("ref", token.text[2:-1])
        if token.kind == "dot":
            return ("self",)
        if token.kind == "lparen":
            node = self.binary(0, depth + 1)
            self.take("rparen")
            return node
        if token.kind == "name":
            if self.peek().kind != "lparen":
                return ("attr", token.text)
            return self.call(token, depth)
        raise ExpressionError(f"unexpected {_describe(token)}")

    def call(self, token: Token, depth: int) -> Node:
        if token.text not in FUNCTIONS:
            why = NOT_EVALUATED.get(token.text)
            if why:
                raise ExpressionError(f"{why}: consult cannot evaluate it")
            raise ExpressionError(f"unknown function {token.text!r} at position {token.at + 1}")
        self.take("lparen")
        args: list[Node] = []
        if self.peek().kind != "rparen":
            args.append(self.binary(0, depth + 1))
            while self.peek().kind == "comma":
                self.take()
                args.append(self.binary(0, depth + 1))
        self.take("rparen")
        wanted = FUNCTIONS[token.text]
        if len(args) != wanted and not (wanted < 0 and args):
            raise ExpressionError(
                f"{token.text}() takes {wanted if wanted >= 0 else 'some'} argument(s), "
                f"not {len(args)} (position {token.at + 1})"
            )
        if token.text == "regex":
            _check_pattern(args[1])
        return ("call", token.text, *args)


def _check_pattern(node: Node) -> None:
    if node[0] != "str":
        return  # a pattern computed from answers is checked when it is used
    try:
        compiled(node[1])
    except ValueError as error:
        raise ExpressionError(f"regex(): the pattern {node[1]!r} is not valid ({error})") from None


def _describe(token: Token) -> str:
    if token.kind == "eof":
        return f"end of the expression (position {token.at + 1})"
    return f"{token.text!r} at position {token.at + 1}"


@lru_cache(maxsize=2048)
def parse(text: str) -> Node:
    """The expression's tree; raises ExpressionError. Cached: surveys reuse their rules."""
    if not isinstance(text, str):
        raise ExpressionError("an expression is text")
    return _Parser(text).parse()


def references(text: str) -> set[str]:
    """The ``${name}`` references in an expression (for unknown names and cycles)."""
    found: set[str] = set()

    def walk(node: Node) -> None:
        if node[0] == "ref":
            found.add(node[1])
        for part in node[1:]:
            if isinstance(part, tuple):
                walk(part)

    walk(parse(text))
    return found


def evaluate(text: str, answers: Mapping[str, str | None], current: str | None = None) -> Value:
    """The value of ``text`` given ``answers`` (stored values by question name)."""
    return _eval(parse(text), answers, current)


# Bare names (a choice's columns in a choice filter) are looked up in the answers under this
# prefix, which no question code can start with.
ATTRIBUTE = "@"


def with_choice(
    answers: Mapping[str, str | None], columns: Mapping[str, str]
) -> dict[str, str | None]:
    """The answers a choice filter sees for one choice: the answers, and the choice's columns."""
    return {**answers, **{ATTRIBUTE + name: value for name, value in columns.items()}}


def as_text(value: Value) -> str:
    """A value as it is stored (a calculation's result): 3.0 → "3", true → "true"."""
    return text(value)


def _compare(op: str, left: Value, right: Value) -> bool:
    """Numbers when both sides read as numbers; otherwise = and != compare text, and the
    ordering operators are false (XPath compares NaN as false)."""
    a, b = number(left), number(right)
    numeric = not (math.isnan(a) or math.isnan(b))
    if op in ("=", "!="):
        equal = a == b if numeric else text(left) == text(right)
        return equal if op == "=" else not equal
    if not numeric:
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _arithmetic(op: str, left: Value, right: Value) -> float:
    a, b = number(left), number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
        return a / b
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):  # mod
        return math.nan
    return math.fmod(a, b)


def _eval(node: Node, answers: Mapping[str, str | None], current: str | None) -> Value:
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "str":
        return str(node[1])
    if kind == "ref":
        value = answers.get(node[1])
        return "" if value is None else str(value)
    if kind == "self":
        return "" if current is None else str(current)
    if kind == "attr":  # a choice's column in a choice filter (see choice_filter_answers)
        value = answers.get(ATTRIBUTE + node[1])
        return "" if value is None else str(value)
    if kind == "neg":
        return -number(_eval(node[1], answers, current))
    if kind == "call":
        return _call(node[1], node[2:], answers, current)
    op, left_node, right_node = node
    if op == "and":
        return truthy(_eval(left_node, answers, current)) and truthy(
            _eval(right_node, answers, current)
        )
    if op == "or":
        return truthy(_eval(left_node, answers, current)) or truthy(
            _eval(right_node, answers, current)
        )
    left, right = _eval(left_node, answers, current), _eval(right_node, answers, current)
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, left, right)
    return _arithmetic(op, left, right)


def _call(
    name: str, args: tuple[Node, ...], answers: Mapping[str, str | None], current: str | None
) -> Value:
    if name == "if":  # only the chosen branch runs
        condition = truthy(_eval(args[0], answers, current))
        return _eval(args[1] if condition else args[2], answers, current)
    values = [_eval(arg, answers, current) for arg in args]
    if name in TEXT_FUNCTIONS:
        return TEXT_FUNCTIONS[name](values)
    if name == "selected":
        return text(values[1]) in text(values[0]).split()
    if name == "count-selected":
        return float(len(text(values[0]).split()))
    if name == "string-length":
        return float(len(text(values[0])))
    if name == "not":
        return not truthy(values[0])
    if name in ("true", "false"):
        return name == "true"
    return number_function(name, values)
