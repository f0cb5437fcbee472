"""Personal API tokens: the account page makes and revokes them, and a token never reaches
more than its user (and its own scope) allows."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.accounts import tokens
from consult.accounts.audit import Action, AuditEvent
from consult.accounts.models import ApiToken
from consult.accounts.roles import Role
from consult.accounts.users import add_member
from tests import factories
from tests.api.conftest import bearer
from tests.conftest import form_tokens

VALID = {"group": "media", "colour": "green", "agree": 4, "rank/alpha": 2, "rank/beta": 1,
         "rank/gamma": 3}  # fmt: skip


def _world(session):
    a = factories.small(session, slug="survey-a")
    b = factories.small(session, slug="survey-b")
    organizer_a = factories.user(session, Role.organizer, survey=a)
    organizer_b = factories.user(session, Role.organizer, survey=b)
    return a, b, organizer_a, organizer_b


def test_a_read_token_cannot_write(client, session):
    a, _b, organizer_a, _ = _world(session)
    read = bearer(session, organizer_a)
    assert client.get("/api/v1/surveys/survey-a/responses", headers=read).status_code == 200
    posted = client.post("/api/v1/surveys/survey-a/responses", headers=read,
                         json={"answers": VALID})  # fmt: skip
    assert posted.status_code == 403
    assert posted.json["message"] == "This token may only read."
    made = client.post("/api/v1/surveys/survey-a/invitations", headers=read,
                       json={"invitees": [{"group": "media"}]})  # fmt: skip
    assert made.status_code == 403
    write = bearer(session, organizer_a, write=True)
    posted = client.post("/api/v1/surveys/survey-a/responses", headers=write,
                         json={"answers": VALID})  # fmt: skip
    assert posted.status_code == 201, posted.json


def test_a_token_of_organizer_b_cannot_read_survey_a(client, session):
    _a, _b, _, organizer_b = _world(session)
    headers = bearer(session, organizer_b, write=True)
    for path in ("", "/responses", "/summary", "/definition", "/invitations", "/form.xlsx"):
        response = client.get(f"/api/v1/surveys/survey-a{path}", headers=headers)
        assert response.status_code == 404, path
    listed = client.get("/api/v1/surveys", headers=headers).json["surveys"]
    assert [s["slug"] for s in listed] == ["survey-b"]


def test_a_token_never_grants_more_than_its_users_role(client, session):
    a, _b, _, _ = _world(session)
    viewer = factories.user(session, Role.viewer, survey=a)
    headers = bearer(session, viewer, write=True)  # a write token of a viewer
    assert client.get("/api/v1/surveys/survey-a/summary", headers=headers).status_code == 200
    # Viewers see no raw rows and make no invitations on the web: nor through the API.
    assert client.get("/api/v1/surveys/survey-a/responses", headers=headers).status_code == 403
    made = client.post("/api/v1/surveys/survey-a/invitations", headers=headers,
                       json={"invitees": [{"group": "media"}]})  # fmt: skip
    assert made.status_code == 403


def test_a_token_scoped_to_survey_x_cannot_read_y(client, session):
    a, b, _, _ = _world(session)
    both = factories.user(session, Role.organizer, survey=a)
    add_member(session, b, both)
    headers = bearer(session, both, surveys=[a.id])
    assert client.get("/api/v1/surveys/survey-a/responses", headers=headers).status_code == 200
    assert client.get("/api/v1/surveys/survey-b/responses", headers=headers).status_code == 404
    listed = client.get("/api/v1/surveys", headers=headers).json["surveys"]
    assert [s["slug"] for s in listed] == ["survey-a"]


def test_a_revoked_token_is_refused_at_once(client, session):
    _a, _b, organizer_a, _ = _world(session)
    token, secret = tokens.create_token(session, organizer_a, "sync", False, None)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/surveys", headers=headers).status_code == 200
    tokens.revoke_token(session, organizer_a, token.id)
    refused = client.get("/api/v1/surveys", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_no_access_and_cookies_do_not_count(client, session):
    _a, _b, organizer_a, _ = _world(session)
    factories.login(client, organizer_a)  # a signed-in browser: its cookie opens no API route
    assert client.get("/api/v1/surveys").status_code == 401
    posted = client.post("/api/v1/surveys/survey-a/responses", json={"answers": VALID})
    assert posted.status_code == 401
    bad = {"Authorization": "Bearer cst_" + "x" * 43}
    assert client.get("/api/v1/surveys", headers=bad).status_code == 401
    deactivated = bearer(session, organizer_a)
    organizer_a.active = False
    session.flush()
    assert client.get("/api/v1/surveys", headers=deactivated).status_code == 401


def test_the_account_page_makes_a_token_once_and_revokes_it(client, session):
    a, _b, organizer_a, _ = _world(session)
    factories.login(client, organizer_a)
    csrf = form_tokens(client, "/account")
    page = client.post("/account/tokens", data={**csrf, "name": "R scripts", "access": "read",
                                                "surveys": [str(a.id)]})  # fmt: skip
    assert page.status_code == 201
    text = page.get_data(as_text=True)
    secret = re.search(r"(cst_[A-Za-z0-9_-]{40,})", text).group(1)
    stored = session.scalar(select(ApiToken).where(ApiToken.user_id == organizer_a.id))
    assert stored.token_hash == tokens.token_hash(secret) and secret not in stored.token_hash
    assert stored.survey_ids == [a.id] and stored.write is False
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and stored.prefix in again  # shown once, then only its start
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/surveys/survey-a", headers=headers).status_code == 200
    revoked = client.post(
        f"/account/tokens/{stored.id}/revoke", data=form_tokens(client, "/account")
    )
    assert revoked.status_code == 302
    assert client.get("/api/v1/surveys/survey-a", headers=headers).status_code == 401
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert str(Action.api_token_created) in actions and str(Action.api_token_revoked) in actions


def test_the_token_form_refuses_bad_input_beside_the_field(client, session):
    _a, b, organizer_a, _ = _world(session)
    factories.login(client, organizer_a)
    csrf = form_tokens(client, "/account")
    page = client.post("/account/tokens", data={**csrf, "name": "", "access": "read"})
    assert page.status_code == 400
    assert "Give the token a name." in page.get_data(as_text=True)
    # Another organizer's survey is no choice of this form.
    page = client.post("/account/tokens", data={**csrf, "name": "x", "access": "write",
                                                "surveys": [str(b.id)]})  # fmt: skip
    assert page.status_code == 400
    assert session.scalar(select(ApiToken).where(ApiToken.user_id == organizer_a.id)) is None
    refused = client.post("/account/tokens", data={"name": "x", "access": "read"})
    assert refused.status_code == 400  # no CSRF token


def test_another_users_token_cannot_be_revoked(client, session):
    _a, _b, organizer_a, organizer_b = _world(session)
    token, _secret = tokens.create_token(session, organizer_b, "theirs", False, None)
    factories.login(client, organizer_a)
    response = client.post(f"/account/tokens/{token.id}/revoke",
                           data=form_tokens(client, "/account"))  # fmt: skip
    assert response.status_code == 404
    assert token.revoked_at is None


def test_refused_tokens_are_limited_like_sign_in(engine, connection, session):
    """Guessing tokens: refused ones count at the sign-in rate; valid ones do not."""
    from tests.conftest import make_app

    app = make_app(engine, connection, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                   API_RATE_LIMIT="1000 per minute")  # fmt: skip
    _a, _b, organizer_a, _ = _world(session)
    good = bearer(session, organizer_a)
    client = app.test_client()
    for _ in range(5):  # valid requests never count against the sign-in limit
        assert client.get("/api/v1/surveys", headers=good).status_code == 200
    wrong = {"Authorization": "Bearer cst_" + "y" * 43}
    statuses = [client.get("/api/v1/surveys", headers=wrong).status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    limited = client.get("/api/v1/surveys", headers=wrong)
    assert limited.json["code"] == 429  # in JSON, as every API error


def test_api_requests_are_limited_per_client(engine, connection, session):
    from tests.conftest import make_app

    app = make_app(engine, connection, RATELIMIT_ENABLED=True, API_RATE_LIMIT="4 per minute")
    _a, _b, organizer_a, _ = _world(session)
    good = bearer(session, organizer_a)
    client = app.test_client()
    statuses = [client.get("/api/v1/surveys", headers=good).status_code for _ in range(6)]
    assert statuses == [200] * 4 + [429] * 2


def test_the_token_section_speaks_urdu(client, session):
    _a, _b, organizer_a, _ = _world(session)
    factories.login(client, organizer_a)
    page = client.get("/account?lang=ur").get_data(as_text=True)
    assert "API ٹوکن" in page and "ٹوکن بنائیں" in page and "صرف پڑھنا" in page
