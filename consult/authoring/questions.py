"""Authoring questions: add one of a type, change its texts, code and settings, move, delete.

Like the other authoring services: flush, never commit; raise Refusal and let the view roll
back. The type's own settings are read and checked by the type (its settings_from_form and
check_settings); the rules by the definition loader's own checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from consult.authoring.answered import choice_in_use, refuse_if_answered
from consult.authoring.common import check_code, kept_texts, move, renumber
from consult.authoring.content import located, places, questions_of
from consult.problems import Problems, Refusal
from consult.surveys.checks import check_rules, check_settings, other_label
from consult.surveys.models import Choice, DefinitionError, Question, Section, Survey
from consult.surveys.questions import TYPES, question_type
from consult.surveys.questions.choice import OTHER


def add_question(
    session: Session, survey: Survey, section: Section, type_name: str, code: str,
    label: dict[str, str],
) -> Question:  # fmt: skip
    problems = Problems()
    qtype = TYPES.get(type_name)
    if qtype is None:
        problems.add(str(_l("Choose a type.")), "type")
    problems.check(lambda: check_code(code, {q.code for q in survey.questions}), None)
    if not label.get(survey.default_language, "").strip():
        problems.add(str(_l("A question needs its text.")), f"label-{survey.default_language}")
    mine = questions_of(survey, section)
    matrix = bool(mine and mine[0].settings.get("matrix"))
    if matrix and qtype is not None and not qtype.numbered_points:
        problems.add(str(_l("A table-list page holds only scale questions.")), "type")
    problems.raise_any()
    assert qtype is not None  # noqa: S101 - refused above otherwise
    question = Question(
        code=code, type=type_name, role=None, required=qtype.always_required,
        label=kept_texts(label, survey.languages), hint={}, settings={}, position=len(mine),
    )  # fmt: skip
    question.section = section
    if qtype.numbered_points:
        question.choices = _starting_points(survey, mine[0] if matrix else None)
        if matrix:
            question.settings = {"matrix": True}
    survey.questions.append(question)
    session.flush()
    return question


def _starting_points(survey: Survey, matrix: Question | None) -> list[Choice]:
    """A new scale's points: the page's matrix's, else the last scale's, else five plain ones."""
    scales = [q for q in survey.ordered_questions() if question_type(q.type).numbered_points]
    source = matrix or (scales[-1] if scales else None)
    if source is not None:
        points = [(c.code, dict(c.label)) for c in source.choices]
    else:
        points = [(str(n), {survey.default_language: str(n)}) for n in range(1, 6)]
    return [Choice(code=c, position=i, label=lab) for i, (c, lab) in enumerate(points)]


@dataclass
class QuestionInput:
    """What the question form posted, as typed (strings); parsed and checked here."""

    code: str
    required: bool
    label: dict[str, str]
    hint: dict[str, str]
    recommendation: str = ""
    # The type's own inputs (QuestionType.setting_inputs), as typed.
    settings: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    default: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    required_message: dict[str, str] = field(default_factory=dict)


def update_question(
    session: Session, survey: Survey, question: Question, data: QuestionInput
) -> None:
    problems = Problems()
    if data.code != question.code:
        problems.check(lambda: _check_new_code(session, survey, question, data.code), None)
    if not data.label.get(survey.default_language, "").strip():
        problems.add(str(_l("A question needs its text.")), f"label-{survey.default_language}")
    recommendation = None
    if data.recommendation:
        recommendation = next(
            (r for r in survey.recommendations if r.code == data.recommendation), None
        )
        if recommendation is None:
            message = str(_l("Choose one of the survey's recommendations."))
            problems.add(message, "recommendation")
    settings = _settings(survey, question, data, problems)
    problems.raise_any()
    had_other = bool(question.settings.get("other"))
    question.code = data.code
    question.required = data.required
    question.label = kept_texts(data.label, survey.languages)
    question.hint = kept_texts(data.hint, survey.languages)
    question.recommendation = recommendation
    question.settings = settings
    try:
        check_settings(question, f"@{question.code}")
        check_rules(survey.questions, places(survey))
        flag_modified(question, "settings")  # check_settings may normalise in place
    except DefinitionError as error:
        name, text = located(error, question)
        raise Refusal.fields({name or "relevant": text}) from None
    _keep_other_choice(session, survey, question, had_other)
    session.flush()


def _check_new_code(session: Session, survey: Survey, question: Question, code: str) -> None:
    try:
        check_code(code, {q.code for q in survey.questions if q is not question})
        refuse_if_answered(session, question, str(_l("Change the code")))
    except Refusal as error:
        raise Refusal.fields({"code": error.by_field().get("code") or str(error)}) from None


def _settings(
    survey: Survey, question: Question, data: QuestionInput, problems: Problems
) -> dict[str, Any]:
    """The type's settings from its inputs, then the rules and messages every type has."""
    settings = question_type(question.type).settings_from_form(data.settings, problems)
    if question.settings.get("matrix"):
        settings["matrix"] = True
    for name in ("relevant", "constraint", "default"):
        if getattr(data, name).strip():
            settings[name] = getattr(data, name).strip()
    for name in ("constraint_message", "required_message"):
        texts = kept_texts(getattr(data, name), survey.languages)
        if texts:
            settings[name] = texts
    return settings


def _keep_other_choice(
    session: Session, survey: Survey, question: Question, had_other: bool
) -> None:
    """Add or drop the "other" choice as the setting changed (kept once chosen)."""
    if question.settings.get("other") and not had_other:
        if not any(c.code == OTHER for c in question.choices):
            question.choices.append(
                Choice(code=OTHER, position=len(question.choices),
                       label=other_label(survey.languages))
            )  # fmt: skip
    elif had_other and not question.settings.get("other"):
        if choice_in_use(session, question, OTHER):
            raise Refusal.fields(
                {"other": str(_l("Respondents chose \u201cother\u201d: it stays."))}
            )
        question.choices = [c for c in question.choices if c.code != OTHER]
        renumber(question.choices)


def move_question(session: Session, survey: Survey, question: Question, step: int) -> None:
    moved = move(questions_of(survey, question.section), question, step)
    renumber(moved)
    session.flush()


def remove_question(survey: Survey, question: Question) -> None:
    """Take the question out of the survey, unless other questions' rules refer to it."""
    others = [q for q in survey.questions if q is not question]
    try:
        check_rules(others, places(survey))
    except DefinitionError as error:
        why = located(error, None)[1]
        raise Refusal.conflicting(
            str(_l("Other rules refer to this question: %(why)s", why=why))
        ) from None
    survey.questions.remove(question)


def delete_question(session: Session, survey: Survey, question: Question) -> None:
    refuse_if_answered(session, question, str(_l("Delete")))
    section = question.section
    remove_question(survey, question)
    renumber(questions_of(survey, section))
    session.flush()
