"""Question types by name: ``question_type(question.type)`` gives the class that handles it."""

from __future__ import annotations

from consult.surveys.questions.base import Cell, QuestionType
from consult.surveys.questions.choice import MultipleChoice, SingleChoice
from consult.surveys.questions.consent import Consent
from consult.surveys.questions.dates import Date
from consult.surveys.questions.decimals import Decimal
from consult.surveys.questions.number import Integer
from consult.surveys.questions.ranking import Ranking
from consult.surveys.questions.scale import Scale
from consult.surveys.questions.text import LongText, Note, ShortText

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
