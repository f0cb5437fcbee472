"""What the authoring services share: typed texts kept per language, code checks, moving and
renumbering items in a list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from flask_babel import lazy_gettext as _l

from consult.problems import Refusal
from consult.surveys.codes import CODE, RESERVED
from consult.surveys.models import Choice, Question, Recommendation, Section


def kept_texts(value: dict[str, str], languages: list[str]) -> dict[str, str]:
    """Only the survey's languages, only what was written (empty means: fall back)."""
    return {lang: value[lang].strip() for lang in languages if value.get(lang, "").strip()}


T = TypeVar("T")


def check_code(value: str, taken: set[str], pattern: re.Pattern[str] = CODE) -> None:
    if not pattern.match(value):
        raise Refusal.fields(
            {"code": str(_l("Use letters, digits, _, - and ., starting with a letter or _."))}
        )
    if pattern is CODE and value in RESERVED:
        message = _l("%(code)s is a column of every export: choose another code.", code=value)
        raise Refusal.fields({"code": str(message)})
    if value in taken:
        raise Refusal.fields({"code": str(_l("This code is already used."))})


def move(items: list[T], item: T, step: int) -> list[T]:
    at = items.index(item)
    to = at + step
    if 0 <= to < len(items):
        items[at], items[to] = items[to], items[at]
    return items


def renumber(items: Sequence[Section | Question | Choice | Recommendation]) -> None:
    for position, item in enumerate(items):
        item.position = position
