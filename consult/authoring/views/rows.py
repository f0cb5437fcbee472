"""The editors' rows as the browser posts them, and the buttons that change them.

A row's inputs are named ``<prefix><n>-<part>`` (``c3-code``, ``c3-label-ur``; ``c`` for a
list's rows, ``s`` for a matrix's statements, ``k`` for conditions). Rows are read in the order
the browser posts them, which is the page's order (so rows dragged by the script need no
renaming), and drawn again numbered from 0.

Every button of an editor submits the whole form: ``action`` says what to do, e.g.
``add:c``, ``remove:c:3``, ``up:c:3``, ``down:c:3`` (3: the ``n`` of the row's names). The page
comes back with the change made and everything typed kept; only "save" stores anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from werkzeug.datastructures import MultiDict

from consult.authoring.common import MAX_ROWS, Row
from consult.authoring.conditions import ConditionRow

_NAME = re.compile(r"^([a-z])(\d{1,4})-(.+)$")
T = TypeVar("T")


def posted(form: MultiDict[str, str], prefix: str) -> list[tuple[int, dict[str, str]]]:
    """(n, {part: value}) of each row with this prefix, in the order posted (at most MAX_ROWS)."""
    rows: dict[int, dict[str, str]] = {}
    for name, value in form.items(multi=True):
        match = _NAME.match(name)
        if match is None or match.group(1) != prefix:
            continue
        number = int(match.group(2))
        if number not in rows and len(rows) >= MAX_ROWS:
            continue
        rows.setdefault(number, {})[match.group(3)] = value
    return list(rows.items())


def is_row_name(name: str) -> bool:
    return _NAME.match(name) is not None


def texts(parts: dict[str, str], name: str, languages: list[str]) -> dict[str, str]:
    return {lang: parts.get(f"{name}-{lang}", "") for lang in languages}


def list_row(parts: dict[str, str], languages: list[str]) -> Row:
    return Row(
        code=parts.get("code", ""), was=parts.get("was", ""),
        label=texts(parts, "label", languages), text=texts(parts, "text", languages),
        target=parts.get("target", ""), quota=parts.get("quota", ""),
        recommendation=parts.get("recommendation", ""),
    )  # fmt: skip


def condition_row(parts: dict[str, str]) -> ConditionRow:
    return ConditionRow(
        question=parts.get("question", ""), op=parts.get("op", ""),
        choice=parts.get("value", ""), typed=parts.get("text", ""),
    )  # fmt: skip


def numbered(
    form: MultiDict[str, str], prefix: str, make: Callable[[dict[str, str]], T]
) -> list[tuple[int, T]]:
    return [(number, make(parts)) for number, parts in posted(form, prefix)]


def act(action: str, prefix: str, rows: list[tuple[int, T]], blank: Callable[[], T]) -> bool:
    """Apply one row button to ``rows`` (n, row) in place; False: not a button of ``prefix``."""
    verb, _, rest = action.partition(":")
    which, _, number = rest.partition(":")
    if which != prefix:
        return False
    if verb == "add" and len(rows) < MAX_ROWS:
        rows.append((max((n for n, _ in rows), default=-1) + 1, blank()))
        return True
    at = next((i for i, (n, _) in enumerate(rows) if str(n) == number), None)
    if at is None:
        return verb in ("add", "remove", "up", "down")
    if verb == "remove":
        del rows[at]
    elif verb in ("up", "down"):
        to = at - 1 if verb == "up" else at + 1
        if 0 <= to < len(rows):
            rows[at], rows[to] = rows[to], rows[at]
    return True
