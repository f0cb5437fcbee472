"""``consult backup FILE`` and ``consult restore FILE``: a consistent copy of the database.

SQLite: SQLite's online backup API copies every page inside one read transaction, so the copy
is the database as it stood at one instant, while respondents go on submitting (WAL readers do
not block writers). The copy is written beside FILE and renamed into place when whole.
PostgreSQL: ``pg_dump --format=custom`` (and ``pg_restore`` back), the documented tools; the
password travels in PGPASSWORD, never on a command line. Restoring needs an empty database
(a new instance before ``consult init``), then migrates the copy to this version's schema.
The instance's ``secret_key`` is not in the database: keep it with the backups (see
docs/deployment.md), or sign-ins, e-mailed links and unsubscribe links stop working.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from consult import db, migrations
from consult.accounts.audit import Action, record

# Tables whose rows make a database "in use": a restore refuses to overwrite them.
KEPT = ("survey", "user_account", "response")


def sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise click.ClickException("The database is in memory: there is nothing to back up.")
    return Path(database)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` with the online backup API; returns the pages copied."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=-1)  # one step: one read transaction, one instant
        pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise click.ClickException("The copy failed its integrity check; nothing written.")
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)
    return pages


def restore_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise click.ClickException(f"{source} is not a sound SQLite database.")
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()


def in_use(engine: Engine) -> bool:
    """Whether the database holds surveys, accounts or responses already."""
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in KEPT:
            if table in tables and conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():  # noqa: S608 - fixed names
                return True
    return False


def _pg(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without its password, and an environment carrying the password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(
            f"{name} is not installed (Debian: apt-get install postgresql-client)."
        )
    return found


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE, while the site keeps running."""
    engine = db.database().engine
    if engine.dialect.name == "sqlite":
        pages = backup_sqlite(sqlite_path(engine), file)
        click.echo(f"Backed up {pages} pages to {file}.")
    else:
        url, env = _pg(engine.url.render_as_string(hide_password=False))
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(file), url]
        subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed program, our arguments
        click.echo(f"Backed up the PostgreSQL database to {file} (pg_dump custom format).")
    session = db.session()  # recorded after the copy: it never waits behind a writer first
    record(session, None, Action.backup, target=file.name)
    session.commit()


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore FILE (made by consult backup) into this instance's empty database."""
    engine = db.database().engine
    if in_use(engine):
        raise click.ClickException(
            "This database holds surveys or accounts already: restore into a new, empty "
            "instance (before consult init)."
        )
    if engine.dialect.name == "sqlite":
        target = sqlite_path(engine)
        engine.dispose()
        restore_sqlite(file, target)
    else:
        url, env = _pg(engine.url.render_as_string(hide_password=False))
        command = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", url, str(file)]
        subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed program, our arguments
    migrations.upgrade(engine)
    session = db.session()
    record(session, None, Action.restore, target=file.name)
    session.commit()
    click.echo(f"Restored {file}.")


COMMANDS = [backup_command, restore_command]
