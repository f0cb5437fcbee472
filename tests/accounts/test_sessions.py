"""Sessions that end (issue 14, point 2): renewed at sign-in, revoked at sign-out, password
change or reset, role change and deactivation, idle and absolute limits, a per-account login
limit, and redirects after sign-in that never leave the site."""

from __future__ import annotations

import time

import pytest

from consult.accounts import team
from consult.accounts.audit import AuditEvent
from consult.accounts.roles import Role
from tests import factories
from tests.conftest import form_tokens, make_app


def _sign_in(client, email, password=factories.PASSWORD, next_=None):
    url = "/auth/login" + (f"?next={next_}" if next_ is not None else "")
    data = {**form_tokens(client, "/auth/login"), "email": email, "password": password}
    return client.post(url, data=data)


def _cookie(client):
    return client.get_cookie("session").value


def _replay(client, value):
    client.set_cookie("session", value)
    return client.get("/admin/")


def _lands_on_sign_in(response):
    return response.status_code == 302 and "/auth/login" in response.location


@pytest.fixture
def organizer(session):
    return factories.user(session, Role.organizer)


def test_sign_in_renews_the_session_and_its_csrf_secret(client, organizer):
    client.get("/auth/login")
    with client.session_transaction() as before:
        old_secret = before.get("csrf_token")
        before["planted"] = "from before sign-in"
    assert old_secret
    assert _sign_in(client, organizer.email).status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != old_secret
        assert after["sid"] and after["sv"] == organizer.session_version
    assert client.get("/admin/").status_code == 200


def test_an_old_cookie_replayed_after_sign_out_lands_on_the_sign_in_page(client, organizer):
    _sign_in(client, organizer.email)
    saved = _cookie(client)
    assert client.get("/admin/").status_code == 200
    client.post("/auth/logout", data=form_tokens(client, "/admin/"))
    assert _lands_on_sign_in(_replay(client, saved))


def test_an_old_cookie_replayed_after_a_password_reset_lands_on_sign_in(client, organizer, session):
    _sign_in(client, organizer.email)
    saved = _cookie(client)
    team.reset_password(session, organizer, "a new and long passphrase")
    assert _lands_on_sign_in(_replay(client, saved))


def test_changing_ones_password_ends_other_sessions_and_keeps_this_one(app, client, organizer):
    other = app.test_client()
    _sign_in(other, organizer.email)
    _sign_in(client, organizer.email)
    data = {**form_tokens(client, "/account"), "current": factories.PASSWORD,
            "password": "a brand new passphrase", "confirm": "a brand new passphrase"}  # fmt: skip
    assert client.post("/account/password", data=data).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert _lands_on_sign_in(other.get("/admin/"))


@pytest.mark.parametrize("change", ["role", "deactivate"])
def test_role_change_and_deactivation_end_sessions_at_once(client, organizer, session, change):
    admin = factories.user(session, Role.admin)
    _sign_in(client, organizer.email)
    saved = _cookie(client)
    if change == "role":
        team.set_role(session, admin, organizer, Role.viewer)
    else:
        team.set_active(session, admin, organizer, False)
    assert _lands_on_sign_in(_replay(client, saved))


def test_sign_out_everywhere(app, client, organizer):
    other = app.test_client()
    _sign_in(other, organizer.email)
    _sign_in(client, organizer.email)
    client.post("/account/sign-out-everywhere", data=form_tokens(client, "/account"))
    assert _lands_on_sign_in(other.get("/admin/"))
    assert _lands_on_sign_in(client.get("/admin/"))


@pytest.mark.parametrize("stamp,minutes_ago", [("seen", 121), ("t0", 13 * 60)])
def test_idle_and_absolute_lifetimes(client, organizer, stamp, minutes_ago):
    _sign_in(client, organizer.email)
    with client.session_transaction() as sess:
        sess[stamp] = int(time.time()) - minutes_ago * 60
    assert _lands_on_sign_in(client.get("/admin/"))


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "////evil.example/", "/\\evil.example", "https://evil.example",
     "\\\\evil.example", "http:/evil.example", " //evil.example", "/\t/evil.example"],
)  # fmt: skip
def test_redirects_after_sign_in_stay_on_the_site(client, organizer, target):
    from urllib.parse import quote

    response = _sign_in(client, organizer.email, next_=quote(target, safe=""))
    assert response.status_code == 302
    assert response.location == "/admin/"


def test_a_same_site_path_is_kept(client, organizer):
    response = _sign_in(client, organizer.email, next_="/admin/surveys/x%3Fa%3D1")
    assert response.location == "/admin/surveys/x?a=1"


def test_failed_sign_ins_are_audited_and_limited_per_account(engine, connection, organizer):
    app = make_app(engine, connection, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1000 per minute",
                   LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")  # fmt: skip
    statuses = []
    for n in range(5):  # a fresh client each time: as if from many machines
        client = app.test_client()
        statuses.append(_sign_in(client, organizer.email, password=f"wrong {n}").status_code)
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    # Another account from the same address is not held back by this one's limit.
    other_client = app.test_client()
    assert _sign_in(other_client, "nobody@example.org", "whatever").status_code == 401


def test_sign_in_and_failure_are_in_the_audit_trail(client, organizer, session):
    _sign_in(client, organizer.email, password="wrong password!")
    _sign_in(client, organizer.email)
    actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["sign-in failed", "sign-in"]


def test_the_accounts_language_follows_it_to_a_new_browser(client, organizer, session):
    organizer.language = "ur"
    session.flush()
    _sign_in(client, organizer.email)
    assert client.get_cookie("lang").value == "ur"
    assert 'lang="ur"' in client.get("/admin/").get_data(as_text=True)
