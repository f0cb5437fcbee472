"""A scale matrix: a page of statements rated on one scale, shown as one table (a table-list
page of scale questions sharing their points), made or changed in one save.

Each statement is a scale question (code, text in every language, its recommendation), so it
counts in the recommendation × stakeholder-group matrix like any scale. Flush, never commit;
every problem at once, beside its row's field (``s<row>-code`` for statements, ``c<row>-…``
for points, as in the question editor).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring import choices
from consult.authoring.answered import is_answered
from consult.authoring.common import Row, check_code, kept_texts, recode, renumber
from consult.authoring.content import questions_of
from consult.authoring.questions import remove_question
from consult.problems import Problems, Refusal
from consult.surveys.models import Question, Recommendation, Section, Survey
from consult.surveys.questions import TYPES

# The type of a matrix's statements: the one whose options are numbered points.
SCALE = next(t for t in TYPES.values() if t.numbered_points)


@dataclass
class MatrixInput:
    code: str
    title: dict[str, str]
    intro: dict[str, str] = field(default_factory=dict)
    points: list[Row] = field(default_factory=list)
    statements: list[Row] = field(default_factory=list)
    # Every statement must be answered.
    required: bool = False


@dataclass
class _Statement:
    code: str
    question: Question | None
    label: dict[str, str]
    recommendation: Recommendation | None


def statement_rows(survey: Survey, section: Section) -> list[Row]:
    return [
        Row(code=q.code, was=q.code, label=dict(q.label),
            recommendation=q.recommendation.code if q.recommendation else "")
        for q in questions_of(survey, section)
    ]  # fmt: skip


def save_matrix(
    session: Session, survey: Survey, data: MatrixInput, section: Section | None = None
) -> Section:
    """Make (``section`` None) or change a scale matrix page from ``data``."""
    problems = Problems()
    taken = {s.code for s in survey.sections if s is not section}
    if section is None or data.code != section.code:
        problems.check(lambda: check_code(data.code, taken), None)
    mine = questions_of(survey, section) if section is not None else []
    labels = choices.check_points(session, survey, mine, data.points, problems)
    statements = _statements(session, survey, mine, data.statements, problems)
    problems.raise_any()
    if section is None:
        section = Section(code=data.code, position=len(survey.sections), title={}, intro={})
        survey.sections.append(section)
    section.code = data.code
    section.title = kept_texts(data.title, survey.languages)
    section.intro = kept_texts(data.intro, survey.languages)
    kept = [s.question for s in statements if s.question is not None]
    for question in [q for q in mine if q not in kept]:
        remove_question(survey, question)
    session.flush()  # the dropped go first: a new statement may take one of their codes
    recode(session, kept, [s.code for s in statements if s.question is not None])
    for position, item in enumerate(statements):
        question = item.question or _new_statement(survey, section, item.code)
        question.position, question.label = position, item.label
        question.recommendation, question.required = item.recommendation, data.required
    renumber(questions_of(survey, section))
    choices.set_points(survey, questions_of(survey, section)[0], labels)
    session.flush()
    return section


def _new_statement(survey: Survey, section: Section, code: str) -> Question:
    question = Question(
        code=code, type=SCALE.name, role=None, required=False, label={}, hint={},
        settings={"matrix": True}, position=0,
    )  # fmt: skip
    question.section = section
    survey.questions.append(question)
    return question


def _statements(
    session: Session, survey: Survey, mine: list[Question], rows: list[Row], problems: Problems
) -> list[_Statement]:
    found: list[_Statement] = []
    by_code = {q.code: q for q in mine}
    others = {q.code for q in survey.questions if q not in mine}
    default = survey.default_language
    for at, row in enumerate(rows):
        if row.blank():
            continue
        code, own = row.code.strip(), by_code.get(row.was)
        try:
            check_code(code, others | {s.code for s in found})
            if own is not None and code != own.code and is_answered(session, own):
                raise Refusal.fields({"code": str(_l("Answers hold this code: it stays."))})
        except Refusal as error:
            problems.add(error.by_field().get("code") or str(error), f"s{at}-code")
        if not row.label.get(default, "").strip():
            problems.add(str(_l("A statement needs its text.")), f"s{at}-label-{default}")
        rec = next((r for r in survey.recommendations if r.code == row.recommendation), None)
        if row.recommendation and rec is None:
            message = str(_l("Choose one of the survey's recommendations."))
            problems.add(message, f"s{at}-recommendation")
        found.append(_Statement(code, own, kept_texts(row.label, survey.languages), rec))
    kept = {s.question for s in found}
    for question in mine:
        if question not in kept and is_answered(session, question):
            message = _l("Statement %(code)s has answers: it stays.", code=question.code)
            problems.add(str(message))
            problems.conflict = True
    if not found:
        problems.add(str(_l("Give at least one statement.")), "statements")
    return found
