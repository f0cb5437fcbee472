"""Authoring questions: the editor's one save (a new question or a changed one, with its texts
in every language, settings, rules, role and list), move, delete.

Like the other authoring services: flush, never commit; every problem is collected (beside its
field, or its row's field) and raised together as one Refusal before anything changes, and the
view rolls back. The type's own settings are read and checked by the type (settings_from_form,
check_settings); the rules by the definition loader's own checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from consult.authoring import choices, groups
from consult.authoring.answered import choice_in_use, refuse_if_answered
from consult.authoring.common import Row, check_code, kept_texts, move, renumber
from consult.authoring.conditions import RelevanceInput, relevance
from consult.authoring.content import located, places, questions_of
from consult.problems import Problems, Refusal
from consult.surveys.checks import check_rules, check_settings
from consult.surveys.models import (
    DefinitionError,
    Question,
    QuestionRole,
    Recommendation,
    Section,
    Survey,
)
from consult.surveys.questions import TYPES, QuestionType, question_type
from consult.surveys.questions.choice import OTHER


@dataclass
class NewQuestion:
    """Where a new question goes, and its type (a question's type never changes after)."""

    section: Section
    type_name: str


@dataclass
class QuestionInput:
    """What the question editor posted, as typed (strings); parsed and checked here."""

    code: str
    required: bool
    label: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    recommendation: str = ""
    # The type's own inputs (QuestionType.setting_inputs), as typed.
    settings: dict[str, str] = field(default_factory=dict)
    # The relevance as typed; used when ``conditions`` is None.
    relevant: str = ""
    constraint: str = ""
    default: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    required_message: dict[str, str] = field(default_factory=dict)
    # What the question stands for (a QuestionRole value, "" for none; None: unchanged).
    role: str | None = None
    # The rows of its list (choices, points or groups) in order; None: the list is unchanged.
    rows: list[Row] | None = None
    # The condition editor (None: ``relevant`` as typed).
    conditions: RelevanceInput | None = None


@dataclass
class _Lists:
    """The checked list, waiting for the save: exactly one kind is set, or none."""

    role_before: str | None
    groups: list[groups.GroupItem] | None = None
    points: list[dict[str, str]] | None = None
    choices: list[tuple[str, dict[str, str]]] | None = None
    region_targets: dict[str, int] | None = None


def save_question(
    session: Session, survey: Survey, data: QuestionInput, question: Question | None = None,
    new: NewQuestion | None = None,
) -> Question:  # fmt: skip
    """Create (``new``) or change ``question`` from ``data``: everything or nothing."""
    problems = Problems()
    qtype = _type(survey, question, new, problems)
    problems.check(lambda: _check_code(session, survey, question, data.code), None)
    if not data.label.get(survey.default_language, "").strip():
        problems.add(str(_l("A question needs its text.")), f"label-{survey.default_language}")
    recommendation = _recommendation(survey, data.recommendation, problems)
    role_before = question.role if question is not None else None
    role = role_before
    if data.role is not None:
        role = groups.check_role(session, survey, question, qtype, data.role, problems)
    expression = data.relevant.strip()
    if data.conditions is not None:
        expression = relevance(survey, question, data.conditions, problems)
    matrix = _in_matrix(survey, question, new)
    settings = _settings(survey, qtype, data, expression, matrix, problems)
    lists = _check_lists(session, survey, question, new, qtype, role, settings, data, problems)
    problems.raise_any()
    if question is None:
        assert new is not None  # noqa: S101 - a new question always has its place
        question = _created(survey, new, qtype, data.code)
    question.code = data.code
    question.required = data.required or qtype.always_required
    question.label = kept_texts(data.label, survey.languages)
    question.hint = kept_texts(data.hint, survey.languages)
    question.recommendation = recommendation
    question.settings = settings
    question.role = role
    _save_lists(session, survey, question, lists)
    try:
        check_settings(question, f"@{question.code}")
        check_rules(survey.questions, places(survey))
        flag_modified(question, "settings")  # check_settings may normalise in place
    except DefinitionError as error:
        name, text = located(error, question)
        raise Refusal.fields({name or "relevant": text}) from None
    session.flush()
    return question


def _type(
    survey: Survey, question: Question | None, new: NewQuestion | None, problems: Problems
) -> QuestionType:
    if question is not None:
        return question_type(question.type)
    assert new is not None  # noqa: S101 - either a question or a new one
    qtype = TYPES.get(new.type_name)
    if qtype is None or not qtype.offered:
        problems.add(str(_l("Choose a type.")), "type")
        problems.raise_any()
    assert qtype is not None  # noqa: S101 - refused above otherwise
    if _in_matrix(survey, None, new) and not qtype.numbered_points:
        problems.add(str(_l("A table-list page holds only scale questions.")), "type")
    return qtype


def _in_matrix(survey: Survey, question: Question | None, new: NewQuestion | None) -> bool:
    if question is not None:
        return bool(question.settings.get("matrix"))
    mine = questions_of(survey, new.section) if new is not None else []
    return bool(mine and mine[0].settings.get("matrix"))


def _created(survey: Survey, new: NewQuestion, qtype: QuestionType, code: str) -> Question:
    question = Question(
        code=code, type=qtype.name, role=None, required=qtype.always_required, label={},
        hint={}, settings={}, position=len(questions_of(survey, new.section)),
    )  # fmt: skip
    question.section = new.section
    survey.questions.append(question)
    return question


def _check_code(session: Session, survey: Survey, question: Question | None, code: str) -> None:
    if question is not None and code == question.code:
        return
    try:
        check_code(code, {q.code for q in survey.questions if q is not question})
        if question is not None:
            refuse_if_answered(session, question, str(_l("Change the code")))
    except Refusal as error:
        raise Refusal.fields({"code": error.by_field().get("code") or str(error)}) from None


def _recommendation(survey: Survey, code: str, problems: Problems) -> Recommendation | None:
    if not code:
        return None
    found = next((r for r in survey.recommendations if r.code == code), None)
    if found is None:
        problems.add(str(_l("Choose one of the survey's recommendations.")), "recommendation")
    return found


def _settings(
    survey: Survey, qtype: QuestionType, data: QuestionInput, relevant: str, matrix: bool,
    problems: Problems,
) -> dict[str, Any]:  # fmt: skip
    """The type's settings from its inputs, then the rules and messages every type has."""
    settings = qtype.settings_from_form(data.settings, problems)
    if matrix:
        settings["matrix"] = True
    rules = {"relevant": relevant, "constraint": data.constraint, "default": data.default}
    settings |= {name: value.strip() for name, value in rules.items() if value.strip()}
    for name in ("constraint_message", "required_message"):
        texts = kept_texts(getattr(data, name), survey.languages)
        if texts:
            settings[name] = texts
    return settings


def _check_lists(
    session: Session, survey: Survey, question: Question | None, new: NewQuestion | None,
    qtype: QuestionType, role: str | None, settings: dict[str, Any], data: QuestionInput,
    problems: Problems,
) -> _Lists:  # fmt: skip
    before = question.role if question is not None else None
    lists = _Lists(before)
    if before == QuestionRole.group and role != QuestionRole.group:
        groups.check_dropped(session, list(survey.groups), problems)
    if not qtype.has_choices or role == QuestionRole.recommendations:
        return lists
    rows = data.rows if data.rows is not None else _current_rows(survey, question)
    if role == QuestionRole.group:
        if settings.get("other"):
            problems.add(str(_l("The stakeholder-group question has no “other”.")), "other")
        lists.groups = groups.check_groups(session, survey, rows, problems)
    elif qtype.numbered_points:
        sharers = choices.sharing(survey, question) if question is not None else []
        if new is not None and settings.get("matrix"):
            sharers = questions_of(survey, new.section)
        lists.points = choices.check_points(session, survey, sharers, rows, problems)
    else:
        other = bool(settings.get("other"))
        lists.choices = choices.check_choices(session, survey, question, rows, other, problems)
        if question is not None and not other and choice_in_use(session, question, OTHER):
            problems.add(str(_l("Respondents chose \u201cother\u201d: it stays.")), "other")
        if role == QuestionRole.region:
            lists.region_targets = groups.region_targets(rows, problems)
    return lists


def _current_rows(survey: Survey, question: Question | None) -> list[Row]:
    if question is None:
        return []
    if question.role == QuestionRole.group:
        return groups.group_rows(survey)
    return choices.rows_of(question)


def _save_lists(session: Session, survey: Survey, question: Question, lists: _Lists) -> None:
    if lists.role_before == QuestionRole.group and question.role != QuestionRole.group:
        groups.drop_groups(session, survey)
    if lists.role_before == QuestionRole.region and question.role != QuestionRole.region:
        groups.set_region_targets(survey, None)
    if lists.groups is not None:
        question.choices.clear()
        groups.set_groups(session, survey, lists.groups)
    elif lists.points is not None:
        choices.set_points(survey, question, lists.points)
    elif lists.choices is not None:
        choices.set_choices(session, survey, question, lists.choices)
    if lists.region_targets is not None:
        groups.set_region_targets(survey, lists.region_targets)
    if question.role == QuestionRole.recommendations:
        question.choices.clear()


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
    if question.role == QuestionRole.group:
        groups.check_dropped(session, list(survey.groups), problems := Problems())
        problems.raise_any()
        groups.drop_groups(session, survey)
    if question.role == QuestionRole.region:
        groups.set_region_targets(survey, None)
    section = question.section
    remove_question(survey, question)
    renumber(questions_of(survey, section))
    session.flush()
