"""Invitation uses of anonymous surveys, held outside the database until they are recorded in
batches, so that nothing in the database — its rows, their transaction ids, its write-ahead
log — pairs an invitation with the response it gave (docs/privacy.md).

A use is *claimed* just before its response (or saved draft) is stored: the claim is atomic,
so one invitation gives one response even from twenty tabs at once. Once the response is
committed the claim is *confirmed*; if storing failed it is *released*. Confirmed uses are
recorded in the database by a background task only when a survey has at least a batch of
them (``INVITATION_USE_BATCH``), all in one transaction, in random order (tasks.py). A claim
left behind by a crashed process is released after ``STALE`` seconds.

The store is Redis when ``CONSULT_REDIS_URL`` is set (shared by every machine), otherwise an
SQLite file in shared memory on this machine (``PENDING_USES_PATH``; by default under
/dev/shm): never in the instance folder, never in a backup or a copy of the database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

# Seconds after which an unconfirmed claim is taken for a crashed request and released.
STALE = 600
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pending (invitation_id INTEGER PRIMARY KEY, survey_id INTEGER"
    " NOT NULL, group_id INTEGER, confirmed INTEGER NOT NULL DEFAULT 0, since REAL NOT NULL)"
)


class PendingUses(Protocol):
    """Where claimed and confirmed uses wait to be recorded."""

    def claim(self, invitation_id: int, survey_id: int, group_id: int | None) -> bool: ...
    def confirm(self, invitation_id: int) -> None: ...
    def release(self, invitation_id: int) -> None: ...
    def holds(self, invitation_id: int) -> bool: ...
    def confirmed(self, survey_id: int) -> list[tuple[int, int | None]]: ...
    def surveys(self) -> list[int]: ...
    def drop(self, invitation_ids: list[int]) -> None: ...
    def release_stale(self, now: float | None = None) -> int: ...


class FileUses:
    """Pending uses in a small SQLite file in shared memory (one machine, several processes)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        # No write-ahead log, no journal file left behind: nothing that keeps the order of uses.
        connection.execute("PRAGMA journal_mode=MEMORY")
        connection.execute(SCHEMA)
        return connection

    def claim(self, invitation_id: int, survey_id: int, group_id: int | None) -> bool:
        with self._connect() as db:
            try:
                db.execute(
                    "INSERT INTO pending (invitation_id, survey_id, group_id, since)"
                    " VALUES (?, ?, ?, ?)",
                    (invitation_id, survey_id, group_id, time.time()),
                )
            except sqlite3.IntegrityError:
                return False
        return True

    def confirm(self, invitation_id: int) -> None:
        with self._connect() as db:
            db.execute("UPDATE pending SET confirmed = 1 WHERE invitation_id = ?", (invitation_id,))

    def release(self, invitation_id: int) -> None:
        self.drop([invitation_id])

    def holds(self, invitation_id: int) -> bool:
        with self._connect() as db:
            row = db.execute("SELECT 1 FROM pending WHERE invitation_id = ?", (invitation_id,))
            return row.fetchone() is not None

    def confirmed(self, survey_id: int) -> list[tuple[int, int | None]]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT invitation_id, group_id FROM pending WHERE survey_id = ? AND confirmed",
                (survey_id,),
            )
            return [(int(i), g) for i, g in rows.fetchall()]

    def surveys(self) -> list[int]:
        with self._connect() as db:
            return [int(s) for (s,) in db.execute("SELECT DISTINCT survey_id FROM pending")]

    def drop(self, invitation_ids: list[int]) -> None:
        with self._connect() as db:
            db.executemany(
                "DELETE FROM pending WHERE invitation_id = ?", [(i,) for i in invitation_ids]
            )

    def release_stale(self, now: float | None = None) -> int:
        limit = (now or time.time()) - STALE
        with self._connect() as db:
            cursor = db.execute("DELETE FROM pending WHERE NOT confirmed AND since < ?", (limit,))
            return int(cursor.rowcount or 0)


class RedisUses:
    """Pending uses in Redis, shared by every machine: a hash per invitation, a set per survey."""

    def __init__(self, url: str, prefix: str = "consult:pending-use") -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.prefix = prefix

    def _key(self, invitation_id: int) -> str:
        return f"{self.prefix}:{invitation_id}"

    def claim(self, invitation_id: int, survey_id: int, group_id: int | None) -> bool:
        fields: dict[str | bytes | bytearray | memoryview | int | float, Any] = {
            "survey": survey_id, "group": "" if group_id is None else group_id,
            "confirmed": 0, "since": time.time(),
        }  # fmt: skip
        key = self._key(invitation_id)
        if not self.redis.hsetnx(key, "survey", survey_id):
            return False  # another request holds it (HSETNX is atomic)
        self.redis.hset(key, mapping=fields)
        self.redis.sadd(f"{self.prefix}:survey:{survey_id}", invitation_id)
        self.redis.sadd(f"{self.prefix}:surveys", survey_id)
        return True

    def confirm(self, invitation_id: int) -> None:
        self.redis.hset(self._key(invitation_id), "confirmed", 1)

    def release(self, invitation_id: int) -> None:
        self.drop([invitation_id])

    def holds(self, invitation_id: int) -> bool:
        return bool(self.redis.exists(self._key(invitation_id)))

    def _entries(self, survey_id: int) -> list[tuple[int, dict[bytes, bytes]]]:
        ids = [int(i) for i in self.redis.smembers(f"{self.prefix}:survey:{survey_id}")]
        return [(i, self.redis.hgetall(self._key(i))) for i in ids]  # type: ignore[misc]

    def confirmed(self, survey_id: int) -> list[tuple[int, int | None]]:
        return [
            (i, int(entry[b"group"]) if entry.get(b"group") else None)
            for i, entry in self._entries(survey_id)
            if entry.get(b"confirmed") == b"1"
        ]

    def surveys(self) -> list[int]:
        return [int(s) for s in self.redis.smembers(f"{self.prefix}:surveys")]

    def drop(self, invitation_ids: list[int]) -> None:
        for invitation_id in invitation_ids:
            survey = self.redis.hget(self._key(invitation_id), "survey")
            self.redis.delete(self._key(invitation_id))
            if survey is not None:
                self.redis.srem(f"{self.prefix}:survey:{int(survey)}", invitation_id)

    def release_stale(self, now: float | None = None) -> int:
        limit, released = (now or time.time()) - STALE, []
        for survey_id in self.surveys():
            for i, entry in self._entries(survey_id):
                if entry.get(b"confirmed") != b"1" and float(entry.get(b"since", 0)) < limit:
                    released.append(i)
        self.drop(released)
        return len(released)


EXTENSION_KEY = "consult.pending_uses"


def pending_uses() -> PendingUses:
    """The current application's store (made on first use: creating the app opens nothing)."""
    from flask import current_app

    store = current_app.extensions.get(EXTENSION_KEY)
    if store is None:
        store = store_for(current_app.config, current_app.instance_path)
        current_app.extensions[EXTENSION_KEY] = store
    return store


def default_path(instance_path: str) -> Path:
    """A file in shared memory, in a directory only this account may enter, named after the
    instance (one instance, one file)."""
    shared = Path("/dev/shm")  # noqa: S108 - memory, not disk; a private 0700 directory below
    base = shared if shared.is_dir() else Path(tempfile.gettempdir())
    name = hashlib.sha256(str(Path(instance_path).resolve()).encode()).hexdigest()[:16]
    folder = base / f"consult-{name}"
    folder.mkdir(mode=0o700, exist_ok=True)
    status = folder.stat()
    if status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise RuntimeError(f"{folder} belongs to another account or is open to others.")
    return folder / "pending-uses.sqlite"


def store_for(config: Any, instance_path: str) -> PendingUses:
    """The store the configuration asks for (Redis, or the shared-memory file)."""
    if config.get("REDIS_URL"):
        return RedisUses(config["REDIS_URL"])
    path = config.get("PENDING_USES_PATH") or default_path(instance_path)
    return FileUses(Path(path))
