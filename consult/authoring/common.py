"""What the authoring services share: typed texts kept per language, code checks, moving and
renumbering items in a list, the rows of a list as the editor posts them, and changing the
codes of rows that other tables refer to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.problems import Problems, Refusal
from consult.surveys.codes import CODE, RESERVED
from consult.surveys.models import Choice, Question, Recommendation, Section

# The most rows one list may have in the editor (choices, points, groups, statements,
# conditions): a bound on what a form post makes the server do.
MAX_ROWS = 300


@dataclass
class Row:
    """One row of a list as typed in the builder's editor: a choice, a scale point, a
    stakeholder group, a recommendation or a statement of a scale matrix."""

    code: str = ""
    # The code the row had when the page was drawn ("" for a row added since): how a renamed
    # or moved row is told from a new one.
    was: str = ""
    label: dict[str, str] = field(default_factory=dict)
    # A second text (a recommendation's description), by language.
    text: dict[str, str] = field(default_factory=dict)
    # A stakeholder group's or a region's target, a group's hard quota, as typed.
    target: str = ""
    quota: str = ""
    # A statement's recommendation (its code).
    recommendation: str = ""

    def blank(self) -> bool:
        """Nothing typed: such rows are left out, so a spare empty row never blocks a save."""
        typed = [self.code, self.target, self.quota, *self.label.values(), *self.text.values()]
        return not any(value.strip() for value in typed)


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


def whole_number(text: str, name: str, problems: Problems, least: int = 0) -> int | None:
    """A count typed in the builder (None when empty; a problem beside ``name`` if unreadable)."""
    text = text.strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        number = least - 1
    if number < least:
        problems.add(str(_l("A whole number of at least %(n)d.", n=least)), name)
        return None
    return number


class Coded(Protocol):
    id: int
    code: str


def recode(session: Session, items: Sequence[Coded], codes: Sequence[str]) -> None:
    """Give ``items`` the codes ``codes`` (same order) without ever holding one code twice,
    even for a moment (codes are unique per survey or question): renamed items pass through a
    temporary code that no user can type."""
    changed = [(item, code) for item, code in zip(items, codes, strict=True) if item.code != code]
    if not changed:
        return
    for item, _code in changed:
        item.code = f"~{id(item)}"
    session.flush()
    for item, code in changed:
        item.code = code
