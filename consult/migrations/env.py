"""Alembic environment: runs on the connection consult hands over, or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

# Every feature's models, so that Base.metadata holds every table.
from consult.accounts import audit as _audit  # noqa: F401
from consult.accounts import models as _accounts  # noqa: F401
from consult.analysis import models as _analysis  # noqa: F401
from consult.analysis.themes import models as _themes  # noqa: F401
from consult.collection import models as _collection  # noqa: F401
from consult.db import Base, make_engine
from consult.delphi import models as _delphi  # noqa: F401
from consult.distribution import models as _distribution  # noqa: F401
from consult.review import models as _review  # noqa: F401
from consult.surveys import models as _surveys  # noqa: F401
from consult.tracking import models as _tracking  # noqa: F401
from consult.webhooks import models as _webhooks  # noqa: F401

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table, as Alembic recommends.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch mode re-creates a table to alter it (copy, drop, rename). With foreign keys
            # on, dropping `response` would cascade into `answer` and delete every answer.
            # The pragma only works outside a transaction, so it goes to the driver directly.
            _pragma(conn, "PRAGMA foreign_keys=OFF")
        _run(conn)
        if sqlite:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.rollback()
            _pragma(conn, "PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    engine.dispose()


def _pragma(conn: Connection, statement: str) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None  # noqa: S101 - an open connection always has one
    driver.execute(statement)


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
