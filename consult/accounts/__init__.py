"""Accounts: users, roles, survey membership, the access decorators, signing in and out.

May import: ``consult.surveys`` (the kernel) and the foundation. Never a feature or the shell.
"""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from consult import db
from consult.accounts.access import previewing
from consult.accounts.models import User
from consult.extensions import login_manager


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(previewing=previewing)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    try:
        return db.session().scalar(select(User).where(User.id == int(user_id)))
    except DBAPIError:
        # The database failed: this request goes on as nobody's (error pages need no user),
        # and the access decorators answer "try again later", never "sign in".
        db.discard_session()
        g.user_unknown = True
        return None
