"""A TCP proxy in front of PostgreSQL that a test switches between up, down and frozen.

Down: new connections are closed at once and open ones are cut (the server has stopped).
Frozen: connections are accepted and kept, but no byte goes either way (a hung server, or a
network that drops everything): only timeouts end the wait.
"""

from __future__ import annotations

import select
import socket
import threading
from types import TracebackType


class Proxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.mode = "up"
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> Proxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def set(self, mode: str) -> None:
        """ "up", "down" or "frozen"; leaving a fault drops the connections it held."""
        previous, self.mode = self.mode, mode
        if mode == "down" or (previous != "up" and mode == "up"):
            self._drop_all()

    def close(self) -> None:
        self._stopping = True
        self._listener.close()
        self._drop_all()

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            if self.mode == "down":
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        ends = {client: server, server: client}
        try:
            while not self._stopping:
                readable, _w, _x = select.select(list(ends), [], [], 0.1)
                if self.mode != "up":
                    continue  # frozen: hold everything; down: _drop_all closes us
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    ends[source].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for end in (client, server):
                end.close()

    def _drop_all(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for end in pair:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
