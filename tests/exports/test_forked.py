"""The raw export's forked reader: the same rows as reading in-process, errors raised here."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from consult import deadlines
from consult.collection.synthetic import add_fake_responses
from consult.exports import forked, raw
from consult.exports.raw import raw_table
from consult.surveys.models import Survey
from tests import factories


@pytest.fixture
def committed(engine):
    """Responses committed: the reader reads on its own connection."""

    def fill(session, survey):
        list(add_fake_responses(session, survey, 60, seed=7))

    with factories.committed_nisp(engine, "nisp-reader", fill) as survey_id:
        yield survey_id


def _rows(engine, survey_id, reader):
    with Session(engine) as session:
        survey = session.get(Survey, survey_id)
        return list(raw_table(session, survey, "ur", reader=reader).rows)


def test_the_forked_reader_gives_the_rows_read_in_process(engine, committed, monkeypatch):
    forks = []
    original = forked.forked_partitions

    def spied(bind, stmt, prepare):
        forks.append(stmt)
        return original(bind, stmt, prepare)

    monkeypatch.setattr(raw, "forked_partitions", spied)
    monkeypatch.setattr(raw, "READER_MIN_ROWS", 1)  # 60 responses are enough here
    # Other tests of the run may leave idle threads (a browser test's live server).
    monkeypatch.setattr(raw, "fork_allowed", lambda: True)
    alone = _rows(engine, committed, reader=False)
    assert forks == []
    read = _rows(engine, committed, reader=True)
    assert len(forks) == 1  # it forked
    assert len(read) == 60 and read == alone


def test_the_forked_reader_shapes_the_rows_too(engine, committed, monkeypatch):
    """The question types' exporters run in the reader: this process only unpickles and
    writes (docs/performance.md). Cells made here would show up in this list."""
    made_here = []
    original = raw._Cells.__missing__

    def spied(self, value):
        made_here.append(value)
        return original(self, value)

    monkeypatch.setattr(raw._Cells, "__missing__", spied)
    monkeypatch.setattr(raw, "READER_MIN_ROWS", 1)
    monkeypatch.setattr(raw, "fork_allowed", lambda: True)
    assert len(_rows(engine, committed, reader=True)) == 60
    assert made_here == []
    assert len(_rows(engine, committed, reader=False)) == 60
    assert made_here  # the same spy sees the cells made in-process


def test_a_small_table_is_read_in_process(engine, committed, monkeypatch):
    monkeypatch.setattr(raw, "fork_allowed", lambda: True)
    monkeypatch.setattr(raw, "forked_partitions", lambda *a: pytest.fail("forked"))
    assert len(_rows(engine, committed, reader=True)) == 60  # below READER_MIN_ROWS


def test_the_readers_error_is_raised_here(engine):
    with pytest.raises(forked.ReaderFailed, match="no_such_table"):
        list(
            forked.forked_partitions(
                engine, select(text("x")).select_from(text("no_such_table")), list
            )
        )


def test_a_reader_left_early_is_stopped(engine, committed):
    stmt = select(text("1")).select_from(text("answer")).execution_options(yield_per=10)
    chunks = forked.forked_partitions(engine, stmt, list)
    assert len(next(chunks)) == 10
    assert len(multiprocessing.active_children()) == 1
    chunks.close()  # the consumer stops after one chunk
    assert multiprocessing.active_children() == []  # killed and joined, not left running


def _left_by_others() -> list[threading.Thread]:
    """Threads other tests of the run may leave (a live server's, a consumer's)."""
    main, watchdog = threading.main_thread(), deadlines.WATCHDOG.thread
    return [t for t in threading.enumerate() if t is not main and t is not watchdog]


def _arm_and_disarm() -> None:
    """In a forked child: the watchdog's lock is free and the child's own thread starts."""
    number = deadlines.WATCHDOG.arm(None, 60)
    deadlines.WATCHDOG.disarm(number)
    assert deadlines.WATCHDOG.thread is not None and deadlines.WATCHDOG.thread.is_alive()


def test_the_database_watchdog_does_not_stop_a_fork():
    """PostgreSQL's engines start the watchdog thread (deadlines.py) at their first round trip;
    a process with it (and no other thread) may fork, and the child's calls do not hang on a
    lock the thread held when the process forked."""
    deadlines.WATCHDOG.disarm(deadlines.WATCHDOG.arm(None, 60))  # its thread runs here now
    assert deadlines.forks_safely(deadlines.WATCHDOG.thread)
    assert forked.fork_allowed() == (not _left_by_others())
    for _ in range(20):  # forks at any moment of the thread's loop
        child = multiprocessing.get_context("fork").Process(target=_arm_and_disarm)
        child.start()
        child.join(timeout=10)
        assert child.exitcode == 0


def test_another_thread_stops_a_fork():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, name="someone else's", daemon=True)
    other.start()
    try:
        assert not forked.fork_allowed()
    finally:
        stop.set()
        other.join()
    assert forked.fork_allowed() == (not _left_by_others())


def test_postgresql_exports_fork_their_reader(engine, committed, monkeypatch):
    """Without the fork check stubbed: on PostgreSQL the watchdog runs, and the reader forks."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the watchdog guards PostgreSQL engines")
    leftovers = set(_left_by_others())
    if leftovers:  # idle threads of other tests (a live server's) would stop any fork: not seen
        everyone = threading.enumerate
        monkeypatch.setattr(threading, "enumerate",
                            lambda: [t for t in everyone() if t not in leftovers])  # fmt: skip
    forks = []
    original = forked.forked_partitions
    monkeypatch.setattr(raw, "forked_partitions",
                        lambda *args: forks.append(1) or original(*args))  # fmt: skip
    monkeypatch.setattr(raw, "READER_MIN_ROWS", 1)
    alone = _rows(engine, committed, reader=False)
    assert deadlines.WATCHDOG.thread is not None  # the rows above were read under deadlines
    assert _rows(engine, committed, reader=True) == alone
    assert forks == [1]
