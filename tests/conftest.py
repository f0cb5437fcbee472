"""Fixtures: every test runs against SQLite, and against PostgreSQL where one is reachable.

Each backend gets a freshly migrated database for the session; each test runs inside a
transaction on one connection that is rolled back afterwards, so tests never see each other's
data. Views commit to a SAVEPOINT within that transaction.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from consult import create_app, db, migrations
from consult.db import make_engine

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", "postgresql"]
_ran_on: dict[str, str] = {}
_pg_skipped: list[str] = []


def pg_base_url() -> str:
    url = os.environ.get("CONSULT_TEST_DATABASE_URL", PG_DEFAULT)
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def postgres_engine() -> tuple[Engine, Any]:
    """A fresh database on the server; returns its engine and a function that drops it."""
    base = make_url(pg_base_url())
    admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"consult_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable here"
        admin.dispose()
        reason = str(error).strip().splitlines()[0][:200]
        if os.environ.get("CONSULT_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL required but not reachable at {base}: {reason}")
        _pg_skipped.append(f"PostgreSQL not reachable at {base.render_as_string()}: {reason}")
        pytest.skip(_pg_skipped[-1])
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))

    def drop() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return engine, drop


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite"
        eng = make_engine(f"sqlite:///{path}")
        drop = eng.dispose
    else:
        eng, drop = postgres_engine()
    migrations.upgrade(eng)
    _ran_on[request.param] = eng.url.render_as_string()
    yield eng
    drop()


@pytest.fixture
def backend(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    sess = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield sess
    sess.close()


@pytest.fixture(autouse=True)
def pending_uses_apart(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    """Each test's anonymous invitation uses wait in a store of their own (pending.py): a
    store outlives a test's rolled-back transaction, and ids repeat between tests."""
    folder = tmp_path_factory.mktemp("pending")
    monkeypatch.setenv("CONSULT_PENDING_USES_PATH", str(folder / "uses.sqlite"))


def make_app(engine: Engine, connection: Connection, **overrides: Any) -> Flask:
    """An app whose sessions run inside the test's transaction."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "RATELIMIT_ENABLED": False,
    }
    application = create_app(config | overrides)
    db.database(application).bind_to(connection, join_transaction_mode="create_savepoint")
    return application


@pytest.fixture
def app(
    engine: Engine, connection: Connection, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Flask:
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NONCE_INPUT = re.compile(r'name="nonce" type="hidden" value="([^"]+)"')


def form_tokens(client: FlaskClient, url: str) -> dict[str, str]:
    """The hidden tokens of the form at ``url`` (CSRF, and the one-time nonce where present)."""
    page = client.get(url).get_data(as_text=True)
    tokens = {"csrf_token": CSRF_INPUT.search(page).group(1)}  # type: ignore[union-attr]
    nonce = NONCE_INPUT.search(page)
    if nonce:
        tokens["nonce"] = nonce.group(1)
    return tokens


# Tests that go through the application (its test client, command runner or a live server)
# are functional; the rest call services and the kernel directly and are unit tests. Browser
# tests carry their own marker.
APP_FIXTURES = {"app", "client", "runner", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser"):
            continue
        used = set(getattr(item, "fixturenames", ()))
        item.add_marker(pytest.mark.functional if used & APP_FIXTURES else pytest.mark.unit)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _ran_on:
        names = ", ".join(sorted(_ran_on))
        terminalreporter.write_line(f"consult: database tests ran on: {names}")
    if _pg_skipped:
        terminalreporter.write_line(f"consult: PostgreSQL tests skipped: {_pg_skipped[0]}")


class MailServer:
    """A real SMTP server in the test process (aiosmtpd): what it received, and addresses it
    refuses for good (550) or for now (451)."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.refuse: set[str] = set()
        self.busy = 0  # answer 451 to this many more messages
        self.url = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    from aiosmtpd.controller import Controller

    server = MailServer()
    with socket.socket() as probe:  # a free port (the controller's start-up check needs one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    server.url = f"smtp://127.0.0.1:{port}"
    yield server
    controller.stop()
