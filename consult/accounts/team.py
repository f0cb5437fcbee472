"""The team: inviting colleagues by a single-use sign-up link, roles, survey membership,
deactivation, and each account's own password and language. Every step is audited."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from consult.accounts import sessions
from consult.accounts.audit import Action, record
from consult.accounts.models import AccountInvitation, SurveyMember, User
from consult.accounts.passwords import check_new_password
from consult.accounts.roles import Role
from consult.accounts.users import find_user, normalise_email
from consult.db import utcnow
from consult.mail import valid_address
from consult.problems import Refusal
from consult.surveys.models import Survey

TOKEN_BYTES = 24


def team(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.active.desc(), User.email)))


def open_invitations(session: Session) -> list[AccountInvitation]:
    stmt = select(AccountInvitation).where(
        AccountInvitation.used_at.is_(None), AccountInvitation.expires_at > utcnow()
    )
    return list(session.scalars(stmt.order_by(AccountInvitation.id.desc())))


def invite(
    session: Session, inviter: User, email: str, role: Role, surveys: list[Survey], days: int
) -> tuple[AccountInvitation, str]:
    """A sign-up link for ``email`` (returned once with its token; stored as a hash)."""
    email = normalise_email(email)
    if not valid_address(email):
        raise Refusal.at("email", _("Enter one e-mail address, like name@example.org."))
    if find_user(session, email) is not None:
        raise Refusal.at("email", _("There is an account for this e-mail already."))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = AccountInvitation(
        token_hash=sessions.id_hash(token),
        email=email,
        role=role,
        survey_ids=[s.id for s in surveys],
        invited_by_id=inviter.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    record(session, inviter, Action.account_invited, target=email, role=str(role),
           surveys=[s.slug for s in surveys])  # fmt: skip
    return invitation, token


def find_invitation(session: Session, token: str) -> AccountInvitation | None:
    """An unused, unexpired sign-up invitation, or None (the same for unknown and malformed)."""
    if not 16 <= len(token) <= 64:
        return None
    found = session.scalar(
        select(AccountInvitation).where(AccountInvitation.token_hash == sessions.id_hash(token))
    )
    if found is None or found.used_at is not None or found.expires_at <= utcnow():
        return None
    return found


def accept(session: Session, invitation: AccountInvitation, password: str, again: str) -> User:
    """The account the invitation promised, with the password chosen; the link is spent."""
    check_new_password(password, invitation.email)
    if password != again:
        raise Refusal.at("confirm", _("The two passwords are not the same."))
    if find_user(session, invitation.email) is not None:
        raise Refusal.conflicting(_("There is an account for this e-mail already."))
    user = User(email=invitation.email, role=invitation.role)
    user.set_password(password)
    session.add(user)
    session.flush()
    for survey_id in invitation.survey_ids:
        if session.get(Survey, survey_id) is not None:
            session.add(SurveyMember(survey_id=survey_id, user_id=user.id))
    invitation.used_at = utcnow()
    session.flush()
    record(session, user, Action.account_created, target=user.email, role=str(user.role))
    return user


def active_admins(session: Session) -> int:
    stmt = select(func.count(User.id)).where(User.role == Role.admin, User.active)
    return session.scalar(stmt) or 0


def set_role(session: Session, actor: User, user: User, role: Role) -> None:
    """A new role; the account's sessions end at once (it signs in again with the new role)."""
    if role == user.role:
        return
    if user.role == Role.admin and user.active and active_admins(session) <= 1:
        raise Refusal.conflicting(_("This is the last admin: make another admin first."))
    record(session, actor, Action.role_changed, target=user.email, role=[user.role, role])
    user.role = role
    sessions.revoke_all(session, user)


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    if active == user.active:
        return
    if not active and user.id == actor.id:
        raise Refusal.conflicting(_("You cannot deactivate your own account."))
    if not active and user.role == Role.admin and active_admins(session) <= 1:
        raise Refusal.conflicting(_("This is the last admin: make another admin first."))
    user.active = active
    sessions.revoke_all(session, user)
    action = Action.account_reactivated if active else Action.account_deactivated
    record(session, actor, action, target=user.email)


def set_memberships(
    session: Session, actor: User, user: User, wanted: Mapping[int, Role | None]
) -> None:
    """Make ``user`` a member of exactly the surveys in ``wanted`` ({survey id: role})."""
    current = {m.survey_id: m for m in user.memberships}
    before = {sid: m.role for sid, m in current.items()}
    for survey_id, member in current.items():
        if survey_id not in wanted:
            session.execute(delete(SurveyMember).where(SurveyMember.id == member.id))
        elif member.role != wanted[survey_id]:
            member.role = wanted[survey_id]
    for survey_id, role in wanted.items():
        if survey_id not in current and session.get(Survey, survey_id) is not None:
            session.add(SurveyMember(survey_id=survey_id, user_id=user.id, role=role))
    session.flush()
    session.expire(user, ["memberships"])
    if before != dict(wanted):
        slugs = {sid: slug for sid, slug in session.execute(select(Survey.id, Survey.slug))}
        shown = sorted(f"{slugs.get(sid, sid)}:{role or user.role}" for sid, role in wanted.items())
        record(session, actor, Action.membership_changed, target=user.email, surveys=shown)


def change_password(session: Session, user: User, current: str, new: str, again: str) -> None:
    """The account's own password; every other session of the account ends."""
    if not user.check_password(current):
        raise Refusal.at("current", _("That is not your current password."))
    check_new_password(new, user.email, field="password")
    if new != again:
        raise Refusal.at("confirm", _("The two passwords are not the same."))
    user.set_password(new)
    sessions.revoke_all(session, user)
    record(session, user, Action.password_changed, target=user.email)


def reset_password(session: Session, user: User, password: str) -> None:
    """A password set for the account (``consult reset-password``): every session ends."""
    user.set_password(password)
    sessions.revoke_all(session, user)
    record(session, None, Action.password_changed, target=user.email, by="command")


def sign_out_everywhere(session: Session, user: User) -> None:
    sessions.revoke_all(session, user)
    record(session, user, Action.sign_out_everywhere, target=user.email)


def set_two_step(session: Session, user: User, secret: str | None) -> None:
    user.totp_secret = secret
    sessions.revoke_all(session, user)
    record(session, user, Action.two_step_on if secret else Action.two_step_off, target=user.email)
