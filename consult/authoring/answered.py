"""What has been answered already: the checks that keep stored answers from being orphaned."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from consult.collection.models import Answer, Draft, Invitation, Response
from consult.problems import Refusal
from consult.surveys.models import Question, StakeholderGroup, Survey


def has_responses(session: Session, survey: Survey) -> bool:
    return bool(session.scalar(select(exists().where(Response.survey_id == survey.id))))


def is_answered(session: Session, question: Question) -> bool:
    if question.id is None:
        return False
    return bool(session.scalar(select(exists().where(Answer.question_id == question.id))))


def choice_in_use(session: Session, question: Question, code: str) -> bool:
    """Whether any stored answer holds the choice ``code`` (values are codes, space-separated,
    with an "other" text after a line break)."""
    if question.id is None:
        return False
    values = session.scalars(select(Answer.value).where(Answer.question_id == question.id))
    return any(code in value.partition("\n")[0].split() for value in values)


def group_in_use(session: Session, group: StakeholderGroup) -> bool:
    """Whether responses, invitations or saved drafts belong to the stakeholder group (its link
    and its code are then part of what is stored)."""
    if group.id is None:
        return False
    return any(
        session.scalar(select(exists().where(model.group_id == group.id)))
        for model in (Response, Invitation, Draft)
    )


def refuse_if_answered(session: Session, question: Question, what: str) -> None:
    if is_answered(session, question):
        raise Refusal.conflicting(
            str(
                _l(
                    "%(what)s: question %(code)s already has answers, and they would be lost"
                    " or misread. Text edits are still possible.",
                    what=what,
                    code=question.code,
                )
            )
        )
