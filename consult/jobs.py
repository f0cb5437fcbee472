"""Background jobs: e-mail, webhooks, theming, long exports and scheduled clean-ups (Huey).

One queue for the process. Features declare their tasks on ``huey`` at import time
(``@huey.task()``, ``@huey.periodic_task(...)``); ``init_app`` chooses the storage from the
configuration: Redis when ``CONSULT_REDIS_URL`` is set (several machines share one queue),
otherwise an SQLite file in the instance folder (``jobs.sqlite``, one machine). Nothing is
opened until a task is queued or the worker starts, so ``create_app`` stays free of I/O.
``consult worker`` runs the consumer (``make run`` starts one beside the server);
``JOBS_IMMEDIATE = True`` runs tasks at once in the calling process (tests, tiny setups).

A task runs inside an application context of its own (``app_context``): it opens its session,
commits once, and never sees the request that queued it. Arguments are plain ids and values:
never ORM objects, which belong to the queuing request's session.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context


def _import_huey() -> None:
    """Import Huey without the PostgreSQL driver it loads for a queue consult never uses.

    ``huey.storage`` imports psycopg for its PostgreSQL storage whether or not it is used:
    ~0.1 s of every ``consult`` command's and web worker's start-up on SQLite
    (docs/performance.md). psycopg is hidden for that one import (None in ``sys.modules``
    makes ``import psycopg`` fail, which huey expects); SQLAlchemy's own import of psycopg,
    for a PostgreSQL database, loads it as usual afterwards.
    """
    if "huey.storage" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]
    try:
        importlib.import_module("huey.storage")
    finally:
        if "psycopg" in sys.modules and sys.modules["psycopg"] is None:
            del sys.modules["psycopg"]


_import_huey()

# After _import_huey; the features take crontab from here for the same reason.
from huey import Huey, crontab  # noqa: E402
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage  # noqa: E402

__all__ = ["JOBS_FILE", "LazyHuey", "app_context", "crontab", "huey", "init_app", "run_worker"]

JOBS_FILE = "jobs.sqlite"


class LazyHuey(Huey):
    """A Huey whose storage is made on first use, from the settings ``configure`` gave."""

    def __init__(self, name: str) -> None:
        self._storage: Any = None
        self.app: Flask | None = None
        super().__init__(name, storage_class=MemoryStorage, utc=True)

    def configure(self, storage_class: type, immediate: bool, **kwargs: Any) -> None:
        self.storage_class = storage_class
        self.storage_kwargs = kwargs
        self._storage = None
        self._immediate = immediate

    @property
    def storage(self) -> Any:
        if self._storage is None:
            self._storage = self.create_storage()
        return self._storage

    @storage.setter
    def storage(self, value: Any) -> None:
        self._storage = value


huey = LazyHuey("consult")


def init_app(app: Flask) -> None:
    """Point the queue at Redis or at the instance's SQLite file (opened on first use)."""
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    url = app.config.get("REDIS_URL")
    if url:
        huey.configure(RedisStorage, immediate, url=url)
    else:
        filename = str(Path(app.instance_path) / JOBS_FILE)
        huey.configure(SqliteStorage, immediate, filename=filename)
    huey.app = app


@contextmanager
def app_context() -> Iterator[Flask]:
    """The application a task runs in: the current one, or the worker's own."""
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    if huey.app is None:
        raise RuntimeError("No application: start tasks through `consult worker`.")
    with huey.app.app_context():
        yield huey.app


def run_worker(workers: int = 2) -> None:
    """The consumer, in this process, until interrupted (``consult worker``)."""
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()
