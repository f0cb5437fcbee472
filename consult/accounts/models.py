"""Accounts and their rights on surveys."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.accounts.roles import Role
from consult.db import Base, utcnow
from consult.surveys.models import Survey


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so logins are case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # scrypt hash (werkzeug); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by a password change, a role change, deactivation and "sign out everywhere": every
    # signed-in session carries the number it began with and ends when it no longer matches.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Base32 TOTP secret once two-step sign-in is set up (accounts/totp.py); None: off.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The interface language the account chose on its page (None: the browser's).
    language: Mapped[str | None] = mapped_column(String(12))

    memberships: Mapped[list[SurveyMember]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class SurveyMember(Base):
    """A user's part in one survey; the role is the user's own (organizer, viewer, enumerator)."""

    __tablename__ = "survey_member"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )

    # The member's role on this survey (organizer, viewer, enumerator); None: the account's.
    role: Mapped[Role | None] = mapped_column(String(16))

    survey: Mapped[Survey] = relationship()
    user: Mapped[User] = relationship(back_populates="memberships")

    @property
    def effective_role(self) -> Role:
        return Role(self.role or self.user.role)


class SignIn(Base):
    """One signed-in browser: the session cookie names it by a random id stored hashed here.

    Signing out deletes the row, so a copy of the cookie taken before opens nothing. No address,
    no browser: only when it began and when it was last used (for the idle limit).
    """

    __tablename__ = "sign_in"

    # SHA-256 of the random id in the cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountInvitation(Base):
    """A single-use sign-up link for a new colleague (the token is stored only as a hash)."""

    __tablename__ = "account_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(String(16))
    # Survey ids the new account becomes a member of, with the role above.
    survey_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ApiToken(Base):
    """A personal API token (accounts/tokens.py): shown once, stored only as a SHA-256 hash.

    It acts for its user and never for more: every request checks the user's own rights on
    the survey as well as the token's scope (read or write, all the user's surveys or some).
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the secret; the secret exists only in the client that holds it.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so its owner can tell tokens apart on the page.
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    # False: read only (GET); True: also create responses and invitations, revoke invitations.
    write: Mapped[bool] = mapped_column(default=False)
    # Survey ids the token may reach; None: every survey its user may reach.
    survey_ids: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A revoked token is refused at once; the row stays so the page can say it was revoked.
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
