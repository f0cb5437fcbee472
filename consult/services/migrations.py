"""Schema migrations with Alembic, driven from code (``consult init``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(bind: Engine | Connection) -> Config:
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
    command.upgrade(alembic_config(bind), revision)


def downgrade(bind: Engine | Connection, revision: str) -> None:
    command.downgrade(alembic_config(bind), revision)


def revision(bind: Engine, message: str) -> None:
    """Autogenerate a new revision against the database at ``bind`` (for developers)."""
    command.revision(alembic_config(bind), message=message, autogenerate=True)
