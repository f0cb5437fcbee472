"""The browser tests' live server closes a response whose client hung up mid-way (see
conftest._CloseDropped), so a font Chromium stopped loading cannot fail a later test."""

from __future__ import annotations

import gc
import socket
import struct
import sys
import time
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

FONT = "/static/fonts/noto-nastaliq-urdu.woff2"  # large enough to be cut off mid-write


def test_a_response_cut_off_by_its_client_is_closed(live_server, monkeypatch):
    leaked: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: leaked.append(repr(u.exc_value)))
    address = urlsplit(live_server["url"])
    for _ in range(10):
        client = socket.create_connection((address.hostname, address.port))
        client.sendall(f"GET {FONT} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
        assert client.recv(12).startswith(b"HTTP/1.1 200")
        # Hang up with a reset, not a clean close: the server's next write fails.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    time.sleep(0.5)  # the server's threads notice the reset
    gc.collect()
    assert not [text for text in leaked if "unclosed file" in text], leaked
