"""Themes, the machine's and the reviewers' assignments, one vector per distinct text, the job.

No table here holds a copy of a comment: texts stay in ``answer``; a vector is keyed by the
digest of the text it was made from, and a candidate names its typical comments by answer id.
Deleting a survey, a question or a response deletes what hangs from it here (ON DELETE CASCADE).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base, utcnow
from consult.surveys.models import I18n, Question, Recommendation, Survey


class Theme(Base):
    """What analysts look for in the comments on one question, or on every comment question
    tagged with one recommendation."""

    __tablename__ = "theme"
    __table_args__ = (
        UniqueConstraint("survey_id", "code"),
        CheckConstraint("(question_id IS NULL) <> (recommendation_id IS NULL)", name="one_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    # Exactly one of the two: the comment question, or the recommendation whose comments it themes.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    # Unique in the survey: the export's `themes` column lists these.
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    # {lang: text}: a short label in each survey language.
    label: Mapped[I18n] = mapped_column(JSON)
    # {lang: text}: one sentence saying what belongs under the theme.
    description: Mapped[I18n] = mapped_column(JSON, default=dict)

    survey: Mapped[Survey] = relationship()
    question: Mapped[Question | None] = relationship()
    recommendation: Mapped[Recommendation | None] = relationship()


class Source(enum.StrEnum):
    """Who gave a theme to a comment."""

    machine = "machine"  # proposed by the job
    reviewed = "reviewed"  # confirmed or added by an analyst: never overwritten by a job


class ThemeAssignment(Base):
    """One theme given to one comment (an answer), by the machine or by a reviewer.

    A reviewed comment keeps the machine's proposal beside the reviewer's themes: their
    agreement is the F1 the review page shows. A job replaces machine rows of comments not yet
    reviewed only.
    """

    __tablename__ = "theme_assignment"
    __table_args__ = (
        UniqueConstraint("answer_id", "theme_id", "source"),
        Index("ix_theme_assignment_theme_id", "theme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    source: Mapped[Source] = mapped_column(String(10))
    # The machine's similarity (None for a reviewer's theme).
    score: Mapped[float | None] = mapped_column(Float)


class ThemeReview(Base):
    """A comment an analyst has reviewed: its reviewed themes (maybe none) are final."""

    __tablename__ = "theme_review"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    # The analyst (staff, never a respondent); the day only.
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())


class ThemeText(Base):
    """The vector of one distinct comment (or theme) text of a survey, made once per model.

    Keyed by the SHA-256 of the normalised text (``language.digest``): the same words written
    by many respondents are embedded once, and a later run embeds only texts it has not seen.
    """

    __tablename__ = "theme_text"
    __table_args__ = (UniqueConstraint("survey_id", "model", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    # The Embedder's name: vectors of different models are never compared.
    model: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))
    # The language detected (language.detect): en, ur or ur-Latn.
    language: Mapped[str] = mapped_column(String(12))
    # float16, little-endian, L2-normalised (half the bytes of float32, same themes).
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class RunState(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class ThemeRun(Base):
    """The theming job of one survey: its progress for the page, and the lock that keeps a
    second job of the same survey from running at once.

    A job claims the row (``holder``) with one conditional UPDATE and renews ``heartbeat`` as it
    goes; a row whose heartbeat has gone stale (the worker died) may be claimed again, and the
    work done so far (vectors stored batch by batch) is kept. Huey's own task lock lives in the
    job storage but never expires on SQLite: a killed worker would lock its survey for good.
    """

    __tablename__ = "theme_run"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[RunState] = mapped_column(String(10), default=RunState.queued)
    # What the job is doing: "embedding", "assigning", "suggesting".
    phase: Mapped[str] = mapped_column(String(20), default="")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # Also suggest candidate themes (clusters) in this run.
    suggest: Mapped[bool] = mapped_column(default=False)
    # Random id of the job holding the row; None when no job holds it.
    holder: Mapped[str | None] = mapped_column(String(32))
    heartbeat: Mapped[datetime | None]
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # Figures of the last run: texts embedded, comments given themes; or why it failed.
    embedded: Mapped[int] = mapped_column(default=0)
    proposed: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class ThemeCandidate(Base):
    """A cluster of comments the job suggests as a theme; the analyst accepts, merges or
    discards it."""

    __tablename__ = "theme_candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    position: Mapped[int]
    # Comments in the cluster, and how many in each language.
    size: Mapped[int]
    languages: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Words that set the cluster apart from the question's other clusters.
    words: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Answer ids of its most typical comments (closest to its centre), most typical first.
    examples: Mapped[list[int]] = mapped_column(JSON, default=list)

    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<ThemeCandidate {self.question_id}#{self.position} ({self.size})>"


def settings_of(survey: Survey) -> dict[str, Any]:
    """The survey's theming settings (``Survey.settings["themes"]``)."""
    found = survey.settings.get("themes")
    return found if isinstance(found, dict) else {}


# Chosen on the tuning half of bench/data (bench/themes.py --tune), reported on the other half.
# Here rather than in ``matching`` so that the pages read it without loading numpy.
DEFAULT_THRESHOLD = 0.10


def threshold_of(survey: Survey) -> float:
    """The similarity a comment must reach to be given a theme, in this survey."""
    stored = settings_of(survey).get("threshold")
    return float(stored) if isinstance(stored, int | float) else DEFAULT_THRESHOLD
