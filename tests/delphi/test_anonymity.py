"""Acceptance: nothing in the database or in any export links a panellist's contact details
to their answers except the keyed pseudonym.

After two rounds run through the web client, every stored row of every table (reflected from
the database itself, so a table added later is searched too) and every export (the study
workbook, each round's raw and summary workbooks) is searched for the panellists' names,
addresses and pseudonyms outside the contact table; no foreign key points at the contact
table; and the only columns that name a panellist hold HMAC(study key, pseudonym)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import MetaData, select

from consult.accounts.roles import Role
from consult.delphi import keys
from consult.delphi.models import DelphiRound, DelphiStudy, Panellist
from tests import factories
from tests.conftest import make_app
from tests.delphi import simulation as sim

CONTACT = "delphi_panellist"


@pytest.fixture
def delphi_app(engine, connection, smtp, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, JOBS_IMMEDIATE=True, MAIL_URL=smtp.url,
                    MAIL_FROM="consult@example.org")  # fmt: skip


def _two_rounds(app, session, smtp):
    rng = random.Random(7)
    run = sim.start(app, session, smtp, sim.make_panel(18))
    for number in (1, 2):
        links = sim.open_and_send(run, smtp, number)
        sim.answer_round(run, app, number, links, {run.panel[number].email}, rng)
        sim.close(run, number)
    return run


def _exports(app, session, run):
    """Every file an organizer can download about the study and its rounds' surveys."""
    admin = app.test_client()
    factories.login(admin, factories.user(session, Role.admin))
    study = session.scalar(select(DelphiStudy).where(DelphiStudy.survey_id == run.survey.id))
    urls = [f"/admin/surveys/{run.survey.slug}/delphi/study.xlsx"]
    for round_ in session.scalars(select(DelphiRound).where(DelphiRound.study_id == study.id)):
        slug = round_.survey.slug
        urls += [f"/admin/surveys/{slug}/export.xlsx", f"/admin/surveys/{slug}/summary.xlsx",
                 f"/admin/surveys/{slug}/export.xlsx?codes=1"]  # fmt: skip
    found = {}
    for url in urls:
        response = admin.get(url)
        assert response.status_code == 200, url
        found[url] = response.data
        response.close()
    return study, found


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (str(v) for v in row if v is not None)
    book.close()


def test_no_contact_detail_outside_the_contact_table(delphi_app, session, smtp, tmp_path):
    run = _two_rounds(delphi_app, session, smtp)
    study, exports = _exports(delphi_app, session, run)
    people = session.scalars(select(Panellist).where(Panellist.study_id == study.id)).all()
    assert len(people) == 18
    secrets_ = {s for p in people for s in (p.name, p.email, p.pseudonym, p.email.split("@")[0])}
    secrets_ |= {p.name.split()[0] for p in people}
    metadata = MetaData()
    metadata.reflect(bind=session.connection())
    searched = 0
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            assert fk.column.table.name != CONTACT, f"{table.name} points at the contact table"
        if table.name == CONTACT:
            continue
        for row in session.execute(select(table)):
            for value in row:
                searched += 1
                text = str(value)
                assert not any(s in text for s in secrets_), (table.name, text[:200])
    assert searched > 1000
    for url, data in exports.items():
        for text in _cells(data):
            assert not any(s in text for s in secrets_), (url, text[:200])


def test_the_only_link_is_the_keyed_pseudonym(delphi_app, session, smtp, tmp_path):
    run = _two_rounds(delphi_app, session, smtp)
    study, exports = _exports(delphi_app, session, run)
    people = session.scalars(select(Panellist).where(Panellist.study_id == study.id)).all()
    key = keys.study_key(keys.master_key(Path(tmp_path)), study.key_salt)
    expected = {keys.panel_key(key, p.pseudonym) for p in people}
    metadata = MetaData()
    metadata.reflect(bind=session.connection())
    holders = set()
    for table in metadata.sorted_tables:
        if table.name == CONTACT:
            continue
        for row in session.execute(select(table)):
            for column, value in zip(table.columns, row, strict=True):
                if isinstance(value, str) and value in expected:
                    holders.add(f"{table.name}.{column.name}")
    # Links are made in random order, not the panel's: invitation ids say nothing of names.
    by_key = {keys.panel_key(key, p.pseudonym): p.name for p in people}
    links = metadata.tables["delphi_link"]
    made = session.execute(select(links.c.panel_key).order_by(links.c.invitation_id)).scalars()
    first_round = [by_key[k] for k in list(made)[: len(people)]]
    assert first_round != sorted(first_round)
    # The links and the responses name panellists by keyed pseudonym, and nothing else does.
    assert holders == {"delphi_link.panel_key", "delphi_response.panel_key"}
    rows = session.execute(select(metadata.tables["delphi_response"])).all()
    stored = {r.panel_key for r in rows}
    # 17 answered each round (one absent from each): 34 responses of all 18 panellists.
    assert len(rows) == 34 and stored == expected
    # The study workbook carries the same keys (joinable across its rounds)...
    cells = set(_cells(exports[f"/admin/surveys/{run.survey.slug}/delphi/study.xlsx"]))
    assert stored <= cells
    # ...and the same person on another study's panel has an unrelated key.
    other = factories.nisp(session, slug="nisp-delphi-two")
    from consult.delphi import panel

    second = panel.create_study(session, other)
    panel.add_panellists(session, second, panel.sheet_of(f"{people[0].name},{people[0].email},"
                                                         "media", None, ""))  # fmt: skip
    again = session.scalar(select(Panellist).where(Panellist.study_id == second.id))
    other_key = keys.study_key(keys.master_key(Path(tmp_path)), second.key_salt)
    assert again.pseudonym != people[0].pseudonym
    assert keys.panel_key(other_key, again.pseudonym) not in expected
    assert keys.panel_key(other_key, people[0].pseudonym) not in expected
