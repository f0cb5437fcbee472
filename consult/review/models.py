"""Quality flags on responses, found by the checks in review/flags.py."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base


class Flag(enum.StrEnum):
    speeding = "speeding"  # answered far faster than the median
    straightlining = "straightlining"  # the same point on every item of a scale block
    duplicate_text = "duplicate text"  # open text (nearly) the same as other responses'
    interviewer = "interviewer"  # an interviewer whose interviews are unlike the others'
    device = "same device"  # identified surveys: one of several responses from one browser


class ResponseFlag(Base):
    __tablename__ = "response_flag"
    __table_args__ = (Index("ix_response_flag_survey_kind", "survey_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    # Why, in numbers: "74 s against a median of 412 s", "9 of 9 items at 5".
    detail: Mapped[str] = mapped_column(String(200))
