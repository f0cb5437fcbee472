"""Authoring a survey's content: sections (pages), questions and their choices.

Like authoring.py: flush, never commit; raise Invalid (bad input, by field) or Refused (the
change would harm stored answers) and let the view roll back. Rules are checked with the
definition loader's own checks (rules.check_settings, check_rules, check_matrix).
Choices are in authoring_choices.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from consult.authoring.answered import choice_in_use, has_responses, refuse_if_answered
from consult.authoring.common import Invalid, Refused, check_code, kept_texts, move, renumber
from consult.surveys.checks import (
    CHOICE_TYPES,
    DefinitionError,
    check_matrix,
    check_rules,
    check_settings,
    other_label,
)
from consult.surveys.models import Choice, Question, Recommendation, Section, Survey
from consult.surveys.questions import TYPES
from consult.surveys.questions.choice import OTHER

# A DefinitionError from the loader's checks, raised with where = "@<code>".
_WHERE = re.compile(r"^@([^.:]+)(?:\.([a-z_]+))?: (.*)$", re.DOTALL)
WITH_CHOICES = ("single_choice", "multiple_choice", "ranking", "scale")
BUILDER_TYPES = tuple(TYPES)


def questions_of(survey: Survey, section: Section) -> list[Question]:
    """A section's questions in order, including those added in this request (Section.questions
    is a view-only relationship, loaded once)."""
    return sorted((q for q in survey.questions if q.section is section), key=lambda q: q.position)


def _places(survey: Survey) -> dict[str, str]:
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
        if question.type in WITH_CHOICES and not question.role and not question.choices:
            problems.append(str(_l("Question %(code)s has no choices yet.", code=question.code)))
    try:
        check_rules(survey.questions, _places(survey))
    except DefinitionError as error:
        problems.append(_message(error, None)[1])
    return problems


def _message(error: DefinitionError, question: Question | None) -> tuple[str, str]:
    """(field, message) from a loader error: the field the message belongs beside."""
    match = _WHERE.match(str(error))
    if match is None:
        return "", str(error)
    code, key, text = match.groups()
    if question is not None and code != question.code:
        text = str(_l("In question %(code)s: %(text)s", code=code, text=text))
    return key or "", text


# ---------------------------------------------------------------- sections


def add_section(session: Session, survey: Survey, code: str) -> Section:
    check_code(code, {s.code for s in survey.sections})
    section = Section(code=code, position=len(survey.sections), title={}, intro={})
    survey.sections.append(section)
    session.flush()
    return section


def update_section(
    session: Session, survey: Survey, section: Section, title: dict[str, str],
    intro: dict[str, str], appearance: str,
) -> None:  # fmt: skip
    section.title = kept_texts(title, survey.languages)
    section.intro = kept_texts(intro, survey.languages)
    mine = questions_of(survey, section)
    for question in mine:
        settings = {k: v for k, v in question.settings.items() if k != "matrix"}
        question.settings = settings
    if appearance == "table-list":
        try:
            check_matrix(mine, section.code)  # sets settings["matrix"] on each
        except DefinitionError as error:
            raise Invalid({"appearance": str(error).split(": ", 1)[-1]}) from None
    for question in mine:
        flag_modified(question, "settings")  # check_matrix sets "matrix" in place
    session.flush()


def move_section(session: Session, survey: Survey, section: Section, step: int) -> None:
    moved = move(list(survey.sections), section, step)
    renumber(moved)
    session.flush()


def delete_section(session: Session, survey: Survey, section: Section) -> None:
    for question in questions_of(survey, section):
        refuse_if_answered(session, question, str(_l("Delete page")))
    if len(survey.sections) == 1:
        raise Refused(str(_l("A survey keeps at least one page.")))
    for question in questions_of(survey, section):
        _remove_question(survey, question)
    survey.sections.remove(section)
    renumber(list(survey.sections))
    session.flush()


# ---------------------------------------------------------------- questions


def add_question(
    session: Session, survey: Survey, section: Section, type_name: str, code: str,
    label: dict[str, str],
) -> Question:  # fmt: skip
    errors = {}
    if type_name not in TYPES:
        errors["type"] = str(_l("Choose a type."))
    try:
        check_code(code, {q.code for q in survey.questions})
    except Invalid as error:
        errors |= error.errors
    if not label.get(survey.default_language, "").strip():
        errors[f"label-{survey.default_language}"] = str(_l("A question needs its text."))
    mine = questions_of(survey, section)
    matrix = bool(mine and mine[0].settings.get("matrix"))
    if matrix and type_name != "scale":
        errors["type"] = str(_l("A table-list page holds only scale questions."))
    if errors:
        raise Invalid(errors)
    question = Question(
        code=code, type=type_name, role=None, required=type_name == "consent",
        label=kept_texts(label, survey.languages), hint={}, settings={}, position=len(mine),
    )  # fmt: skip
    question.section = section
    if type_name == "scale":
        # The points of the page's matrix, else of the last scale, else five plain points.
        scales = [q for q in survey.ordered_questions() if q.type == "scale"]
        source = mine[0] if matrix else (scales[-1] if scales else None)
        points = [(c.code, dict(c.label)) for c in source.choices] if source else [
            (str(n), {survey.default_language: str(n)}) for n in range(1, 6)
        ]  # fmt: skip
        question.choices = [
            Choice(code=c, position=i, label=lab) for i, (c, lab) in enumerate(points)
        ]
        if matrix:
            question.settings = {"matrix": True}
    survey.questions.append(question)
    session.flush()
    return question


@dataclass
class QuestionInput:
    """What the question form posted, as typed (strings); parsed and checked here."""

    code: str
    required: bool
    label: dict[str, str]
    hint: dict[str, str]
    recommendation: str = ""
    min: str = ""
    max: str = ""
    max_length: str = ""
    min_selections: str = ""
    max_selections: str = ""
    appearance: str = ""
    other: bool = False
    relevant: str = ""
    constraint: str = ""
    default: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    required_message: dict[str, str] = field(default_factory=dict)


def _number(value: str, name: str, kind: type, errors: dict[str, str]) -> int | float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number: int | float = kind(value)
        return number
    except ValueError:
        errors[name] = str(
            _l("A whole number, please.") if kind is int else _l("A number, please.")
        )
        return None


def _type_settings(type_name: str, data: QuestionInput, errors: dict[str, str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if type_name in ("integer", "decimal"):
        kind = int if type_name == "integer" else float
        for name in ("min", "max"):
            number = _number(getattr(data, name), name, kind, errors)
            if number is not None:
                settings[name] = number
    if type_name == "date":
        for name in ("min", "max"):
            if getattr(data, name).strip():
                settings[name] = getattr(data, name).strip()  # checked by check_settings
    if type_name in ("short_text", "long_text"):
        length = _number(data.max_length, "max_length", int, errors)
        if length is not None and length < 1:
            errors["max_length"] = str(_l("At least 1."))
        elif length is not None:
            settings["max_length"] = length
    if type_name == "multiple_choice":
        for name in ("min_selections", "max_selections"):
            number = _number(getattr(data, name), name, int, errors)
            if number is not None and number < 0:
                errors[name] = str(_l("At least 0."))
            elif number is not None:
                settings[name] = number
        low, high = settings.get("min_selections"), settings.get("max_selections")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            errors["max_selections"] = str(_l("The maximum is smaller than the minimum."))
    if ("min" in settings and "max" in settings and type_name != "date"
            and settings["min"] > settings["max"]):  # fmt: skip
        errors["max"] = str(_l("The maximum is smaller than the minimum."))
    if type_name == "single_choice" and data.appearance == "minimal":
        settings["appearance"] = "minimal"
    if type_name in CHOICE_TYPES and data.other:
        settings["other"] = True
    return settings


def update_question(
    session: Session, survey: Survey, question: Question, data: QuestionInput
) -> None:  # noqa: E501
    errors: dict[str, str] = {}
    if data.code != question.code:
        try:
            check_code(data.code, {q.code for q in survey.questions if q is not question})
            refuse_if_answered(session, question, str(_l("Change the code")))
        except Invalid as error:
            errors |= error.errors
        except Refused as error:
            errors["code"] = str(error)
    if not data.label.get(survey.default_language, "").strip():
        errors[f"label-{survey.default_language}"] = str(_l("A question needs its text."))
    recommendation = None
    if data.recommendation:
        recommendation = next(
            (r for r in survey.recommendations if r.code == data.recommendation), None
        )
        if recommendation is None:
            errors["recommendation"] = str(_l("Choose one of the survey's recommendations."))
    settings = _type_settings(question.type, data, errors)
    if question.settings.get("matrix"):
        settings["matrix"] = True
    for name in ("relevant", "constraint", "default"):
        if getattr(data, name).strip():
            settings[name] = getattr(data, name).strip()
    for name in ("constraint_message", "required_message"):
        texts = kept_texts(getattr(data, name), survey.languages)
        if texts:
            settings[name] = texts
    if errors:
        raise Invalid(errors)
    had_other = bool(question.settings.get("other"))
    question.code = data.code
    question.required = data.required
    question.label = kept_texts(data.label, survey.languages)
    question.hint = kept_texts(data.hint, survey.languages)
    question.recommendation = recommendation
    question.settings = settings
    try:
        check_settings(question, f"@{question.code}")
        check_rules(survey.questions, _places(survey))
        flag_modified(question, "settings")  # check_settings may normalise in place
    except DefinitionError as error:
        name, text = _message(error, question)
        raise Invalid({name or "relevant": text}) from None
    if settings.get("other") and not had_other:
        if not any(c.code == OTHER for c in question.choices):
            question.choices.append(
                Choice(code=OTHER, position=len(question.choices),
                       label=other_label(survey.languages))
            )  # fmt: skip
    elif had_other and not settings.get("other"):
        if choice_in_use(session, question, OTHER):
            raise Invalid({"other": str(_l("Respondents chose \u201cother\u201d: it stays."))})
        question.choices = [c for c in question.choices if c.code != OTHER]
        renumber(question.choices)
    session.flush()


def move_question(session: Session, survey: Survey, question: Question, step: int) -> None:
    moved = move(questions_of(survey, question.section), question, step)
    renumber(moved)
    session.flush()


def _remove_question(survey: Survey, question: Question) -> None:
    others = [q for q in survey.questions if q is not question]
    try:
        check_rules(others, _places(survey))
    except DefinitionError as error:
        raise Refused(
            str(_l("Other rules refer to this question: %(why)s", why=_message(error, None)[1]))
        ) from None
    survey.questions.remove(question)


def delete_question(session: Session, survey: Survey, question: Question) -> None:
    refuse_if_answered(session, question, str(_l("Delete")))
    section = question.section
    _remove_question(survey, question)
    renumber(questions_of(survey, section))
    session.flush()


# ---------------------------------------------------------------- recommendations


def add_recommendation(
    session: Session, survey: Survey, code: str, label: dict[str, str]
) -> Recommendation:
    """A recommendation questions can be tagged with (and ranking questions may rank)."""
    errors: dict[str, str] = {}
    try:
        check_code(code, {r.code for r in survey.recommendations})
    except Invalid as error:
        errors["rec-code"] = error.errors["code"]
    if not label.get(survey.default_language, "").strip():
        errors[f"rec-label-{survey.default_language}"] = str(_l("A recommendation needs its text."))
    if errors:
        raise Invalid(errors)
    recommendation = Recommendation(
        code=code,
        position=len(survey.recommendations),
        label=kept_texts(label, survey.languages),
        description={},
    )
    survey.recommendations.append(recommendation)
    session.flush()
    return recommendation


def update_recommendation(
    session: Session, survey: Survey, recommendation: Recommendation, label: dict[str, str]
) -> None:
    if not label.get(survey.default_language, "").strip():
        raise Invalid(
            {f"rec-label-{survey.default_language}": str(_l("A recommendation needs its text."))}
        )
    recommendation.label = kept_texts(label, survey.languages)
    session.flush()


def delete_recommendation(session: Session, survey: Survey, recommendation: Recommendation) -> None:
    """Refused once tagged or answered: results are reported by recommendation, and rankings of
    recommendations store their codes."""
    tagged = [q.code for q in survey.questions if q.recommendation is recommendation]
    if tagged:
        raise Refused(str(_l("Questions are tagged with it: %(codes)s.", codes=", ".join(tagged))))
    if has_responses(session, survey):
        raise Refused(str(_l("This survey has responses: its recommendations stay.")))
    survey.recommendations.remove(recommendation)
    renumber(list(survey.recommendations))
    session.flush()
