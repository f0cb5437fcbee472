"""Loading a survey with its whole content in a few queries."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from consult import db
from consult.surveys.models import Question, Section, Survey


def with_content(stmt: Select[Any]) -> Select[Any]:
    """Eager-load sections, questions, choices, groups and recommendations."""
    return stmt.options(
        selectinload(Survey.sections)
        .selectinload(Section.questions)
        .selectinload(Question.choices),
        selectinload(Survey.questions).selectinload(Question.choices),
        selectinload(Survey.questions).selectinload(Question.recommendation),
        selectinload(Survey.groups),
        selectinload(Survey.recommendations),
    )


def survey_by_slug(session: Session, slug: str) -> Survey | None:
    """A session-bound survey with its content loaded (for organizers' pages)."""
    return session.scalar(with_content(select(Survey).where(Survey.slug == slug)))


def command_survey(slug: str) -> Survey:
    """The survey a command names, or the command stops with a message saying so."""
    survey = db.session().scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        raise click.ClickException(f"No survey with the slug {slug!r}.")
    return survey
