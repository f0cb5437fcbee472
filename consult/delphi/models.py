"""A Delphi study's tables: the study and its protocol, the panel (contact details, apart),
its rounds, each round's links, and what a panellist's response adds (comments, reasons).

Only ``Panellist`` holds a name or an address. Its ``pseudonym`` is random (``secrets``), never
derived from a row id. Every other table names a panellist only by ``panel_key``: the HMAC of
the pseudonym under the study's key (keys.py), which the database alone cannot recompute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base, utcnow
from consult.surveys.models import Survey


class DelphiStudy(Base):
    __tablename__ = "delphi_study"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The survey of round 1; the study's pages live under its address.
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    # Random salt: the study key is HMAC(instance/delphi_key, salt), see keys.py.
    key_salt: Mapped[str] = mapped_column(String(64))
    # The protocol (protocol.py: Protocol.as_dict); fixed when round 1 opens.
    protocol: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    rounds: Mapped[list[DelphiRound]] = relationship(
        order_by="DelphiRound.number", back_populates="study", cascade="all, delete-orphan"
    )


class Panellist(Base):
    """The contact table: the only place a panellist's name and address are kept."""

    __tablename__ = "delphi_panellist"
    __table_args__ = (UniqueConstraint("study_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("delphi_study.id", ondelete="CASCADE"), index=True
    )
    # 128 random bits from ``secrets``; the keyed pseudonym is computed from it.
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # The code of the panellist's stakeholder group (the same code in every round's survey).
    group_code: Mapped[str | None] = mapped_column(String(64))


class DelphiRound(Base):
    __tablename__ = "delphi_round"
    __table_args__ = (UniqueConstraint("study_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("delphi_study.id", ondelete="CASCADE"))
    number: Mapped[int]
    # The round's survey version: round 1 the study's survey, later rounds copies of it.
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    study: Mapped[DelphiStudy] = relationship(back_populates="rounds")
    survey: Mapped[Survey] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RoundLink(Base):
    """A round's single-use link (collection's Invitation, which holds no name or address)
    and whose it is, by keyed pseudonym only."""

    __tablename__ = "delphi_link"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("delphi_round.id", ondelete="CASCADE"), index=True
    )
    panel_key: Mapped[str] = mapped_column(String(64))


class PanelResponse(Base):
    """A response's keyed pseudonym: one response per panellist and round."""

    __tablename__ = "delphi_response"
    __table_args__ = (UniqueConstraint("round_id", "panel_key"),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("delphi_round.id", ondelete="CASCADE"))
    panel_key: Mapped[str] = mapped_column(String(64), index=True)


class ItemNote(Base):
    """What a panellist adds to one item beside the rating: "cannot judge", a comment, and the
    reason for crossing between agree and disagree. Comments reach other panellists only once
    an organizer has approved them (``approved``)."""

    __tablename__ = "delphi_note"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    cannot_judge: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    approved: Mapped[bool] = mapped_column(default=False)
