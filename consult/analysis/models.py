"""What organizers add to the analysis: comments starred as quotes for the policy brief."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base


class StarredComment(Base):
    """An open answer an organizer picked as a quote for the brief.

    Only the answer is named: not who starred it, nor when, so this table adds nothing that
    could place a respondent. Deleting the answer (or its response, or the survey) removes it.
    """

    __tablename__ = "starred_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
