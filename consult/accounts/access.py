"""Who may use which route: the access decorators every view carries."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, url_for
from flask_login import current_user
from sqlalchemy import select

from consult import db
from consult.accounts.models import SurveyMember
from consult.accounts.roles import Role
from consult.extensions import login_manager
from consult.surveys.models import Survey

F = TypeVar("F", bound=Callable[..., Any])


def public(view: F) -> F:
    """Anyone, signed in or not."""
    view.access = "public"  # type: ignore[attr-defined]
    return view


def signed_in(view: F) -> F:
    """Any active account."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _not_signed_in()
        return view(*args, **kwargs)

    wrapper.access = "signed_in"  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def admins_only(view: F) -> F:
    """Admins only: others get 403, visitors who are not signed in are sent to sign in."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _not_signed_in()
        if current_user.role != Role.admin:
            abort(403)
        return view(*args, **kwargs)

    wrapper.access = "admin"  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def survey_roles(*roles: Role) -> Callable[[F], F]:
    """Admins, and members of the survey in the URL whose role is one of ``roles``.

    The view receives the Survey (loaded through the user's rights) instead of the slug.
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, slug: str, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return _not_signed_in()
            survey = survey_for_user(slug, roles)
            return view(*args, survey=survey, **kwargs)

        wrapper.access = "survey:" + ",".join(sorted(roles))  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _not_signed_in() -> Any:
    """Sign in first; unless the account could not be loaded because the database failed."""
    if g.get("user_unknown"):
        abort(503)
    return login_manager.unauthorized()


def survey_for_user(slug: str, roles: tuple[Role, ...]) -> Survey:
    """The survey if the current user may act on it with one of ``roles``; 404 otherwise.

    404 rather than 403 for other surveys: an organizer learns nothing about surveys not theirs.
    A member's role on the survey (``SurveyMember.role``) comes before the account's own; the
    page's ``may()`` then answers for that role.
    """
    if current_user.role == Role.admin:
        survey = db.session().scalar(select(Survey).where(Survey.slug == slug))
        if survey is None:
            abort(404)
        return survey
    row = (
        db.session()
        .execute(
            select(Survey, SurveyMember.role)
            .join(SurveyMember)
            .where(Survey.slug == slug, SurveyMember.user_id == current_user.id)
        )
        .first()
    )
    if row is None:
        abort(403 if current_user.role not in roles else 404)
    survey, member_role = row
    role = Role(member_role or current_user.role)
    if role not in roles:
        abort(403)
    current_user.survey_role = role
    return survey


def may_open(survey_id: int | None, roles: tuple[Role, ...]) -> bool:
    """Whether the current user could open survey ``survey_id`` with one of ``roles`` (admins
    always): a page about one survey shows another's figures (an earlier wave) only then."""
    if survey_id is None or not current_user.is_authenticated:
        return False
    if current_user.role == Role.admin:
        return True
    member = db.session().scalar(
        select(SurveyMember).where(
            SurveyMember.survey_id == survey_id, SurveyMember.user_id == current_user.id
        )
    )
    return member is not None and Role(member.role or current_user.role) in roles


def may(role_needed: tuple[Role, ...]) -> bool:
    """Whether the current user's role (on the survey of the page, if any) is among
    ``role_needed`` (admins always may)."""
    if not current_user.is_authenticated:
        return False
    role = getattr(current_user, "survey_role", None) or current_user.role
    return current_user.role == Role.admin or role in role_needed


def safe_next(target: str | None) -> str:
    """A path on this site to go to after sign-in; anything else goes to /admin/.

    Refused: another host in any spelling browsers accept (``//host``, ``////host``,
    ``/\\host``, ``https://host``), control characters, anything not starting with one "/".
    """
    if target and len(target) <= 2000 and target.startswith("/") and target.isprintable():
        parts = urlsplit(target)
        doubled = target[1:2] in ("/", "\\")
        if not parts.scheme and not parts.netloc and not doubled and "\\" not in target:
            return target
    return url_for("admin.index")


def previewing() -> bool:
    """Whether staff are looking: untranslated survey text is then marked visibly for them."""
    return bool(current_user.is_authenticated and current_user.role != Role.enumerator)
