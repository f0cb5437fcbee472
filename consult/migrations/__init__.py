"""Schema migrations with Alembic, driven from code (``consult init``, tests).

Part of the shell's layer: its ``env.py`` imports every feature's models so that Alembic sees
every table; nothing below the shell imports this package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported inside the functions: loading it costs a tenth of a second, and every
# `consult` command (e.g. an export) would pay for it without migrating anything.

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(bind: Engine | Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Revisions are named by date, so the folder reads in the order they were written.
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    if isinstance(bind, Engine):
        config.set_main_option("sqlalchemy.url", bind.url.render_as_string(hide_password=False))
    else:
        config.attributes["connection"] = bind
    return config


def upgrade(bind: Engine | Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(bind), revision)


def downgrade(bind: Engine | Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(bind), revision)


def revision(bind: Engine, message: str) -> None:
    """Autogenerate a new revision against the database at ``bind`` (for developers)."""
    from alembic import command

    command.revision(alembic_config(bind), message=message, autogenerate=True)
