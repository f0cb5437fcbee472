"""Who may use which route: the access decorators every view carries."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g
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
    """
    stmt = select(Survey).where(Survey.slug == slug)
    if current_user.role != Role.admin:
        if current_user.role not in roles:
            abort(403)
        stmt = stmt.join(SurveyMember).where(SurveyMember.user_id == current_user.id)
    survey = db.session().scalar(stmt)
    if survey is None:
        abort(404)
    return survey


def may(role_needed: tuple[Role, ...]) -> bool:
    """Whether the current user's role is among ``role_needed`` (admins always may)."""
    return current_user.is_authenticated and (
        current_user.role == Role.admin or current_user.role in role_needed
    )


def previewing() -> bool:
    """Whether staff are looking: untranslated survey text is then marked visibly for them."""
    return bool(current_user.is_authenticated and current_user.role != Role.enumerator)
