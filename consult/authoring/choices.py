"""Authoring a question's choices: add, edit, reorder, delete, and copy another question's list.

Like every authoring service: flush, never commit; raise Refusal and let the view roll back.
A table-list page (the scale matrix) shares its points: a change to the points of one of its
questions is made on every question of the page. "Copy choices from" copies once: it is a copy,
not a link (see docs/architecture.md, Authoring).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring.answered import choice_in_use, refuse_if_answered
from consult.authoring.common import check_code, kept_texts, move, renumber
from consult.authoring.content import questions_of
from consult.problems import Refusal
from consult.surveys.checks import other_label
from consult.surveys.codes import CHOICE_CODE
from consult.surveys.models import Choice, Question, Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.choice import OTHER


def points(question: Question) -> bool:
    """Whether the question's options are numbered points (a scale), not free choices."""
    return question_type(question.type).numbered_points


def _sharing(survey: Survey, question: Question) -> list[Question]:
    """The questions whose choices change together: a matrix page's scales, else just this."""
    if question.settings.get("matrix"):
        return questions_of(survey, question.section)
    return [question]


def _scale_points(question: Question, labels: list[dict[str, str]]) -> None:
    """Scale points are numbered 1, 2, 3 … in order (their codes are their values): changing
    the points changes labels and adds or drops the last point, never renumbers a row (which
    would collide with the unique code of a row not yet deleted)."""
    choices = list(question.choices)
    for choice, label in zip(choices, labels, strict=False):
        choice.label = label
    for position in range(len(choices), len(labels)):
        question.choices.append(
            Choice(code=str(position + 1), position=position, label=labels[position])
        )
    for choice in choices[len(labels) :]:
        question.choices.remove(choice)


def add_choice(
    session: Session, survey: Survey, question: Question, code: str, label: dict[str, str]
) -> None:
    if not question_type(question.type).has_choices:
        raise Refusal.conflicting(str(_l("This type of question has no choices.")))
    errors: dict[str, str] = {}
    if not points(question):
        try:
            check_code(code, {c.code for c in question.choices}, CHOICE_CODE)
        except Refusal as error:
            errors["choice-code"] = error.by_field().get("code") or str(error)
    if not label.get(survey.default_language, "").strip():
        errors[f"choice-label-{survey.default_language}"] = str(_l("A choice needs its text."))
    if errors:
        raise Refusal.fields(errors)
    for target in _sharing(survey, question):
        texts = kept_texts(label, survey.languages)
        if points(target):
            _scale_points(target, [*(c.label for c in target.choices), texts])
            continue
        choices = [c for c in target.choices if c.code != OTHER]
        other = [c for c in target.choices if c.code == OTHER]
        target.choices = [*choices, Choice(code=code, position=0, label=texts), *other]
        renumber(target.choices)  # "other" stays last
    session.flush()


def update_choice(
    session: Session, survey: Survey, question: Question, choice: Choice, code: str,
    label: dict[str, str],
) -> None:  # fmt: skip
    errors: dict[str, str] = {}
    if not points(question) and code != choice.code:
        try:
            check_code(code, {c.code for c in question.choices if c is not choice}, CHOICE_CODE)
            if choice.code == OTHER or choice_in_use(session, question, choice.code):
                raise Refusal.conflicting(str(_l("Answers hold this code: it cannot change.")))
        except Refusal as error:
            errors["choice-code"] = error.by_field().get("code") or str(error)
    if not label.get(survey.default_language, "").strip():
        errors[f"choice-label-{survey.default_language}"] = str(_l("A choice needs its text."))
    if errors:
        raise Refusal.fields(errors)
    at = question.choices.index(choice)
    for target in _sharing(survey, question):
        target.choices[at].label = kept_texts(label, survey.languages)
        if target is question and not points(question):
            choice.code = code
    session.flush()


def move_choice(
    session: Session, survey: Survey, question: Question, choice: Choice, step: int
) -> None:
    if points(question):
        # Moving a point changes what each stored value means.
        for target in _sharing(survey, question):
            refuse_if_answered(session, target, str(_l("Reorder scale points")))
    at = question.choices.index(choice)
    for target in _sharing(survey, question):
        _set_choices(target, move(list(target.choices), target.choices[at], step))
    session.flush()


def delete_choice(session: Session, survey: Survey, question: Question, choice: Choice) -> None:
    if points(question):
        for target in _sharing(survey, question):
            refuse_if_answered(session, target, str(_l("Delete a scale point")))
    elif choice_in_use(session, question, choice.code):
        raise Refusal.conflicting(
            str(_l("Respondents chose %(code)s: it cannot be deleted.", code=choice.code))
        )
    if choice.code == OTHER:
        raise Refusal.conflicting(str(_l("Untick \u201cother, please specify\u201d instead.")))
    at = question.choices.index(choice)
    for target in _sharing(survey, question):
        _set_choices(target, [c for i, c in enumerate(target.choices) if i != at])
    session.flush()


def _set_choices(target: Question, choices: list[Choice]) -> None:
    """Give ``target`` these choices in this order (a scale's points stay numbered 1..n)."""
    if points(target):
        _scale_points(target, [c.label for c in choices])
    else:
        target.choices = choices
        renumber(target.choices)


def copy_choices(session: Session, survey: Survey, question: Question, source_code: str) -> None:
    """Replace the choices with a copy of another question's (a one-time copy, not a link)."""
    source = next(
        (q for q in survey.questions if q.code == source_code and q is not question), None
    )
    if source is None or not source.choices:
        raise Refusal.fields({"source": str(_l("Choose a question that has choices."))})
    if not question_type(question.type).has_choices:
        raise Refusal.conflicting(str(_l("This type of question has no choices.")))
    refuse_if_answered(session, question, str(_l("Replace the choices")))
    if question.settings.get("matrix"):
        raise Refusal.conflicting(
            str(_l("The points of a table-list page are edited on its questions."))
        )
    keep_other = bool(question.settings.get("other"))
    labels = [dict(c.label) for c in source.choices if c.code != OTHER]
    if points(question):
        _scale_points(question, labels)
        session.flush()
        return
    codes = [c.code for c in source.choices if c.code != OTHER]
    if keep_other:
        codes.append(OTHER)
        labels.append(other_label(survey.languages))
    question.choices.clear()
    session.flush()  # the old rows go first: the copies may reuse their codes
    question.choices.extend(
        Choice(code=code, position=i, label=label)
        for i, (code, label) in enumerate(zip(codes, labels, strict=True))
    )
    session.flush()
