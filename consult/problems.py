"""The one way consult reports a refused change: a Refusal holding Problems.

Every service that checks input raises ``Refusal`` (never a dict, a returned tuple or an
out-parameter); views show each problem beside its field (``field``) or above the form (no
field), commands print them with their place (``where``: "sheet survey, row 12",
"sections[2].questions[1]", "row 5"). Nothing is half-saved: the view rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what was sent, worded for the person who sent it."""

    message: str
    # The form field it belongs beside; None: the form (or file) as a whole.
    field: str | None = None
    # Where in a file or definition it is, for people fixing that file.
    where: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class Refusal(ValueError):
    """A change refused, with every problem found (not only the first).

    ``conflict``: the input was well-formed, but the change would harm what is stored (answers
    that would be lost or misread, a lifecycle step that is not allowed): HTTP 409, not 400.
    """

    def __init__(self, problems: Iterable[Problem], conflict: bool = False, more: int = 0) -> None:
        self.problems = list(problems)
        self.conflict = conflict
        # Problems found but not listed (a long sheet's list is cut short).
        self.more = more
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, field: str | None, message: str, conflict: bool = False) -> Refusal:
        """A refusal with one problem (beside ``field``, or for the whole form)."""
        return cls([Problem(message, field)], conflict)

    @classmethod
    def fields(cls, messages: Mapping[str, str]) -> Refusal:
        """A refusal with one problem beside each named field."""
        return cls([Problem(message, field) for field, message in messages.items()])

    @classmethod
    def conflicting(cls, message: str) -> Refusal:
        """A change that would harm what is stored (or an impossible step): HTTP 409."""
        return cls([Problem(message)], conflict=True)

    @property
    def status(self) -> int:
        return 409 if self.conflict else 400

    def by_field(self) -> dict[str, str]:
        """Messages by field name, for the page (a field's first problem is shown)."""
        found: dict[str, str] = {}
        for problem in self.problems:
            if problem.field is not None:
                found.setdefault(problem.field, problem.message)
        return found

    def general(self) -> list[str]:
        """Messages that belong to no field, shown above the form."""
        return [p.message for p in self.problems if p.field is None]

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


class Problems:
    """Collects problems from several checks, so a form is answered with all of them at once."""

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.conflict = False

    def add(self, message: str, field: str | None = None, where: str | None = None) -> None:
        self.found.append(Problem(message, field, where))

    def check(self, step: Callable[[], T], default: T) -> T:
        """``step()``, or ``default`` when it refuses (its problems are kept)."""
        try:
            return step()
        except Refusal as refusal:
            self.found += refusal.problems
            self.conflict = self.conflict or refusal.conflict
            return default

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_any(self) -> None:
        if self.found:
            raise Refusal(self.found, self.conflict)
