"""Submitted responses and their answers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .survey import StakeholderGroup


class Channel(enum.StrEnum):
    """How a response reached consult."""

    web = "web"  # the respondent filled the web form
    enumerator = "enumerator"  # an interviewer entered it
    paper = "paper"  # typed in from a paper form
    imported = "import"  # read from a spreadsheet
    synthetic = "synthetic"  # made by `consult fake-responses` for demos and benchmarks


class Response(Base):
    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("survey_id", "nonce_hash"),)

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

    group: Mapped[StakeholderGroup | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(viewonly=True)


class Answer(Base):
    """One question's answer, in the storage form its question type defines (see questions/)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text)
