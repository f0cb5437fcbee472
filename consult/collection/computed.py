"""Values consult works out when a response is stored: calculations and metadata (the types in
surveys/questions/computed.py say how). Calculations may use earlier calculations; a question
that does not apply (skip logic) gets no value, as in XLSForm.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from consult.collection import timing
from consult.db import utcnow
from consult.surveys.models import Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.computed import Moment


def has_computed(survey: Survey) -> bool:
    return any(question_type(q.type).computed for q in survey.questions)


def moment(
    survey: Survey, nonce: str | None = None, given: Mapping[str, str] | None = None
) -> Moment:
    """Now, for a response to ``survey`` whose form carried ``nonce``."""
    return Moment(started_at(nonce), utcnow(), survey.anonymous, given or {})


def computed_answers(
    survey: Survey,
    answers: Mapping[str, str | None],
    moment: Moment,
    skipped: set[str] | frozenset[str] = frozenset(),
) -> dict[int, str]:
    """Question id → value of each computed question, in the survey's order.

    ``answers``: the other answers by code as rules see them; each computed value is added as
    it is found, so a later calculation (or rule) can use it.
    """
    known = dict(answers)
    found: dict[int, str] = {}
    for question in survey.ordered_questions():
        qtype = question_type(question.type)
        if not qtype.computed or question.code in skipped:
            continue
        value = qtype.compute(question, known, moment)
        known[question.code] = value
        if value is not None:
            found[question.id] = value
    return found


# The start time travels in the form's one-time nonce, signed with a timestamp (timing.py):
# the server needs no state, and the nonce is stored only hashed (responses.nonce_hash).
def started_at(nonce: str | None) -> datetime | None:
    """When the respondent's form was handed out (the nonce's signed stamp), or None."""
    return timing.issued_at(nonce)
