"""What a question's raw-export columns become in SPSS, Stata and R files.

Each type says, per column of its raw export (``columns()``, read in codes mode), whether
the column holds numbers, text or dates, and for choice-like columns which number each code
becomes and which label each number carries. ``exports/statfiles.py`` turns the raw rows
into the files with this and never asks which type a question is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from consult.surveys.models import Question


class Kind(StrEnum):
    number = "number"
    text = "text"
    date = "date"
    datetime = "datetime"


@dataclass(frozen=True)
class StatColumn:
    """One column of a statistical file, matching one column of the raw export."""

    label: str
    kind: Kind = Kind.text
    # A raw cell (the code the codes export gives) → the number stored; None: cells as they are.
    codes: Mapping[str, int] | None = None
    # Value labels: number → label in the file's language.
    labels: Mapping[int, str] = field(default_factory=dict)


def question_text(question: Question, lang: str) -> str:
    return question.survey.text(question.label, lang)


def part_label(question: Question, lang: str, part: str) -> str:
    """A column that is one part of a question: "question text: choice"."""
    return f"{question_text(question, lang)}: {part}"


def numbered(options: list[tuple[str, str]]) -> tuple[dict[str, int], dict[int, str]]:
    """Codes → numbers and numbers → labels for a list of (code, label).

    Codes that are all whole numbers keep their number (a scale's points, "1".."5", or
    XLSForm lists coded 1, 2, 99); other codes are numbered 1..n in the list's order.
    """
    if options and all(_whole(code) for code, _ in options):
        numbers = [int(code) for code, _ in options]
    else:
        numbers = list(range(1, len(options) + 1))
    codes = {code: number for (code, _), number in zip(options, numbers, strict=True)}
    labels = {number: label for (_, label), number in zip(options, numbers, strict=True)}
    return codes, labels


def _whole(code: str) -> bool:
    return code.lstrip("-").isdigit() and len(code) < 10
