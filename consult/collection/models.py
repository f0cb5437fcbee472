"""Submitted responses and their answers."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base, utcnow
from consult.surveys.models import StakeholderGroup, Survey


class Channel(enum.StrEnum):
    """How a response reached consult."""

    web = "web"  # the respondent filled the web form
    enumerator = "enumerator"  # an interviewer entered it
    paper = "paper"  # typed in from a paper form
    imported = "import"  # read from a spreadsheet
    synthetic = "synthetic"  # made by `consult fake-responses` for demos and benchmarks
    api = "api"  # sent by a program through the REST API (consult/api/)


class Response(Base):
    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("survey_id", "nonce_hash"),
        # An anonymous survey's raw export reads its responses in public-id order (no row's
        # place says when it came in): down this index, with no sort of the whole survey.
        Index("ix_response_survey_public", "survey_id", "public_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    # Random identifier shown in exports; the row id never leaves the database.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="SET NULL"), index=True
    )
    # Code of the province or region answered in the profile (for monitoring).
    region: Mapped[str | None] = mapped_column(String(64))
    # Interface language the response was given in.
    language: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(12), default=Channel.web)
    # Anonymous surveys keep only the day (midnight UTC), so time cannot link a response to a visit.
    submitted_at: Mapped[datetime]
    # The interviewer who entered it (channel enumerator or paper); never the respondent.
    enumerator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # SHA-256 of the one-time form nonce: a double click or a resubmit stores one response.
    nonce_hash: Mapped[str | None] = mapped_column(String(64))
    # Seconds from opening the form to submitting it (collection/timing.py): a duration, never
    # a clock time. None: not known (imports, synthetic, a form older than the column).
    duration_s: Mapped[int | None]
    # Identified surveys' web responses only: a keyed hash of the browser's device cookie, for
    # review's duplicate check (collection/devices.py). Always None in anonymous surveys.
    device_hash: Mapped[str | None] = mapped_column(String(64))
    # Left out of figures and exports by default after review (consult/review/), with the
    # organizer's reason; never deleted by it.
    excluded: Mapped[bool] = mapped_column(default=False, server_default=false())
    exclusion_reason: Mapped[str | None] = mapped_column(String(200))

    group: Mapped[StakeholderGroup | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(viewonly=True)


class Answer(Base):
    """One question's answer, in the storage form its question type defines (see questions/).

    ``group_id`` and ``region`` repeat the response's, written with the answer and never
    changed after (a response's group and province are fixed when it is stored): the summary
    counts answers per question × group × province × value, and with those columns beside the
    value SQLite counts straight down one index, with no join and no sort
    (analysis/counting.py; docs/performance.md).
    """

    __tablename__ = "answer"
    __table_args__ = (
        # Also serves every look-up by response (the first column), so no index of its own.
        UniqueConstraint("response_id", "question_id"),
        # SQLite: the summary's counts and comments read this index alone, already in order.
        # Not on PostgreSQL, whose B-tree entries cannot hold a long answer (~2.7 kB) and
        # which counts by hashing anyway.
        Index(
            "ix_answer_tally", "question_id", "group_id", "value", "region", "response_id"
        ).ddl_if(dialect="sqlite"),
        Index("ix_answer_question_id", "question_id").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text)
    # The response's group and province (see above).
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="SET NULL")
    )
    region: Mapped[str | None] = mapped_column(String(64))


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="SET NULL")
    )
    # SHA-256 of the token; the token itself exists only in the link handed to the invitee.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Optional, for the organizer's mail merge; never exported with responses.
    name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date | None]
    revoked: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship()
    group: Mapped[StakeholderGroup | None] = relationship()
    use: Mapped[InvitationUse | None] = relationship(back_populates="invitation")

    def usable_on(self, today: date) -> bool:
        return not self.revoked and (self.expires_on is None or today <= self.expires_on)


class InvitationUse(Base):
    """One row per used invitation: the primary key makes a second use impossible.

    The key is the invitation id itself, never NULL, so no NULL can slip past the constraint.
    ``response_id`` is filled only for identified surveys; anonymous ones keep no link.
    """

    __tablename__ = "invitation_use"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))

    invitation: Mapped[Invitation] = relationship(back_populates="use")


class Draft(Base):
    """Answers saved with "save and continue later", found again by a hashed resume code."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The submitted form fields as {name: [values]}, exactly as typed (validated on submit).
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(12))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="SET NULL")
    )
    # The invitation the respondent came with, so resuming keeps its single use.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE")
    )
    # Only a day: no time that could be matched against a visit.
    expires_on: Mapped[date]

    survey: Mapped[Survey] = relationship()
    group: Mapped[StakeholderGroup | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
