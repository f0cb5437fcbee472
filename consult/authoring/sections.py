"""Authoring pages (sections): add, change titles and appearance (a table of scales), move,
delete. Flush, never commit; raise Refusal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from consult.authoring.answered import refuse_if_answered
from consult.authoring.common import check_code, kept_texts, move, renumber
from consult.authoring.content import questions_of
from consult.authoring.questions import remove_question
from consult.problems import Refusal
from consult.surveys.checks import check_matrix
from consult.surveys.models import DefinitionError, Section, Survey


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
            raise Refusal.fields({"appearance": error.text}) from None
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
        raise Refusal.conflicting(str(_l("A survey keeps at least one page.")))
    for question in questions_of(survey, section):
        remove_question(survey, question)
    survey.sections.remove(section)
    renumber(list(survey.sections))
    session.flush()
