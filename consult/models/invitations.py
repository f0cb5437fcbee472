"""Invitations (single-use links) and saved, unfinished responses (save and resume).

Neither keeps anything that would tie an anonymous response to a person: an invitation records
only *that* it was used (InvitationUse), and a draft is deleted when its response is submitted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .base import utcnow
from .survey import StakeholderGroup, Survey


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
