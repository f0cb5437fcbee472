"""The linking attack on an anonymous survey, as an organizer with the pages and a copy of the
database would run it (issue 14; docs/privacy.md).

Six named invitees of one group answer one by one. After each answer the attacker fetches every
page and export of the survey and looks for what changed beside a name: nothing does. Then the
waiting uses are recorded in their batch, and the attacker reads the database copy: SQLite's
write-ahead log (which pages each transaction wrote) and PostgreSQL's transaction ids (``xmin``)
pair no invitation use with a response.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from consult import create_app, migrations
from consult.accounts import sessions
from consult.accounts import tokens as api_tokens
from consult.accounts.roles import Role
from consult.collection.pending import pending_uses
from consult.collection.tasks import record_pending_uses
from consult.db import make_engine
from consult.delphi import panel as delphi_panel
from tests import factories
from tests.conftest import form_tokens, postgres_engine

PEOPLE = [(f"Invitee{n} Qadri", f"invitee{n}@example.org") for n in range(6)]
TOKEN = re.compile(r"/i/([A-Za-z0-9_-]{16,})")
# Pages that show no data of the responses or invitations, or that are not pages.
NOT_FETCHED = {
    "exports.brief",  # the summary's figures as a PDF (compressed text): the workbook is read
    "builder.edit", "builder.preview", "xlsform.download", "admin.close", "fieldwork.enter",
    "imports.page", "take.respond", "take.thanks", "account.two_step", "auth.two_step",
    "auth.login", "builder.new", "take.resume_code", "main.index", "api.xlsform",
}  # fmt: skip


@pytest.fixture
def fresh(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """A database of this test's own (as the engine's kind) where every commit is real."""
    if engine.dialect.name == "sqlite":
        own = make_engine(f"sqlite:///{tmp_path / 'consult.sqlite'}")
        drop = own.dispose
    else:
        own, drop = postgres_engine()
    migrations.upgrade(own)
    yield own
    drop()


@pytest.fixture
def app(fresh: Engine, tmp_path: Path, monkeypatch: Any) -> Iterator[Flask]:
    """The server, on that database; its connections are closed when the test ends."""
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    url = fresh.url.render_as_string(hide_password=False)
    made = create_app({"TESTING": True, "SECRET_KEY": "linking", "RATELIMIT_ENABLED": False,
                       "DATABASE_URL": url})  # fmt: skip
    yield made
    made.extensions["consult.db"].engine.dispose()


def _signed_in_admin(own: Engine, app: Flask) -> tuple[FlaskClient, str]:
    with Session(own) as session:
        survey = factories.small(session)
        delphi_panel.create_study(session, survey)  # its pages and workbook are attacked too
        admin = factories.user(session, Role.admin)
        raw = sessions.begin(session, admin)
        _token, secret = api_tokens.create_token(session, admin, "attacker", False, None)
        session.commit()
        slug, ids = survey.slug, (admin.id, admin.session_version)
    client, now = app.test_client(), int(time.time())
    # The API is read too, with the admin's token (the pages ignore the header).
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    with client.session_transaction() as sess:
        sess.update({"_user_id": str(ids[0]), "_fresh": True, "sid": raw, "sv": ids[1],
                     "t0": now, "seen": now})  # fmt: skip
    return client, slug


def _invite(client: FlaskClient, slug: str) -> list[str]:
    """Upload the named list through the invitations page; the links' tokens, in list order."""
    page = f"/admin/surveys/{slug}/invitations"
    listing = "name,email\n" + "".join(f"{name},{mail}\n" for name, mail in PEOPLE)
    data = {**form_tokens(client, page), "group": "media",
            "file": (io.BytesIO(listing.encode()), "people.csv")}  # fmt: skip
    with client.post(f"{page}/upload", data=data, content_type="multipart/form-data") as made:
        assert made.status_code == 200, made.get_data(as_text=True)[:500]
        return TOKEN.findall(" ".join(_cells(made.data)))


def _cells(data: bytes) -> list[str]:
    """Every cell of a workbook as "sheet!row: values", one line per row."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    lines = []
    for sheet in book.worksheets:
        for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
            lines.append(
                f"{sheet.title}!{n}: " + " | ".join("" if v is None else str(v) for v in row)
            )
    return lines


def _pages(app: Flask, slug: str) -> list[str]:
    """Every page and export an organizer (here: an admin, who may fetch more) can GET with no
    other argument than the survey: found in the URL map, so a new page is attacked too."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_FETCHED:
            continue
        if rule.endpoint == "static" or not set(rule.arguments) <= {"slug"}:
            continue
        if rule.rule.startswith(("/admin", "/account", "/api/v1")):
            urls.append(rule.rule.replace("<slug>", slug))
    return sorted(urls)


def _snapshot(client: FlaskClient, urls: list[str], public_ids: list[str]) -> dict[str, list[str]]:
    """What the attacker sees now: each page's lines (a workbook's rows)."""
    shots = {}
    reviews = [f"{u}{p}" for u in urls if u.endswith("/review/") for p in public_ids]
    for url in [*urls, *reviews]:
        with client.get(url) as reply:  # a download's file closes with it
            assert reply.status_code == 200, (url, reply.status_code)
            if reply.mimetype.endswith("sheet"):
                shots[url] = _cells(reply.data)
            else:
                shots[url] = reply.get_data(as_text=True).splitlines()
    return shots


def _raw_rows(client: FlaskClient, slug: str) -> list[list[str]]:
    with client.get(f"/admin/surveys/{slug}/export.xlsx") as reply:
        book = openpyxl.load_workbook(io.BytesIO(reply.data))
    sheet = book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def _answer(app: Flask, token: str) -> None:
    respondent = app.test_client()
    answers = {**form_tokens(respondent, f"/i/{token}"), **factories.valid_small_answers()}
    assert respondent.post(f"/i/{token}", data=answers).status_code == 302


def test_no_page_export_or_database_copy_pairs_a_name_with_a_response(
    fresh: Engine, app: Flask
) -> None:
    client, slug = _signed_in_admin(fresh, app)
    tokens = _invite(client, slug)
    assert len(tokens) == len(PEOPLE)
    urls = _pages(app, slug)
    assert f"/admin/surveys/{slug}/invitations" in urls and "/admin/audit/" in urls
    assert f"/api/v1/surveys/{slug}/responses" in urls
    assert f"/api/v1/surveys/{slug}/invitations" in urls
    wal = _WalWatch(fresh)
    shots = [_snapshot(client, urls, [])]
    for token in tokens:  # one by one, the attacker looking after each
        _answer(app, token)
        rows = _raw_rows(client, slug)
        shots.append(_snapshot(client, urls, [str(r[0]) for r in rows]))
        # The raw export: in the random public ids' order, the day only.
        assert [r[0] for r in rows] == sorted(r[0] for r in rows)
        assert all(not hasattr(r[1], "hour") or (r[1].hour, r[1].minute) == (0, 0) for r in rows)
    with app.app_context():
        assert record_pending_uses(pending_uses(), 5) == len(PEOPLE)
    shots.append(_snapshot(client, urls, [str(r[0]) for r in _raw_rows(client, slug)]))

    _assert_no_name_moves(shots)
    wal.assert_no_pairing()
    _assert_no_xmin_pairing(fresh, slug)


def _assert_no_name_moves(shots: list[dict[str, list[str]]]) -> None:
    """Each page's lines that mention a person are the same in every snapshot: no name turns
    "used", moves, or appears beside anything that changed as answers came in."""
    seen_names = 0
    for url in shots[0]:
        for name, mail in PEOPLE:
            views = [
                [line for line in shot.get(url, []) if name in line or mail in line]
                for shot in shots
            ]
            seen_names += bool(views[0])
            assert all(view == views[0] for view in views), (url, name)
    assert seen_names >= len(PEOPLE)  # the invitations page lists them: the check has teeth


class _WalWatch:
    """SQLite: the write-ahead log from now on, read as a copy of instance/ would show it."""

    def __init__(self, own: Engine) -> None:
        self.own = own
        if own.dialect.name != "sqlite":
            return
        with own.connect() as conn:  # start from an empty log
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
        assert busy == 0
        self.path = Path(str(own.url.database))

    def assert_no_pairing(self) -> None:
        if self.own.dialect.name != "sqlite":
            return
        copy = self.path.parent / "copy"
        copy.mkdir()
        for suffix in ("", "-wal"):  # the attacker's copy, taken while the server runs
            shutil.copy(f"{self.path}{suffix}", copy / f"consult.sqlite{suffix}")
        transactions = _wal_transactions((copy / "consult.sqlite-wal").read_bytes())
        owners = _page_owners(copy / "consult.sqlite")
        touched = [{owners.get(page, "?") for page in pages} for pages in transactions]
        with_uses = [names for names in touched if any("invitation_use" in n for n in names)]
        with_responses = [names for names in touched if "response" in names]
        assert len(with_responses) >= len(PEOPLE)  # the answers are in the log
        assert len(with_uses) == 1  # the batch: one transaction for all six uses
        assert not {"response", "answer"} & with_uses[0], with_uses[0]


def _wal_transactions(wal: bytes) -> list[set[int]]:
    """The pages each committed transaction of a WAL file wrote (sqlite.org/fileformat.html)."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    transactions, current, offset = [], set(), 32
    while offset + 24 + page_size <= len(wal):
        page, size_after_commit = struct.unpack(">II", wal[offset : offset + 8])
        current.add(page)
        if size_after_commit:  # a commit frame ends the transaction
            transactions.append(current)
            current = set()
        offset += 24 + page_size
    return transactions


def _page_owners(path: Path) -> dict[int, str]:
    """Which table owns each page (SQLite's dbstat; an index's pages count as its table's)."""
    import sqlite3

    with sqlite3.connect(path) as db:
        tables = dict(db.execute("SELECT name, tbl_name FROM sqlite_schema"))
        pages = db.execute("SELECT name, pageno FROM dbstat").fetchall()
    return {int(page): str(tables.get(name, name)) for name, page in pages}


def _assert_no_xmin_pairing(own: Engine, slug: str) -> None:
    """PostgreSQL: every use carries the batch's transaction id, which no response carries."""
    if own.dialect.name != "postgresql":
        return
    with own.connect() as conn:
        survey = {"slug": slug}
        uses = (
            conn.execute(
                text(
                    "SELECT u.xmin::text FROM invitation_use u"
                    " JOIN invitation i ON i.id = u.invitation_id"
                    " JOIN survey s ON s.id = i.survey_id WHERE s.slug = :slug"
                ),
                survey,
            )
            .scalars()
            .all()
        )
        answered = conn.execute(text(
            "SELECT r.xmin::text FROM response r JOIN survey s ON s.id = r.survey_id"
            " WHERE s.slug = :slug"), survey).scalars().all()  # fmt: skip
    assert len(uses) == len(answered) == len(PEOPLE)
    assert len(set(uses)) == 1 and not set(uses) & set(answered)
