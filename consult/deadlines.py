"""A deadline for every PostgreSQL round trip, kept by the client.

PostgreSQL's own ``statement_timeout`` ends statements the server is running; it cannot help
when the server (or the network in between) stops answering at all: the client then waits
for bytes that never come, and the worker hangs until gunicorn kills it — with a respondent's
answers in the request. So each execute, commit, rollback and ping of an engine made by
``guard`` runs with a deadline: one thread per process wakes a few times a second, and when a
deadline passes it shuts the connection's socket down. The waiting call then fails at once
with an OperationalError, which the views turn into a "try again" page that keeps the answers.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from sqlalchemy.engine import Engine

# How often the watchdog looks at the deadlines (a fraction of any timeout worth setting).
TICK = 0.2
# The dialect's methods that wait for the server.
GUARDED = ("do_execute", "do_executemany", "do_execute_no_params", "do_commit", "do_rollback",
           "do_ping")  # fmt: skip


class Watchdog:
    """Deadlines of the calls waiting on a server, and the thread that enforces them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deadlines: dict[int, tuple[float, Any]] = {}
        self._numbers = itertools.count()
        self._owner = 0  # the process whose thread runs (a forked child starts its own)
        self.thread: threading.Thread | None = None
        # A fork (the exports' reader and helper: exports/forked.py) waits until the thread is
        # out of its lock, so the child's copy of the lock is free; the child keeps none of
        # the parent's deadlines (cutting one would shut the socket both processes share).
        os.register_at_fork(
            before=self._lock.acquire,
            after_in_parent=self._lock.release,
            after_in_child=self._forgotten,
        )

    def _forgotten(self) -> None:
        self._deadlines.clear()
        self._lock.release()

    def arm(self, dbapi_connection: Any, seconds: float) -> int:
        number = next(self._numbers)
        with self._lock:
            self._deadlines[number] = (time.monotonic() + seconds, dbapi_connection)
            if self._owner != os.getpid():
                self._owner = os.getpid()
                self.thread = threading.Thread(target=self._watch, name="db-deadlines",
                                               daemon=True)  # fmt: skip
                self.thread.start()
        return number

    def disarm(self, number: int) -> None:
        with self._lock:
            self._deadlines.pop(number, None)

    def _watch(self) -> None:
        while True:
            time.sleep(TICK)
            now = time.monotonic()
            with self._lock:
                late = [n for n, (deadline, _c) in self._deadlines.items() if deadline < now]
                connections = [self._deadlines.pop(n)[1] for n in late]
            for connection in connections:
                cut(connection)


def cut(dbapi_connection: Any) -> None:
    """Shut the connection's socket down, so the call waiting on it fails now."""
    try:
        fd = dbapi_connection.pgconn.socket
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError, ValueError):
        pass  # already closed: the waiting call has its answer


WATCHDOG = Watchdog()


def forks_safely(thread: threading.Thread) -> bool:
    """Whether ``thread`` is this process's watchdog, which a fork cannot catch in its lock."""
    return thread is WATCHDOG.thread and WATCHDOG._owner == os.getpid()


def guard(engine: Engine, seconds: float) -> None:
    """Give every round trip of ``engine``'s connections a deadline of ``seconds``."""
    dialect = engine.dialect
    for name in GUARDED:
        setattr(dialect, name, _with_deadline(getattr(dialect, name), seconds))


def _with_deadline(call: Callable[..., Any], seconds: float) -> Callable[..., Any]:
    @wraps(call)
    def guarded(target: Any, *args: Any, **kwargs: Any) -> Any:
        number = WATCHDOG.arm(driver_connection(target), seconds)
        try:
            return call(target, *args, **kwargs)
        finally:
            WATCHDOG.disarm(number)

    return guarded


def driver_connection(target: Any) -> Any:
    """psycopg's connection behind what the dialect was handed: the connection itself, the
    pool's proxy of it, or a cursor."""
    if hasattr(target, "pgconn"):
        return target
    if hasattr(target, "driver_connection"):  # SQLAlchemy's pool proxy
        return target.driver_connection
    return getattr(target, "connection", None)
