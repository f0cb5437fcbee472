"""The raw export's forked reader: the same rows as reading in-process, errors raised here."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

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
