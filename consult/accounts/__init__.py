"""Accounts: users, roles, survey membership, the access decorators, signing in and out,
sessions that end, the team and account pages, and the audit trail every feature records to.

May import: ``consult.surveys`` (the kernel) and the foundation. Never a feature or the shell.
"""

from __future__ import annotations

from flask import Flask

from consult.accounts.access import previewing


def init_app(app: Flask) -> None:
    from consult.accounts import signin_views  # registers the user loader

    app.jinja_env.globals.update(previewing=previewing)
    signin_views.init_app(app)
