"""A query read by a forked process on its own connection, while this process writes.

The raw export's rows come from one long query. Read in a thread beside the writer, it gained
nothing: SQLite gives the GIL back on every row it steps to, so the two threads queue on the
GIL. A forked reader has its own interpreter: it steps the query and sends each chunk of rows
down a pipe (at most a chunk or two ahead: the pipe's buffer is the back pressure). For the
export it also parses the answers' JSON; this process unpickles, shapes and writes (faster
than the thread, measured alternating with it: docs/performance.md).

Like the summary's comments helper (comment_job.py), the reader sees committed rows only:
use it from read-only requests and commands, never after writing in the same transaction.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Engine, Select

from consult.deadlines import forks_safely

T = TypeVar("T")

# Rows in the view from which a forked reader pays (forking and a second connection cost a few
# milliseconds; 10,000 NISP responses read in ~0.1 s in-process).
READER_MIN_ROWS = 10_000


def fork_allowed() -> bool:
    """Forking is safe only from a process whose other threads hold no lock the child needs:
    none, or only the database watchdog (deadlines.py), which gets out of its lock for a fork.

    (Counting the watchdog as any thread kept PostgreSQL's exports in one process from the
    day the watchdog came: raw / bare 2.69 against 1.84–2.21, docs/performance.md.)
    """
    main = threading.main_thread()
    others = [t for t in threading.enumerate() if t is not main and not forks_safely(t)]
    alone = threading.current_thread() is main and not others
    return alone and "fork" in multiprocessing.get_all_start_methods()


def _read(
    bind: Engine, stmt: Select[Any], prepare: Callable[[Sequence[Any]], Any], send: Any
) -> None:
    """In the reader: each chunk of rows, prepared, then None (or the error)."""
    try:
        # The parent's pooled connections stay the parent's (never used or closed here).
        bind.dispose(close=False)
        with bind.connect() as connection:
            for rows in connection.execute(stmt).partitions():
                send.send(prepare(rows))
        send.send(None)
    except BaseException:  # noqa: BLE001 - raised again in the parent
        send.send(traceback.format_exc())


class ReaderFailed(RuntimeError):
    """The forked reader stopped with an error (its traceback is the message)."""


def forked_partitions(
    bind: Engine, stmt: Select[Any], prepare: Callable[[Sequence[Any]], T]
) -> Iterator[T]:
    """``prepare`` of each chunk of the rows of ``stmt`` (with ``yield_per`` set), both done by
    a fork: whatever work on the rows needs nothing from this process is best done there."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_read, args=(bind, stmt, prepare, send), name="consult-reader", daemon=True
    )
    process.start()
    send.close()
    finished = False
    try:
        while True:
            try:
                got = receive.recv()
            except EOFError:
                got = "the reader process ended without a result"
            if got is None:
                finished = True
                return
            if isinstance(got, str):
                raise ReaderFailed(got)
            yield got
    finally:
        # Stopped early (the consumer failed or closed us): the reader only reads.
        if not finished and process.is_alive():
            process.kill()
        process.join()
        receive.close()
