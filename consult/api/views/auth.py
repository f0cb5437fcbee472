"""Bearer tokens on API routes: who the token is, and what it may reach (accounts/tokens.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import abort

from consult import db
from consult.accounts import tokens
from consult.accounts.models import ApiToken
from consult.accounts.roles import Role

F = TypeVar("F", bound=Callable[..., Any])


def current_token() -> ApiToken:
    """The request's token (401 without a valid one). No cookie is ever looked at."""
    found = g.get("api_token")
    if found is not None:
        return found
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = None
    if scheme.lower() == "bearer" and secret.strip():
        token = tokens.authenticate(db.session(), secret.strip())
    if token is None:
        abort(401, message="Send a valid API token: Authorization: Bearer <token>.")
    g.api_token = token
    return token  # type: ignore[return-value]


def token_only(view: F) -> F:
    """Any valid token (its surveys are chosen by the view)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_token()
        return view(*args, **kwargs)

    wrapper.access = "token"  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def token_survey(*roles: Role, write: bool = False) -> Callable[[F], F]:
    """A token whose user may act on the survey in the URL with one of ``roles`` (as on the
    web), and whose scope allows it (its surveys; ``write`` for a change). The view gets the
    Survey instead of the slug."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, slug: str, **kwargs: Any) -> Any:
            token = current_token()
            try:
                survey = tokens.survey_for_token(db.session(), token, slug, roles, write)
            except tokens.Refused as refused:
                abort(refused.status, message=refused.message)
            return view(*args, survey=survey, **kwargs)

        scope = "write" if write else "read"
        wrapper.access = f"token:{scope}:" + ",".join(sorted(roles))  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
