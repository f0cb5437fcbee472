"""A survey and its content: sections, questions, choices, recommendations, stakeholder groups.

Translatable text is stored as a ``{language code: text}`` mapping (``I18n``), so a survey can
carry any number of languages without a schema change.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from consult.db import Base, utcnow
from consult.problems import Problem, Refusal

# {language code: text}
I18n = dict[str, str]


# Dates in Survey.settings (ISO yyyy-mm-dd): answers are taken from opens_on to closes_on.
OPENS, CLOSES = "opens_on", "closes_on"
# Booleans in Survey.settings, off unless set: the public page (/p/<slug>) is shown, and the
# starred comments are approved for it.
PUBLIC_PAGE, PUBLIC_QUOTES = "public_page", "public_quotes"


class SurveyState(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class SurveyStateError(ValueError):
    """An invalid lifecycle transition (e.g. reopening a draft that was never opened)."""


class DefinitionError(Refusal):
    """A definition that is not a valid survey: where (``sections[2].questions[1]`` in a file,
    ``@code`` in the builder), which key, and why. Reads "where.key: why"."""

    def __init__(self, where: str, message: str, key: str | None = None) -> None:
        self.place, self.key, self.text = where, key, message
        located = f"{where}.{key}" if key else where
        super().__init__([Problem(message, field=key, where=located)])


class Survey(Base):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public identifier in every URL and CLI command.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # {lang: text} title and introduction shown to respondents.
    title: Mapped[I18n] = mapped_column(JSON)
    description: Mapped[I18n] = mapped_column(JSON, default=dict)
    # {lang: text} shown on the thank-you page.
    thanks: Mapped[I18n] = mapped_column(JSON, default=dict)
    # Language codes the content is written in, the first being the default.
    languages: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[SurveyState] = mapped_column(String(10), default=SurveyState.draft)
    # Anonymous surveys keep no trace that could identify a respondent (docs/privacy.md).
    anonymous: Mapped[bool] = mapped_column(default=True)
    # Smallest group size shown in summaries (small-cell suppression).
    k_min: Mapped[int] = mapped_column(default=5)
    # Further per-survey settings (e.g. consensus thresholds), so they need no migration each.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped whenever the survey or anything in it changes (see track_versions), so caches of
    # its content know when to reload.
    version: Mapped[int] = mapped_column(default=1)
    # The earlier survey this one repeats (a new wave: the same question codes asked again
    # later, analysis/waves.py compares them); None for a survey that stands alone.
    previous_wave_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey.id", ondelete="SET NULL"), index=True
    )

    sections: Mapped[list[Section]] = relationship(
        back_populates="survey", order_by="Section.position", cascade="all, delete-orphan"
    )
    # Unordered: use ordered_questions() for the respondent's order (section, then position).
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", cascade="all, delete-orphan"
    )
    groups: Mapped[list[StakeholderGroup]] = relationship(
        back_populates="survey", order_by="StakeholderGroup.position", cascade="all, delete-orphan"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="survey", order_by="Recommendation.position", cascade="all, delete-orphan"
    )

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def is_open(self) -> bool:
        return self.state == SurveyState.open

    def open(self) -> None:
        if self.state == SurveyState.open:
            raise SurveyStateError("The survey is already open.")
        self.state = SurveyState.open

    def close(self) -> None:
        if self.state != SurveyState.open:
            raise SurveyStateError("Only an open survey can be closed.")
        self.state = SurveyState.closed

    def accepting_answers(self, today: date | None = None) -> bool:
        """Open, and within its optional opening and closing dates (both days included)."""
        if not self.is_open:
            return False
        day = (today or date.today()).isoformat()
        opens, closes = self.settings.get(OPENS), self.settings.get(CLOSES)
        return not ((opens and day < opens) or (closes and day > closes))

    def text(self, value: I18n | None, lang: str) -> str:
        """``value`` in ``lang``, falling back to the survey's default language."""
        if not value:
            return ""
        return value.get(lang) or value.get(self.default_language) or next(iter(value.values()))

    def ordered_questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]


class Section(Base):
    """A page or part of a survey; a recommendation's section tags all its questions."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    title: Mapped[I18n] = mapped_column(JSON, default=dict)
    intro: Mapped[I18n] = mapped_column(JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position", viewonly=True
    )


class Recommendation(Base):
    """A policy recommendation the consultation asks about; questions are tagged with one."""

    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    label: Mapped[I18n] = mapped_column(JSON)
    description: Mapped[I18n] = mapped_column(JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="recommendations")


class StakeholderGroup(Base):
    """A group of stakeholders whose views are reported side by side (media, academia, ...)."""

    __tablename__ = "stakeholder_group"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    label: Mapped[I18n] = mapped_column(JSON)
    # How many responses the organizers aim for (shown as progress), and a hard cap after which
    # the group's link politely closes. Both optional.
    target: Mapped[int | None]
    quota: Mapped[int | None]

    survey: Mapped[Survey] = relationship(back_populates="groups")


class QuestionRole(enum.StrEnum):
    """What a question feeds besides its own answer."""

    # The answer is the respondent's stakeholder group; choices are the survey's groups.
    group = "group"
    # The answer is the province or region, kept on the response for monitoring.
    region = "region"
    # The items to rank are the survey's recommendations.
    recommendations = "recommendations"


class Question(Base):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    # Stable identifier: the export column and the form field are named after it.
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    # The name of a QuestionType class in consult.questions (single_choice, scale, ...).
    type: Mapped[str] = mapped_column(String(32))
    role: Mapped[str | None] = mapped_column(String(32))
    required: Mapped[bool] = mapped_column(default=False)
    label: Mapped[I18n] = mapped_column(JSON)
    hint: Mapped[I18n] = mapped_column(JSON, default=dict)
    # Type-specific settings: max_length, min, max, min_selections, max_selections.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL")
    )

    survey: Mapped[Survey] = relationship(back_populates="questions")
    section: Mapped[Section] = relationship(back_populates="questions")
    recommendation: Mapped[Recommendation | None] = relationship()
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )

    def options(self) -> list[tuple[str, I18n]]:
        """(code, label) of what the respondent picks from, wherever the list lives."""
        if self.role == QuestionRole.group:
            return [(g.code, g.label) for g in self.survey.groups]
        if self.role == QuestionRole.recommendations:
            return [(r.code, r.label) for r in self.survey.recommendations]
        return [(c.code, c.label) for c in self.choices]


class Choice(Base):
    __tablename__ = "choice"
    __table_args__ = (UniqueConstraint("question_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    # Stored in answers and written to exports with --codes.
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    label: Mapped[I18n] = mapped_column(JSON)

    question: Mapped[Question] = relationship(back_populates="choices")


def _owning_survey(obj: object) -> Survey | None:
    if isinstance(obj, Survey):
        return obj
    if isinstance(obj, Choice):
        return obj.question.survey if obj.question is not None else None
    if isinstance(obj, Section | Question | Recommendation | StakeholderGroup):
        return obj.survey
    return None


@event.listens_for(Session, "before_flush")
def track_versions(session: Session, _context: object, _instances: object) -> None:
    """Bump ``Survey.version`` once per flush that changes the survey or its content."""
    bumped: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        survey = _owning_survey(obj)
        if survey is None or id(survey) in bumped or survey in session.new:
            continue
        bumped.add(id(survey))
        survey.version = (survey.version or 1) + 1
