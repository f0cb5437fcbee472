"""No token, code, query string or client address reaches the request log, whatever the
request line: hostile request lines are sent to a real server and the captured log is read."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
from werkzeug.serving import make_server

from consult import create_app

SECRETS = (
    "SECRETTOKENabcdefghijkl1234", "K7Q9-X2M4-P8RT", "SECRET3abcabcabcabcabcab",
    "SECRET4tokentokentoken99", "SECRET5junkjunkjunkjunk00", "SECRET6percentpercent7",
)  # fmt: skip
LINES = (
    f"GET /i/{SECRETS[0]}?lang=ur&group=media HTTP/1.1",
    f"GET /resume/{SECRETS[1]} HTTP/1.1",
    f"GET /i/{SECRETS[0]}x HTTP/9.9",  # a bad version: logged as an error with the raw line
    f"GET /s/nisp?token={SECRETS[2]} extra words HTTP/1.1",  # bad syntax
    f"GET /i/%d%s%{SECRETS[3]} HTTP/1.1",  # format directives in the path
    f"POST /resume/{SECRETS[1]}?x=1 HTTP/1.0",
    f"BREW /i/{SECRETS[4]}\x01\x02 HTTP/1.1",  # an unknown method and control characters
    f"GET /{SECRETS[5]}%zz%%d HTTP/1.1",
)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "logs", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    running = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running.server_port
    running.shutdown()
    thread.join(timeout=5)
    running.server_close()


def _send(port: int, line: str) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(line.encode("latin-1") + b"\r\nHost: x\r\n\r\n")
        connection.settimeout(5)
        try:
            while connection.recv(65536):
                pass
        except OSError:
            pass


def test_hostile_request_lines_leave_no_secret_in_the_log(server, capfd):
    capture = Capture()
    logger = logging.getLogger("werkzeug")
    logger.addHandler(capture)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        for line in LINES:
            _send(server, line)
        time.sleep(0.3)  # the server's threads log after answering
    finally:
        logger.removeHandler(capture)
        logger.setLevel(level)
    # What handlers got, and what logging itself printed when a record failed to format.
    text = "\n".join(capture.lines) + "\n" + "\n".join(capfd.readouterr())
    assert len(capture.lines) >= len(LINES), text  # every request was logged
    for secret in SECRETS:
        assert secret not in text, secret
    for leak in ("127.0.0.1", "lang=ur", "group=media", "token=", "x=1"):
        assert leak not in text, leak
    assert "Logging error" not in text and "/i/…" in text
