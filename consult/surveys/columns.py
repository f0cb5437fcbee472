"""The columns of a survey's raw table: the fixed ones, then each question's own."""

from __future__ import annotations

from consult.surveys.models import Question, QuestionRole, Survey
from consult.surveys.questions import question_type

FIXED_COLUMNS = ("response_id", "submitted_at", "group", "language", "channel")


FIXED_MEANING = {
    "response_id": "random identifier of the response",
    "submitted_at": "when it was submitted (UTC; the day only for anonymous surveys)",
    "group": "stakeholder group",
    "language": "language the questionnaire was answered in",
    "channel": "web, enumerator, paper, import, synthetic or api",
}


def exported_questions(survey: Survey) -> list[Question]:
    """Questions with their own columns; the group question fills the fixed ``group`` column."""
    return [
        q
        for q in survey.ordered_questions()
        if question_type(q.type).has_answer and q.role != QuestionRole.group
    ]
