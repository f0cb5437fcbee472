"""Personal API tokens: made and revoked by their owner, checked on every API request.

A token is ``cst_`` and 256 random bits; only its SHA-256 hash is stored (a secret of that
strength needs no slow hash: nothing can be guessed from the hash). A token acts for its user
and never for more: the survey must be one the user may reach with the role the route needs
(the same rules as the web, access.survey_for_user), and the token's own scope must allow it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.accounts.audit import Action, record
from consult.accounts.models import ApiToken, SurveyMember, User
from consult.accounts.roles import Role
from consult.db import utcnow
from consult.problems import Problem, Refusal
from consult.surveys.models import Survey

PREFIX = "cst_"
SECRET_BYTES = 32
SHOWN_PREFIX = 8  # characters after "cst_" shown on the account page
NAME_LENGTH = 80
MAX_ID = 2**31 - 1


class Refused(Exception):
    """The token may not do this: ``status`` is 404 (not its survey) or 403 (not its right)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    session: Session, user: User, name: str, write: bool, survey_ids: Iterable[int] | None
) -> tuple[ApiToken, str]:
    """A new token and its secret (returned once, never stored). Flushes, audited."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_LENGTH:
        raise Refusal([Problem(_("Give the token a name of up to 80 characters."), field="name")])
    wanted = None if survey_ids is None else sorted(set(survey_ids))
    if wanted is not None:
        reachable = {s.id for s in reachable_surveys(session, user)}
        if not wanted or not set(wanted) <= reachable:
            raise Refusal([Problem(_("Choose surveys of yours, or all of them."), field="surveys")])
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        user_id=user.id, token_hash=token_hash(secret), name=name, write=write,
        survey_ids=wanted, prefix=secret[: len(PREFIX) + SHOWN_PREFIX],
    )  # fmt: skip
    session.add(token)
    session.flush()
    record(session, user, Action.api_token_created, target=name, write=write,
           surveys="all" if wanted is None else len(wanted))  # fmt: skip
    return token, secret


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken | None:
    """Revoke one of ``user``'s own tokens (None: no such token of theirs). Flushes, audited."""
    if not 0 < token_id <= MAX_ID:  # past any database's integer: no token (no overflow)
        return None
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None or token.revoked_at is not None:
        return token
    token.revoked_at = utcnow()
    session.flush()
    record(session, user, Action.api_token_revoked, target=token.name)
    return token


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def reachable_surveys(session: Session, user: User) -> list[Survey]:
    """The surveys ``user`` may reach at all (admins: every one)."""
    stmt = select(Survey).order_by(Survey.slug)
    if user.role != Role.admin:
        stmt = stmt.join(SurveyMember).where(SurveyMember.user_id == user.id)
    return list(session.scalars(stmt))


def authenticate(session: Session, secret: str) -> ApiToken | None:
    """The live token of an active user that ``secret`` is, or None (same for every failure)."""
    if not secret.startswith(PREFIX) or not 20 <= len(secret) <= 100:
        return None
    wanted = token_hash(secret)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == wanted))
    if token is None or not hmac.compare_digest(token.token_hash, wanted):
        return None
    if token.revoked_at is not None or not token.user.active:
        return None
    return token


def survey_for_token(
    session: Session, token: ApiToken, slug: str, roles: tuple[Role, ...], write: bool
) -> Survey:
    """The survey at ``slug`` if ``token`` may act on it with one of ``roles``.

    The user's rights first, as on the web (404 for a survey not theirs, 403 for a role that
    may not), then the token's scope (404 outside its surveys, 403 for a read token writing).
    """
    user = token.user
    if user.role == Role.admin:
        survey = session.scalar(select(Survey).where(Survey.slug == slug))
        role = Role.admin
    else:
        row = session.execute(
            select(Survey, SurveyMember.role)
            .join(SurveyMember)
            .where(Survey.slug == slug, SurveyMember.user_id == user.id)
        ).first()
        survey, role = (row[0], Role(row[1] or user.role)) if row else (None, user.role)
    if survey is None or (token.survey_ids is not None and survey.id not in token.survey_ids):
        raise Refused(404, "No survey of yours has this name.")
    if role != Role.admin and role not in roles:
        raise Refused(403, "Your role on this survey does not allow this.")
    if write and not token.write:
        raise Refused(403, "This token may only read.")
    return survey


def surveys_for_token(session: Session, token: ApiToken) -> list[Survey]:
    """Every survey ``token`` may read: its user's, narrowed to the token's scope."""
    found = reachable_surveys(session, token.user)
    if token.survey_ids is None:
        return found
    return [s for s in found if s.id in token.survey_ids]
