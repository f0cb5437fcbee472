"""A survey's webhook and the log of its delivery attempts.

The log holds what a delivery was (its event, attempt, status or error, when), never which
response it carried: an anonymous survey's responses are sent once a day, a day's at a time
(docs/privacy.md), and nothing here pairs a response with a moment.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, utcnow


class Webhook(Base):
    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Signs each body (HMAC-SHA256); shown to the survey's organizers, who verify with it.
    secret: Mapped[str] = mapped_column(String(100))
    # Failed attempts in a row; at WEBHOOKS_PAUSE_AFTER the webhook pauses until resumed.
    failures: Mapped[int] = mapped_column(default=0)
    paused: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Anonymous surveys: the responses of the days before this one have been sent.
    sent_until: Mapped[date | None] = mapped_column(default=None)


class WebhookDelivery(Base):
    """One attempt to deliver one body."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhook.id", ondelete="CASCADE"), index=True
    )
    # The body's id (the Consult-Delivery header): the same on every attempt of one body.
    delivery: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(40))
    attempt: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(String(500), default=None)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
