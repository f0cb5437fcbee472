"""Invitations by e-mail: the survey's message template, sending, reminders, unsubscribing.

Sending happens in background jobs (distribution/tasks.py); this module decides what to send
and records what happened. A link's token is never stored in clear: the delivery row keeps it
sealed under the app's secret key (``seal``), so that a reminder can carry the same link.
Anonymous surveys: organizers see delivery only as counts (see ``InvitationMail``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consult.accounts.audit import Action, record
from consult.collection.invitations import Invitation, is_used
from consult.db import utcnow
from consult.distribution.models import Delivery, InvitationMail, MailTemplate
from consult.mail import Mail, valid_address
from consult.problems import Problems
from consult.surveys.models import Survey

LINK, NAME, SURVEY = "{link}", "{name}", "{survey}"
DEFAULTS: dict[str, dict[str, str]] = {
    "subject": {"en": "Your views on: {survey}", "ur": "آپ کی رائے: {survey}"},
    "body": {
        "en": "Dear {name},\n\nWe are consulting stakeholders on {survey}, and your views "
        "matter. Please answer through your own link (it works once):\n\n{link}\n\n"
        "Your answers are confidential. Thank you.",
        "ur": "محترم {name}،\n\nہم {survey} پر متعلقہ فریقوں سے مشاورت کر رہے ہیں، اور آپ کی "
        "رائے اہم ہے۔ براہِ کرم اپنے ذاتی لنک کے ذریعے جواب دیں (یہ ایک بار کام کرتا ہے):\n\n"
        "{link}\n\nآپ کے جوابات راز میں رہیں گے۔ شکریہ۔",
    },
    "reminder_subject": {"en": "Reminder: {survey}", "ur": "یاد دہانی: {survey}"},
    "reminder_body": {
        "en": "Dear {name},\n\nA reminder: we would still like to hear your views on {survey}. "
        "Your link:\n\n{link}\n\nIf you have answered already, thank you, and please ignore "
        "this message.",
        "ur": "محترم {name}،\n\nیاد دہانی: ہم اب بھی {survey} پر آپ کی رائے جاننا چاہتے ہیں۔ "
        "آپ کا لنک:\n\n{link}\n\nاگر آپ جواب دے چکے ہیں تو شکریہ، یہ پیغام نظر انداز کر دیں۔",
    },
}
TEXT_FIELDS = tuple(DEFAULTS)
MAX_TEXT = 5000


def template(session: Session, survey: Survey) -> MailTemplate:
    """The survey's template, or the default one (not yet stored)."""
    found = session.get(MailTemplate, survey.id)
    if found is not None:
        return found
    return MailTemplate(
        survey_id=survey.id,
        **{key: {lang: DEFAULTS[key].get(lang, DEFAULTS[key]["en"]) for lang in survey.languages}
           for key in TEXT_FIELDS},
        max_reminders=2,
        reminder_days=7,
    )  # fmt: skip


def save_template(
    session: Session, actor: object, survey: Survey, texts: dict[str, dict[str, str]],
    max_reminders: str, reminder_days: str,
) -> MailTemplate:  # fmt: skip
    """Store the template; Refusal beside each field (``body-ur``, ``max_reminders``...)."""
    problems = Problems()
    for key in TEXT_FIELDS:
        for lang in survey.languages:
            text = texts.get(key, {}).get(lang, "").strip()
            name = f"{key}-{lang}"
            if not text:
                problems.add(_("Write this text."), name)
            elif len(text) > MAX_TEXT:
                problems.add(_("Keep it under %(n)d characters.", n=MAX_TEXT), name)
            elif key.endswith("body") and LINK not in text:
                problems.add(_("Put {link} where the invitee's own link goes."), name)
    numbers = {}
    for name, raw, low, high in (("max_reminders", max_reminders, 0, 10),
                                 ("reminder_days", reminder_days, 1, 90)):  # fmt: skip
        try:
            numbers[name] = int(raw)
            if not low <= numbers[name] <= high:
                raise ValueError(raw)
        except ValueError:
            problems.add(_("A whole number from %(low)d to %(high)d.", low=low, high=high), name)
    problems.raise_any()
    found = template(session, survey)
    for key in TEXT_FIELDS:
        setattr(found, key, {lang: texts[key][lang].strip() for lang in survey.languages})
    found.max_reminders, found.reminder_days = numbers["max_reminders"], numbers["reminder_days"]
    session.add(found)
    session.flush()
    record(session, actor, Action.mail_template_changed, survey)
    return found


def _keystream(secret: str, invitation_id: int, length: int) -> bytes:
    key = hmac.new(secret.encode(), f"invitation-token:{invitation_id}".encode(), hashlib.sha512)
    return key.digest()[:length]


def seal(token: str, invitation_id: int, secret: str) -> str:
    raw = token.encode("ascii")
    sealed = bytes(a ^ b for a, b in zip(raw, _keystream(secret, invitation_id, len(raw)),
                                         strict=True))  # fmt: skip
    return base64.urlsafe_b64encode(sealed).decode("ascii")


def unseal(sealed: str, invitation_id: int, secret: str) -> str:
    raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
    plain = bytes(a ^ b for a, b in zip(raw, _keystream(secret, invitation_id, len(raw)),
                                        strict=True))  # fmt: skip
    return plain.decode("ascii")


def queue(
    session: Session, actor: object, survey: Survey, made: Iterable[tuple[Invitation, str]],
    language: str, secret: str,
) -> list[int]:  # fmt: skip
    """Delivery rows for new invitations with an e-mail address; their ids, to send."""
    ids = []
    for invitation, token in made:
        if not invitation.contact or not valid_address(invitation.contact):
            continue
        session.add(InvitationMail(
            invitation_id=invitation.id, survey_id=survey.id, language=language,
            status=Delivery.queued, sealed_token=seal(token, invitation.id, secret),
        ))  # fmt: skip
        ids.append(invitation.id)
    session.flush()
    record(session, actor, Action.invitations_sent, survey, count=len(ids), language=language)
    return ids


def message(
    session: Session, row: InvitationMail, base_url: str, secret: str, reminder: bool
) -> Mail | None:
    """The invitation (or reminder) e-mail of ``row``, or None when it must not be sent."""
    invitation = session.get(Invitation, row.invitation_id)
    if invitation is None or row.sealed_token is None or not invitation.contact:
        return None
    if row.status in (Delivery.unsubscribed, Delivery.bounced) or invitation.revoked:
        return None
    survey = invitation.survey
    found = template(session, survey)
    lang = row.language if row.language in survey.languages else survey.default_language
    link = f"{base_url.rstrip('/')}/i/{unseal(row.sealed_token, row.invitation_id, secret)}"
    subject_key, body_key = (
        ("reminder_subject", "reminder_body") if reminder else ("subject", "body")
    )
    title = survey.text(survey.title, lang)

    def fill(text: str) -> str:
        name = invitation.name or ""
        return text.replace(SURVEY, title).replace(NAME, name).replace(LINK, link)

    unsubscribe = f"{base_url.rstrip('/')}/u/{unsubscribe_code(row.invitation_id, secret)}"
    body = fill(survey.text(getattr(found, body_key), lang))
    body += "\n\n--\n" + _unsubscribe_line(lang) + "\n" + unsubscribe
    return Mail(
        to=invitation.contact,
        subject=fill(survey.text(getattr(found, subject_key), lang)),
        body=body,
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )


def _unsubscribe_line(lang: str) -> str:
    if lang == "ur":
        return "مزید ای میل نہیں چاہیے؟ یہاں کلک کریں:"
    return "No more e-mail about this consultation? Follow this link:"


def unsubscribe_code(invitation_id: int, secret: str) -> str:
    mac = hmac.new(secret.encode(), f"unsubscribe:{invitation_id}".encode(), hashlib.sha256)
    return f"{invitation_id}-{mac.hexdigest()[:24]}"


def find_by_unsubscribe_code(session: Session, code: str, secret: str) -> InvitationMail | None:
    number, _dash, _mac = code.partition("-")
    if not number.isdigit() or len(code) > 48:
        return None
    if not hmac.compare_digest(unsubscribe_code(int(number), secret), code):
        return None
    return session.get(InvitationMail, int(number))


def unsubscribe(session: Session, row: InvitationMail) -> None:
    row.status = Delivery.unsubscribed
    session.flush()


def mark(session: Session, invitation_id: int, status: Delivery, error: str | None = None,
         reminder: bool = False) -> None:  # fmt: skip
    row = session.get(InvitationMail, invitation_id)
    if row is None:
        return
    if row.status != Delivery.unsubscribed:
        row.status = status
    row.error = error[:120] if error else None
    if status == Delivery.sent:
        row.last_sent_at = utcnow()
        if reminder:
            row.reminders += 1
    session.flush()


def due_reminders(
    session: Session, survey: Survey, now: datetime | None = None, spacing: bool = True
) -> list[int]:
    """Invitations to remind: sent, not answered, not unsubscribed, under the survey's maximum,
    and (with ``spacing``) the template's number of days after the last message."""
    found = template(session, survey)
    stmt = select(InvitationMail).where(
        InvitationMail.survey_id == survey.id,
        InvitationMail.status == Delivery.sent,
        InvitationMail.reminders < found.max_reminders,
    )
    if spacing:
        cutoff = (now or utcnow()) - timedelta(days=found.reminder_days)
        stmt = stmt.where(InvitationMail.last_sent_at <= cutoff)
    due = []
    for row in session.scalars(stmt):
        invitation = session.get(Invitation, row.invitation_id)
        if invitation is not None and not invitation.revoked and not is_used(session, invitation):
            due.append(row.invitation_id)
    return due


def delivery_counts(session: Session, survey: Survey) -> dict[str, int]:
    """E-mailed invitations per delivery state, and reminders sent in all."""
    rows = session.execute(
        select(InvitationMail.status, func.count(), func.sum(InvitationMail.reminders))
        .where(InvitationMail.survey_id == survey.id)
        .group_by(InvitationMail.status)
    ).all()
    counts = {str(status): n for status, n, _r in rows}
    counts["reminders"] = sum(int(r or 0) for _s, _n, r in rows)
    return counts


def deliveries(session: Session, survey: Survey, limit: int = 500) -> list[tuple[str, str]]:
    """(address, delivery state) of each e-mailed invitation: never whether it was used."""
    rows = session.execute(
        select(Invitation.contact, InvitationMail.status)
        .join(InvitationMail, InvitationMail.invitation_id == Invitation.id)
        .where(InvitationMail.survey_id == survey.id)
        .order_by(Invitation.contact)
        .limit(limit)
    ).all()
    return [(contact or "", status) for contact, status in rows]


def wipe_tokens(session: Session, survey: Survey) -> None:
    """No more reminders: the sealed tokens go (when a survey closes or is purged)."""
    session.execute(
        update(InvitationMail)
        .where(InvitationMail.survey_id == survey.id)
        .values(sealed_token=None)
    )
