"""A survey's webhook as its organizers set it: save the address, resume, remove, the log.

Services: they take a session, flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.accounts.audit import Action, record
from consult.surveys.models import Survey
from consult.webhooks import signing
from consult.webhooks.addresses import check_url
from consult.webhooks.models import Webhook, WebhookDelivery

LOG_LENGTH = 50


def webhook_of(session: Session, survey: Survey) -> Webhook | None:
    return session.scalar(select(Webhook).where(Webhook.survey_id == survey.id))


def save(
    session: Session, actor: Any, survey: Survey, url: str, config: Mapping[str, Any]
) -> Webhook:
    """Set the address (checked: HTTPS, public addresses); a new webhook gets its secret.

    Refusal (field ``url``) leaves everything as it was.
    """
    target = check_url(url, bool(config["WEBHOOKS_ALLOW_PRIVATE"]),
                       bool(config["WEBHOOKS_ALLOW_HTTP"]))  # fmt: skip
    webhook = webhook_of(session, survey)
    if webhook is None:
        webhook = Webhook(survey_id=survey.id, url=target.url, secret=signing.new_secret())
        session.add(webhook)
    else:
        webhook.url = target.url
    record(session, actor, Action.webhook_changed, survey, target=target.host, change="address")
    session.flush()
    return webhook


def new_secret(session: Session, actor: Any, survey: Survey, webhook: Webhook) -> None:
    webhook.secret = signing.new_secret()
    record(session, actor, Action.webhook_changed, survey, change="new secret")
    session.flush()


def resume(session: Session, actor: Any, survey: Survey, webhook: Webhook) -> None:
    webhook.paused = False
    webhook.failures = 0
    record(session, actor, Action.webhook_changed, survey, change="resumed")
    session.flush()


def remove(session: Session, actor: Any, survey: Survey, webhook: Webhook) -> None:
    session.delete(webhook)
    record(session, actor, Action.webhook_changed, survey, change="removed")
    session.flush()


def log(session: Session, webhook: Webhook) -> list[WebhookDelivery]:
    """The latest attempts, newest first."""
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(LOG_LENGTH)
    )
    return list(session.scalars(stmt))
