"""Question types by name: ``question_type(question.type)`` gives the class that handles it."""

from __future__ import annotations

from .base import Cell, QuestionType
from .choice import MultipleChoice, SingleChoice
from .consent import Consent
from .dates import Date
from .decimals import Decimal
from .number import Integer
from .ranking import Ranking
from .scale import Scale
from .text import LongText, Note, ShortText

TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        SingleChoice(),
        MultipleChoice(),
        Scale(),
        Ranking(),
        Integer(),
        Decimal(),
        Date(),
        Consent(),
        ShortText(),
        LongText(),
        Note(),
    )
}


def question_type(name: str) -> QuestionType:
    """The handler of a type name; KeyError for a name no class owns."""
    return TYPES[name]


__all__ = ["TYPES", "Cell", "QuestionType", "question_type"]
