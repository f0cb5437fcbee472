"""Submitted responses and their answers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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
    """One question's answer, in the storage form its question type defines (see questions/).

    ``group_id`` and ``region`` repeat the response's, written with the answer and never
    changed after (a response's group and province are fixed when it is stored): the summary
    counts answers per question × group × province × value, and with those columns beside the
    value SQLite counts straight down one index, with no join and no sort
    (services/counting.py; 100,000 NISP responses: 0.3 s instead of 1.3 s).
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
