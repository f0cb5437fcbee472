"""The SQLAlchemy base, engine and request-scoped session.

Plain SQLAlchemy rather than Flask-SQLAlchemy so that services take a ``Session`` and run
without Flask. One session per request (or CLI command); views commit once, services flush.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from consult import deadlines

# Predictable constraint names, so Alembic migrations can name what they drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# How many rows the database hands over at a time: bounded memory, few round trips.
STREAM_CHUNK = 2000

EXTENSION_KEY = "consult.db"
IMMEDIATE_OPTION = "consult_sqlite_immediate"


@dataclass(frozen=True)
class Timeouts:
    """How long a request waits for the database before it says "try again" (seconds).

    Well below gunicorn's worker timeout (30 s), so a respondent always gets a page that keeps
    the answers instead of a killed worker (settings DB_CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT,
    DB_BUSY_TIMEOUT).
    """

    connect: float = 5.0  # opening a connection (PostgreSQL connect_timeout)
    statement: float = 10.0  # one statement (statement_timeout; the client-side deadline)
    busy: float = 10.0  # SQLite: waiting for another process's write lock

    @classmethod
    def of(cls, config: Any) -> Timeouts:
        return cls(
            connect=float(config.get("DB_CONNECT_TIMEOUT", cls.connect)),
            statement=float(config.get("DB_STATEMENT_TIMEOUT", cls.statement)),
            busy=float(config.get("DB_BUSY_TIMEOUT", cls.busy)),
        )


def make_engine(url: str, echo: bool = False, timeouts: Timeouts | None = None) -> Engine:
    """An engine tuned for the backend, with its timeouts: SQLite gets WAL, a busy timeout and
    real SAVEPOINTs; PostgreSQL a connect timeout, a statement timeout on the server and a
    deadline for every round trip on the client (deadlines.py).

    SQL parameters never appear in error messages or logs (``hide_parameters``): they hold
    answers, tokens' hashes and codes.
    """
    timeouts = timeouts or Timeouts()
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, hide_parameters=True, connect_args={"timeout": timeouts.busy}
        )
        _tune_sqlite(engine, timeouts)
        return engine
    server_ms = int(timeouts.statement * 1000)
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_timeout=timeouts.connect,
        connect_args={
            "connect_timeout": max(2, round(timeouts.connect)),  # libpq: 2 s at least
            "options": f"-c statement_timeout={server_ms} -c lock_timeout={server_ms}",
        },
    )
    # The client's deadline a little after the server's, which ends its own statements first.
    deadlines.guard(engine, timeouts.statement * 1.2 + 0.5)
    return engine


def _tune_sqlite(engine: Engine, timeouts: Timeouts) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; take it over, as
    # SQLAlchemy's documentation recommends, so nested transactions (tests, idempotent submits)
    # behave as on PostgreSQL.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(timeouts.busy * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred transaction that reads and then writes fails at once (SQLITE_BUSY_SNAPSHOT)
        # when another writer committed in between: the busy timeout cannot help. Requests
        # that write therefore take the write lock up front and queue for it instead.
        immediate = conn.get_execution_options().get(IMMEDIATE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Holds the engine and session factory of one app; sessions live on ``flask.g``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessionmaker: sessionmaker[Session] = sessionmaker(bind=engine, expire_on_commit=False)
        # SQLite serialises writers; POST requests there begin with the write lock taken.
        self.immediate_writes = engine.dialect.name == "sqlite"

    def bind_to(self, bind: Engine | Connection, **options: Any) -> None:
        """Route new sessions to ``bind`` (tests use an outer transaction rolled back per test)."""
        self.sessionmaker = sessionmaker(bind=bind, expire_on_commit=False, **options)
        self.immediate_writes = isinstance(bind, Engine) and bind.dialect.name == "sqlite"


def init_app(app: Flask) -> None:
    # create_engine does not connect: the factory stays free of I/O.
    engine = make_engine(
        app.config["DATABASE_URL"],
        echo=app.config["SQLALCHEMY_ECHO"],
        timeouts=Timeouts.of(app.config),
    )
    app.extensions[EXTENSION_KEY] = Database(engine)
    app.teardown_appcontext(_close_session)


def database(app: Flask | None = None) -> Database:
    db: Database = (app or current_app).extensions[EXTENSION_KEY]
    return db


def session() -> Session:
    """The session of the current request or command, opened on first use."""
    if "db_session" not in g:
        db = database()
        g.db_session = db.sessionmaker()
        posting = has_request_context() and request.method == "POST"
        if db.immediate_writes and posting and not g.get("defer_write_lock"):
            g.db_session.connection(execution_options={IMMEDIATE_OPTION: True})
    sess: Session = g.db_session
    return sess


def defer_write_lock() -> None:
    """This request reads first and takes SQLite's write lock only at prepare_write().

    For the respondent hot path: validating a form inside the write lock would make every
    process wait for every other's validation. Call before the request's first query.
    """
    g.defer_write_lock = True


def prepare_write() -> None:
    """On SQLite, end the read transaction and begin the writing one with the lock taken.

    A deferred transaction that read and then writes fails at once (SQLITE_BUSY_SNAPSHOT)
    when another process committed in between; BEGIN IMMEDIATE queues for the lock instead.
    Objects loaded so far are expired (reloaded on next use). PostgreSQL: nothing to do.
    """
    db = database()
    if not db.immediate_writes or not g.get("defer_write_lock"):
        return
    sess = session()
    sess.rollback()  # nothing was written: only the read snapshot ends
    sess.connection(execution_options={IMMEDIATE_OPTION: True})


def discard_session() -> None:
    """Drop the request's session after the database failed: nothing half-done is kept, and
    no further statement waits on a connection that just failed (no round trip is made)."""
    sess = g.pop("db_session", None)
    if sess is not None:
        try:
            sess.close()
        except Exception:  # noqa: BLE001 - the connection is broken already; the pool replaces it
            sess.invalidate()


def _close_session(_exc: BaseException | None) -> None:
    sess = g.pop("db_session", None)
    if sess is not None:
        sess.close()


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL ``timestamp without time zone`` columns."""
    return datetime.now(UTC).replace(tzinfo=None)


def plain_partitions(connection: Connection, stmt: Any) -> Iterator[Sequence[Any]]:
    """The rows of ``stmt``, STREAM_CHUNK at a time, as the driver hands them over.

    For long reads of plain values (ids, text) that need no conversion on the way out. On
    SQLite, SQLAlchemy executes the statement (parameters, events) and the rows are then read
    from the driver's cursor: 0.24 s against 0.31 s through SQLAlchemy's result rows for the
    summary's 280,000 comments (docs/performance.md). Elsewhere (PostgreSQL: a server-side
    cursor) through SQLAlchemy's result as usual.
    """
    if connection.dialect.name != "sqlite":
        with connection.execute(stmt.execution_options(yield_per=STREAM_CHUNK)) as result:
            yield from result.partitions()
        return
    # No yield_per here: SQLAlchemy then reads nothing ahead of us from the cursor.
    with connection.execute(stmt) as result:
        while rows := result.cursor.fetchmany(STREAM_CHUNK):
            yield rows
