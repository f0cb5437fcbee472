"""The values of XLSForm expressions and the functions they call, as XPath reads them loosely:
text, numbers and booleans; an unanswered question is the empty string. expressions.py parses and
evaluates; static/js/rules.js mirrors both in the browser.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

Value = str | float | bool
# regex(): patterns are matched by RE2 (linear time, whatever the pattern), at most this long.
MAX_PATTERN = 500


def truthy(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value.strip()) if value.strip() else math.nan
    except ValueError:
        return math.nan


def text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return value


@lru_cache(maxsize=256)
def compiled(pattern: str) -> Any:
    import re2

    if len(pattern) > MAX_PATTERN:
        raise ValueError(f"longer than {MAX_PATTERN} characters")
    try:
        return re2.compile(pattern)
    except re2.error as error:
        raise ValueError(str(error)) from None


def number_function(name: str, values: list[Value]) -> Value:
    value = number(values[0])
    if name == "round":
        digits = int(number(values[1])) if len(values) > 1 else 0
        return value if math.isnan(value) or math.isinf(value) else round(value, digits)
    if name == "int":
        return value if math.isnan(value) or math.isinf(value) else float(math.trunc(value))
    return value  # number()


def _regex(values: list[Value]) -> Value:
    pattern = text(values[1])
    try:
        return compiled(pattern).search(text(values[0])) is not None
    except ValueError:
        return False


def _substr(values: list[Value]) -> Value:
    whole = text(values[0])
    start = int(number(values[1])) if len(values) > 1 else 0
    end = int(number(values[2])) if len(values) > 2 else len(whole)
    return whole[max(start, 0) : max(end, 0)]


def _selected_at(values: list[Value]) -> Value:
    words = text(values[0]).split()
    index = number(values[1])
    return words[int(index)] if not math.isnan(index) and 0 <= index < len(words) else ""


TEXT_FUNCTIONS: dict[str, Any] = {
    "concat": lambda v: "".join(text(x) for x in v),
    "coalesce": lambda v: text(v[0]) if text(v[0]) != "" else text(v[1]),
    "string": lambda v: text(v[0]),
    "contains": lambda v: text(v[1]) in text(v[0]),
    "starts-with": lambda v: text(v[0]).startswith(text(v[1])),
    "ends-with": lambda v: text(v[0]).endswith(text(v[1])),
    "substr": _substr,
    "regex": _regex,
    "selected-at": _selected_at,
}
