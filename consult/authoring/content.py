"""A survey's content as the builder sees it: questions in page order, what stops the survey
from opening (check_survey), and where a definition check's message belongs in the builder.

The changes themselves are made by sections.py, questions.py, choices.py and
recommendations.py: flush, never commit; raise Refusal and let the view roll back.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.surveys.checks import (
    check_matrix,
    check_rules,
)
from consult.surveys.models import (
    DefinitionError,
    Question,
    Section,
    Survey,
)
from consult.surveys.questions import question_type


def questions_of(survey: Survey, section: Section) -> list[Question]:
    """A section's questions in order, including those added in this request (Section.questions
    is a view-only relationship, loaded once)."""
    return sorted((q for q in survey.questions if q.section is section), key=lambda q: q.position)


def places(survey: Survey) -> dict[str, str]:
    """Where each question is, for the definition checks: "@<code>" (see located)."""
    return {q.code: f"@{q.code}" for q in survey.questions}


def check_survey(survey: Survey) -> list[str]:
    """What the definition loader would refuse in this survey, as messages (empty: none)."""
    problems = []
    for section in survey.sections:
        mine = questions_of(survey, section)
        if mine and mine[0].settings.get("matrix"):
            try:
                check_matrix(mine, section.code)
            except DefinitionError as error:
                problems.append(str(error))
    for question in survey.questions:
        # Its options, wherever they live: its choices, the groups, the recommendations.
        if question_type(question.type).has_choices and not question.options():
            problems.append(str(_l("Question %(code)s has no choices yet.", code=question.code)))
    try:
        check_rules(survey.questions, places(survey))
    except DefinitionError as error:
        problems.append(located(error, None)[1])
    return problems


def located(error: DefinitionError, question: Question | None) -> tuple[str, str]:
    """(field, message) of a check's error: the field of ``question``'s page it belongs beside,
    and the message, naming the other question when the error is about another one."""
    code, text = error.place.removeprefix("@"), error.text
    if not error.place.startswith("@"):
        return "", str(error)
    if question is not None and code != question.code:
        text = str(_l("In question %(code)s: %(text)s", code=code, text=text))
    return error.key or "", text
