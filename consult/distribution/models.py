"""Invitations by e-mail: a survey's message template, and each e-mailed invitation's delivery."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base
from consult.surveys.models import I18n


class Delivery(enum.StrEnum):
    queued = "queued"  # waiting for the background job
    sent = "sent"  # the mail server accepted it
    bounced = "bounced"  # the mail server refused the address for good
    failed = "failed"  # still not sent after every retry
    unsubscribed = "unsubscribed"  # the invitee asked for no more mail


class MailTemplate(Base):
    """The survey's invitation and reminder messages, in each of its languages."""

    __tablename__ = "mail_template"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    subject: Mapped[I18n] = mapped_column(JSON, default=dict)
    # Plain text; {link} is replaced by the invitee's own link, {name} by the name uploaded.
    body: Mapped[I18n] = mapped_column(JSON, default=dict)
    reminder_subject: Mapped[I18n] = mapped_column(JSON, default=dict)
    reminder_body: Mapped[I18n] = mapped_column(JSON, default=dict)
    # Reminders to invitees who have not answered: at most this many, this many days apart.
    max_reminders: Mapped[int] = mapped_column(default=2)
    reminder_days: Mapped[int] = mapped_column(default=7)


class InvitationMail(Base):
    """The e-mail of one invitation: where it went, whether it got there, reminders sent.

    The link's token is kept sealed (``sealed_token``: XOR with a keystream derived from the
    app's secret key and the invitation id), because a reminder must carry the same link; a copy
    of the database without the secret key cannot open it. It is wiped when the survey closes
    or its responses are purged. Organizers of an anonymous survey see these rows only as
    counts: a reminder that is not sent would tell who answered.
    """

    __tablename__ = "invitation_mail"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(16), default=Delivery.queued)
    sealed_token: Mapped[str | None] = mapped_column(String(128))
    reminders: Mapped[int] = mapped_column(default=0)
    # When the last message (invitation or reminder) went: for spacing the reminders.
    last_sent_at: Mapped[datetime | None]
    # The mail server's code of a refusal (never the address).
    error: Mapped[str | None] = mapped_column(String(120))
