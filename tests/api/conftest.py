"""Tokens for the API tests: made by the service the account page calls."""

from __future__ import annotations

from typing import Any

from consult.accounts import tokens
from consult.accounts.models import User


def bearer(session: Any, user: User, write: bool = False, surveys: list[int] | None = None,
           name: str = "test") -> dict[str, str]:  # fmt: skip
    _token, secret = tokens.create_token(session, user, name, write, surveys)
    return {"Authorization": f"Bearer {secret}"}
