"""The ``consult`` command, a FlaskGroup over create_app (contract: docs/architecture.md)."""

from __future__ import annotations

import gc
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy import select

from consult import create_app, db, migrations
from consult.accounts.roles import Role
from consult.accounts.users import (
    admin_count,
    create_user,
    generate_password,
)
from consult.authoring.definitions import builtin_definition, create_survey
from consult.config import ensure_secret_key
from consult.surveys.models import Survey, SurveyState

FIRST_ADMIN = "admin@example.org"


class ConsultGroup(FlaskGroup):
    """Flask's command group without the commands other packages plug in (``flask.commands``
    entry points: Flask-Limiter's ``limiter``).

    consult's command line is a contract (docs/architecture.md); a maintenance command of an
    installed library is not part of it, and loading those made every command start slower
    (a scan of the installed packages, and rich: docs/performance.md).
    """

    def _load_plugin_commands(self) -> None:
        self._loaded_plugin_commands = True


@click.group(cls=ConsultGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """consult: stakeholder consultations."""


def run() -> None:
    """The ``consult`` program (pyproject's script): ``main``, then a quick exit.

    Python's shutdown runs the cyclic collector over everything still alive (Flask,
    SQLAlchemy, pandas once loaded), for objects the operating system frees at once anyway.
    Frozen first, they are left out of it (docs/performance.md has the measurements).
    Tests call ``main`` and keep their collector as it was.
    """
    try:
        main()
    finally:
        gc.freeze()


@click.group("consult", cls=AppGroup)
def commands() -> None:
    """The project's commands; registered on every app's ``flask``/``consult`` command line."""


def init_app(app: Flask) -> None:
    from consult.accounts.commands import COMMANDS as accounts
    from consult.analysis.themes.commands import COMMANDS as themes
    from consult.authoring.commands import COMMANDS as authoring
    from consult.backup import COMMANDS as backups
    from consult.collection.commands import COMMANDS as collection
    from consult.distribution.commands import COMMANDS as distribution
    from consult.exports.commands import COMMANDS as exports

    for command in (*accounts, *authoring, *collection, *distribution, *exports, *backups,
                    *themes):  # fmt: skip
        commands.add_command(command)
    for command in commands.commands.values():
        app.cli.add_command(command)


@commands.command()
def init() -> None:
    """Migrate, generate the secret key, load the NISP consultation, create a first admin."""
    if ensure_secret_key(Path(current_app.instance_path)):
        click.echo(f"Generated a secret key in {current_app.instance_path}.")
    migrations.upgrade(db.database().engine)
    session = db.session()
    if session.scalar(select(Survey).where(Survey.slug == "nisp-consultation")) is None:
        create_survey(session, builtin_definition(), state=SurveyState.open)
        click.echo("Loaded the NISP consultation: /s/nisp-consultation")
    password = None
    if admin_count(session) == 0:
        password = generate_password()
        create_user(session, FIRST_ADMIN, Role.admin, password)
    session.commit()
    if password:
        click.echo("")
        click.echo("First admin created. This password is shown once only:")
        click.echo(f"  e-mail:   {FIRST_ADMIN}")
        click.echo(f"  password: {password}")
        click.echo("")


# Modules that declare background tasks: the worker imports them so it knows every task.
TASK_MODULES: tuple[str, ...] = (
    "consult.accounts.tasks",
    "consult.analysis.themes.tasks",
    "consult.collection.tasks",
    "consult.delphi.tasks",
    "consult.distribution.tasks",
    "consult.review.tasks",
    "consult.webhooks.tasks",
)


@commands.command()
@click.option("--workers", type=click.IntRange(1, 32), default=2, help="Threads running tasks.")
def worker(workers: int) -> None:
    """Run the background job consumer (e-mail, scheduled clean-ups, ...) until stopped."""
    import importlib

    from consult.jobs import run_worker

    for name in TASK_MODULES:
        importlib.import_module(name)
    run_worker(workers)


@commands.group("db")
def db_group() -> None:
    """Schema migrations (developers)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    migrations.upgrade(db.database().engine, revision)


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    migrations.downgrade(db.database().engine, revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models against the current database."""
    migrations.revision(db.database().engine, message)
