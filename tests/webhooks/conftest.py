"""A real receiver on 127.0.0.1 (http.server in a thread) and an app whose jobs run at once.

Tests allow private addresses and http:// (WEBHOOKS_ALLOW_PRIVATE, WEBHOOKS_ALLOW_HTTP) to
reach the receiver on the loopback address; the defaults refuse both (test_addresses.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from consult.accounts.roles import Role
from tests import factories
from tests.conftest import make_app


class Receiver:
    """Answers each POST with the next of ``statuses`` (the last one repeats) and keeps what
    it got: headers and body of every request, in order."""

    def __init__(self, statuses: list[int], tls: Any = None) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(({k: v for k, v in self.headers.items()}, body))
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:  # an ssl.SSLContext: the receiver speaks HTTPS
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook?source=consult"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Any]:
    made: list[Receiver] = []

    def make(statuses: list[int] | None = None, tls: Any = None) -> Receiver:
        made.append(Receiver(statuses or [200], tls))
        return made[-1]

    yield make
    for one in made:
        one.close()


SETTINGS = {
    "JOBS_IMMEDIATE": True,
    "WEBHOOKS_ALLOW_PRIVATE": True,
    "WEBHOOKS_ALLOW_HTTP": True,
    "WEBHOOKS_RETRY_SECONDS": 0,  # attempts follow at once (the back-off is in test_delivery)
    "WEBHOOKS_PAUSE_AFTER": 4,
    "WEBHOOKS_ATTEMPTS": 3,
}


@pytest.fixture
def app(engine, connection, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, **SETTINGS)


@pytest.fixture
def organizer(client, session):
    """An identified survey (responses go at once) and its organizer, signed in."""
    survey = factories.small(session, anonymous=False)
    account = factories.user(session, Role.organizer, survey=survey)
    session.commit()
    factories.login(client, account)
    return survey
