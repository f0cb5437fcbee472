"""A question's list as the editor saves it in one go: choices (code and text in every language)
or a scale's points (numbered 1, 2, 3 … in order: their number is the stored answer).

Checks first (every problem beside its row's field, ``c<row>-code``, ``c<row>-label-<lang>``),
then the change, so nothing is half-saved. Stored answers are never orphaned: a chosen choice
keeps its code and stays, and the points of an answered scale are not removed or reordered
(their numbers would mean something else). A table-list page (the scale matrix) shares its
points: saving the points of one of its questions saves them on every question of the page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring.answered import choice_in_use, is_answered
from consult.authoring.common import Row, kept_texts
from consult.authoring.content import questions_of
from consult.problems import Problems
from consult.surveys.checks import other_label
from consult.surveys.codes import CHOICE_CODE
from consult.surveys.models import Choice, Question, Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.choice import OTHER

CODE_RULE = _l("Use letters, digits, _, - and ., with no spaces.")


def sharing(survey: Survey, question: Question) -> list[Question]:
    """The questions whose points change together: a table-list page's scales, else just this."""
    if question.settings.get("matrix"):
        return questions_of(survey, question.section)
    return [question]


def rows_of(question: Question) -> list[Row]:
    """The question's own list as editor rows ("other" is the tick box's, not a row)."""
    return [
        Row(code=c.code, was=c.code, label=dict(c.label))
        for c in question.choices
        if c.code != OTHER
    ]


def check_choices(
    session: Session, survey: Survey, question: Question | None, rows: list[Row],
    other: bool, problems: Problems,
) -> list[tuple[str, dict[str, str]]]:  # fmt: skip
    """(code, texts) of the rows that are not blank, in order; problems by row field."""
    kept: list[tuple[str, dict[str, str]]] = []
    seen: set[str] = set()
    default = survey.default_language
    for at, row in enumerate(rows):
        if row.blank():
            continue
        code, name = row.code.strip(), f"c{at}-code"
        if not CHOICE_CODE.match(code):
            problems.add(str(CODE_RULE), name)
        elif code in seen:
            problems.add(str(_l("This code is already used.")), name)
        elif code == OTHER and other:
            problems.add(str(_l("“other” is added by its tick box.")), name)
        elif question is not None and row.was and row.was != code:
            if choice_in_use(session, question, row.was):
                problems.add(str(_l("Answers hold this code: it cannot change.")), name)
        if not row.label.get(default, "").strip():
            problems.add(str(_l("A choice needs its text.")), f"c{at}-label-{default}")
        seen.add(code)
        kept.append((code, kept_texts(row.label, survey.languages)))
    if question is not None:
        for choice in question.choices:
            gone = choice.code not in seen and choice.code != OTHER
            if gone and choice_in_use(session, question, choice.code):
                message = _l("Respondents chose %(code)s: it cannot be removed.", code=choice.code)
                problems.add(str(message))
                problems.conflict = True
    return kept


def set_choices(
    session: Session, survey: Survey, question: Question, kept: list[tuple[str, dict[str, str]]]
) -> None:
    """Replace the question's choices with ``kept`` ("other" last while its box is ticked).

    Choices are only referred to by their codes (answers hold codes), so the rows are made
    anew; the old rows go first, as the new ones may reuse their codes."""
    other = next((c for c in question.choices if c.code == OTHER), None)
    label = dict(other.label) if other is not None else other_label(survey.languages)
    question.choices.clear()
    session.flush()
    pairs = [*kept, (OTHER, label)] if question.settings.get("other") else kept
    question.choices.extend(
        Choice(code=code, position=at, label=texts) for at, (code, texts) in enumerate(pairs)
    )


def check_points(
    session: Session, survey: Survey, sharers: list[Question], rows: list[Row],
    problems: Problems,
) -> list[dict[str, str]]:  # fmt: skip
    """The points' texts in order; problems by row field. ``sharers``: the questions holding
    these points now (none for a new scale of its own). Points of an answered scale may get
    new words and more points, never fewer or another order."""
    labels: list[dict[str, str]] = []
    order: list[str] = []
    default = survey.default_language
    for at, row in enumerate(rows):
        if row.blank():
            continue
        if not row.label.get(default, "").strip():
            problems.add(str(_l("A point needs its text.")), f"c{at}-label-{default}")
        labels.append(kept_texts(row.label, survey.languages))
        order.append(row.was)
    if len(labels) < 2:
        problems.add(str(_l("A scale needs at least two points.")), "choices")
    before = [c.code for c in sharers[0].choices] if sharers else []
    if order[: len(before)] != before and any(is_answered(session, q) for q in sharers):
        message = _l(
            "This scale has answers: its points can get new words and more points, but none"
            " can be removed or moved (the stored numbers would change meaning)."
        )
        problems.add(str(message), "choices")
        problems.conflict = True
    return labels


def set_points(survey: Survey, question: Question, labels: list[dict[str, str]]) -> None:
    """Points numbered 1..n with these texts, on the question and every question sharing them.

    Existing rows keep their codes and take new texts; rows are added or dropped at the end,
    so no code is ever held twice."""
    for target in sharing(survey, question):
        choices = list(target.choices)
        for choice, label in zip(choices, labels, strict=False):
            choice.label = dict(label)
        for at in range(len(choices), len(labels)):
            target.choices.append(Choice(code=str(at + 1), position=at, label=dict(labels[at])))
        for choice in choices[len(labels) :]:
            target.choices.remove(choice)


def copied_rows(survey: Survey, question: Question | None, source_code: str) -> list[Row] | None:
    """The rows of another question's list, for "copy the choices of" (None: no such list).

    A one-time copy, not a link: the rows are filled in the editor and saved with it."""
    source = next(
        (q for q in survey.questions if q.code == source_code and q is not question), None
    )
    if source is None or not source.choices:
        return None
    points = question_type(source.type).numbered_points
    return [
        Row(code="" if points else c.code, label=dict(c.label))
        for c in source.choices
        if c.code != OTHER
    ]


def copy_sources(survey: Survey, question: Question | None) -> list[Question]:
    """Questions whose choices may be copied into this one."""
    return [
        q
        for q in survey.ordered_questions()
        if q is not question and any(c.code != OTHER for c in q.choices)
    ]
