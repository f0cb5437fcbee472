"""Typed answers survive every database fault, at every respondent entry point.

PostgreSQL is reached through a proxy the test controls (dbproxy.py): down (connections
refused and cut), frozen (nothing answers: only timeouts end the wait) and locked (another
transaction holds the response table). SQLite is locked by another process's write
transaction. Each entry point — public link, group link, invitation, resume code, interviewer
and paper entry — is posted to with a whole set of answers: the page must come back as a 503
holding every typed answer, within the configured timeouts, and afterwards nothing must have
been stored, no invitation spent, no draft taken.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from consult import create_app
from consult.accounts import sessions
from consult.accounts.roles import Role
from consult.authoring.definitions import create_survey
from consult.collection import drafts, invitations
from consult.collection.models import Draft, InvitationUse, Response
from consult.surveys.models import Survey, SurveyState
from tests import factories
from tests.collection.dbproxy import Proxy
from tests.conftest import form_tokens

# libpq waits at least 2 s for a connection whatever connect_timeout says.
CONNECT, STATEMENT, BUSY = 2.0, 1.0, 1.0
# The slowest fault: a frozen server, found by the client's deadline (1.2 × statement + 0.5 s)
# for the pool's ping, then a connect timeout for the new connection; plus the page's work.
BOUND = 1.2 * STATEMENT + 0.5 + CONNECT + 3.0
NAME, COMMENT = "Sabiha Qureshi 7QX", "رابطہ کاری بہتر ہو — keep this 9KZ"
ENTRY_POINTS = ("public", "group", "invitation", "resume", "interviewer", "paper")


@pytest.fixture
def world(engine: Engine) -> Iterator[dict[str, Any]]:
    """A small survey, an invitation, a draft and an enumerator, committed for real."""
    slug = f"faults-{secrets.token_hex(3)}"
    with Session(engine) as session:
        survey = create_survey(session, factories.small_definition(slug), SurveyState.open)
        ((invitation, token),) = invitations.create_invitations(
            session, survey, [invitations.Invitee(group=survey.groups[1])]
        )
        _draft, code = drafts.save_draft(session, survey, {}, "en", survey.groups[0], None)
        enumerator = factories.user(session, Role.enumerator, survey=survey)
        sign_in = sessions.begin(session, enumerator)
        session.commit()
        found = {"survey_id": survey.id, "slug": slug, "token": token, "code": code,
                 "invitation_id": invitation.id, "enumerator_id": enumerator.id,
                 "sign_in": sign_in, "session_version": enumerator.session_version}  # fmt: skip
    yield found
    with Session(engine) as session:
        session.execute(text("DELETE FROM survey WHERE id = :id"), {"id": found["survey_id"]})
        enumerator = {"id": found["enumerator_id"]}
        session.execute(text("DELETE FROM sign_in WHERE user_id = :id"), enumerator)
        session.execute(text("DELETE FROM user_account WHERE id = :id"), enumerator)
        session.commit()


@pytest.fixture
def apps() -> Iterator[list[Flask]]:
    """Apps made by a test: their engines' connections are closed when it ends."""
    made: list[Flask] = []
    yield made
    for app in made:
        app.extensions["consult.db"].engine.dispose()


def _app(url: str, made: list[Flask]) -> Flask:
    app = create_app({
        "TESTING": True, "SECRET_KEY": "faults", "DATABASE_URL": url, "RATELIMIT_ENABLED": False,
        "DB_CONNECT_TIMEOUT": CONNECT, "DB_STATEMENT_TIMEOUT": STATEMENT,
        "DB_BUSY_TIMEOUT": BUSY,
    })  # fmt: skip
    made.append(app)
    return app


def _url(world: dict[str, Any], point: str) -> str:
    slug = world["slug"]
    return {
        "public": f"/s/{slug}",
        "group": f"/s/{slug}?group=media",
        "invitation": f"/i/{world['token']}",
        "resume": f"/resume/{drafts.display_code(world['code'])}".replace("-", ""),
        "interviewer": f"/admin/surveys/{slug}/enter?group=media&channel=enumerator&lang=en",
        "paper": f"/admin/surveys/{slug}/enter?group=media&channel=paper&lang=en",
    }[point]


def _answers(point: str) -> dict[str, str]:
    answers = factories.valid_small_answers() | {"q_name": NAME, "q_comment": COMMENT}
    # The invitation's group (academia) is fixed, as the form's hidden field says; the group
    # link, the draft and the interviewer's choice fix media.
    answers["q_group"] = "academia" if point == "invitation" else "media"
    if point == "interviewer":
        answers["consent_read"] = "y"
    return answers


def _prepared(app: Flask, world: dict[str, Any], point: str) -> tuple[Any, str, dict[str, str]]:
    """A client that opened the page (while the database was up), its URL and what it posts."""
    client = app.test_client()
    if point in ("interviewer", "paper"):
        now = int(time.time())  # signed in as factories.login does, on a committed sign-in
        with client.session_transaction() as sess:
            sess.update({"_user_id": str(world["enumerator_id"]), "_fresh": True,
                         "sid": world["sign_in"], "sv": world["session_version"],
                         "t0": now, "seen": now})  # fmt: skip
    url = _url(world, point)
    return client, url, form_tokens(client, url) | _answers(point)


def _assert_kept(response: Any, posted: dict[str, str], started: float) -> None:
    elapsed = time.monotonic() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, page[:500])
    assert elapsed < BOUND, f"{elapsed:.1f} s"
    for name, value in posted.items():
        if name.startswith("q_"):
            assert value in page, (name, value)
    assert NAME in page and COMMENT in page


def _nothing_stored(engine: Engine, world: dict[str, Any]) -> None:
    with Session(engine) as session:
        count = session.scalar(
            select(func.count(Response.id)).where(Response.survey_id == world["survey_id"])
        )
        used = session.get(InvitationUse, world["invitation_id"])
        draft = session.scalar(
            select(Draft).where(Draft.code_hash == drafts.code_hash(world["code"]))
        )
    assert count == 0 and used is None and draft is not None


# Through a proxy in front of PostgreSQL (SQLite is locked in test_a_locked_table_...).
on_postgresql = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)


@on_postgresql
@pytest.mark.parametrize("mode", ["down", "frozen"])
@pytest.mark.parametrize("point", ENTRY_POINTS)
def test_postgresql_down_or_frozen_keeps_the_answers(engine, world, apps, mode, point):
    real = make_url(engine.url.render_as_string(hide_password=False))
    with Proxy((real.host or "127.0.0.1", real.port or 5432)) as proxy:
        url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        app = _app(url, apps)
        client, page, posted = _prepared(app, world, point)
        proxy.set(mode)
        started = time.monotonic()
        _assert_kept(client.post(page, data=posted), posted, started)
        proxy.set("up")
    _nothing_stored(engine, world)


@on_postgresql
@pytest.mark.parametrize("point", ENTRY_POINTS)
def test_a_cold_worker_with_the_database_down_keeps_the_answers(engine, world, apps, point):
    """A process that never loaded the survey (a fresh worker) cannot even draw the form:
    the page holds every posted answer to send again."""
    real = make_url(engine.url.render_as_string(hide_password=False))
    with Proxy((real.host or "127.0.0.1", real.port or 5432)) as proxy:
        url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        warm = _app(url, apps)
        client, page, posted = _prepared(warm, world, point)
        cold = _app(url, apps).test_client()
        for cookie in client._cookies.values():
            cold.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        proxy.set("down")
        started = time.monotonic()
        response = cold.post(page, data=posted)
        _assert_kept(response, posted, started)
        assert 'type="hidden" name="q_comment"' in response.get_data(as_text=True)
        proxy.set("up")
    _nothing_stored(engine, world)


@pytest.mark.parametrize("point", ENTRY_POINTS)
def test_a_locked_table_keeps_the_answers(engine, world, apps, point):
    """Another transaction holds the tables a response is written to, longer than the
    timeouts (PostgreSQL: lock_timeout; SQLite: the busy timeout on the write lock)."""
    url = engine.url.render_as_string(hide_password=False)
    app = _app(url, apps)
    client, page, posted = _prepared(app, world, point)
    locker = create_engine(url, isolation_level="AUTOCOMMIT")
    with locker.connect() as holder:
        if engine.dialect.name == "postgresql":
            holder.exec_driver_sql("BEGIN")
            holder.exec_driver_sql("LOCK TABLE response, invitation_use, draft IN EXCLUSIVE MODE")
        else:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            _assert_kept(client.post(page, data=posted), posted, started)
        finally:
            holder.exec_driver_sql("ROLLBACK")
    locker.dispose()
    _nothing_stored(engine, world)


@on_postgresql
def test_after_the_fault_the_same_answers_are_stored(engine, world, apps):
    """The kept page sends the answers again, and they are stored once the database is back."""
    real = make_url(engine.url.render_as_string(hide_password=False))
    with Proxy((real.host or "127.0.0.1", real.port or 5432)) as proxy:
        url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        app = _app(url, apps)
        client, page, posted = _prepared(app, world, "public")
        proxy.set("down")
        assert client.post(page, data=posted).status_code == 503
        proxy.set("up")
        assert client.post(page, data=posted).status_code == 302
    with Session(engine) as session:
        survey = session.get(Survey, world["survey_id"])
        assert survey is not None
        stored = session.scalar(
            select(func.count(Response.id)).where(Response.survey_id == world["survey_id"])
        )
    assert stored == 1
