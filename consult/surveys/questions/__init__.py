"""Question types by name: ``question_type(question.type)`` gives the class that handles it.

One class per type (``base.QuestionType``, with its defining side in ``defining.py``) owns
everything that differs between kinds of question; nothing outside this package compares a
type name. Part of the kernel: may import the kernel's models and expressions, spreadsheets'
cell type and the foundation.
"""

from __future__ import annotations

from consult.surveys.questions.base import QuestionType
from consult.surveys.questions.choice import MultipleChoice, SingleChoice
from consult.surveys.questions.computed import Calculate, End, Start, Today
from consult.surveys.questions.consent import Consent
from consult.surveys.questions.dates import Date
from consult.surveys.questions.decimals import Decimal
from consult.surveys.questions.number import Integer
from consult.surveys.questions.ranking import Ranking
from consult.surveys.questions.scale import Scale
from consult.surveys.questions.text import LongText, Note, ShortText
from consult.surveys.questions.typed import DateTime, Geopoint, TimeOfDay

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
        TimeOfDay(),
        DateTime(),
        Geopoint(),
        Calculate(),
        Start(),
        End(),
        Today(),
    )
}


def question_type(name: str) -> QuestionType:
    """The handler of a type name; KeyError for a name no class owns."""
    return TYPES[name]


def type_for_xlsform(name: str, appearances: set[str]) -> QuestionType | None:
    """The type an XLSForm type name (with its row's appearances) reads as, or None.

    A type that asks for an appearance (likert, multiline) wins when the row has it.
    """
    claiming = [t for t in TYPES.values() if name in t.xlsform_names]
    for qtype in claiming:
        if qtype.xlsform_appearance and qtype.xlsform_appearance in appearances:
            return qtype
    return next((t for t in claiming if not t.xlsform_appearance), None)


__all__ = ["TYPES", "QuestionType", "question_type", "type_for_xlsform"]
