"""Accounts: creation and password login."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.accounts.models import SurveyMember, User
from consult.accounts.roles import Role
from consult.surveys.models import Survey


@cache
def _dummy_user() -> User:
    """Checked against when the e-mail is unknown, so a login takes as long either way."""
    dummy = User(email="", role=Role.viewer, password_hash="")
    dummy.set_password(secrets.token_hex(8))
    return dummy


class UserExists(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(session: Session, email: str, role: Role, password: str) -> User:
    email = normalise_email(email)
    if find_user(session, email) is not None:
        raise UserExists(email)
    user = User(email=email, role=role)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if user is None:
        _dummy_user().check_password(password)
        return None
    if not user.active or not user.check_password(password):
        return None
    return user


def admin_count(session: Session) -> int:
    return session.scalar(select(func.count(User.id)).where(User.role == Role.admin)) or 0


def add_member(session: Session, survey: Survey, user: User) -> SurveyMember:
    member = SurveyMember(survey=survey, user=user)
    session.add(member)
    session.flush()
    return member


def generate_password() -> str:
    return secrets.token_urlsafe(12)
