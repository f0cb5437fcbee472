"""The team page: invitations by e-mail (a real SMTP server), signing up, roles, membership,
deactivation, the password rules and two-step sign-in."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from consult.accounts.audit import AuditEvent
from consult.accounts.models import User
from consult.accounts.passwords import check_new_password
from consult.accounts.roles import Role
from consult.problems import Refusal
from tests import factories
from tests.conftest import form_tokens, make_app

LINK = re.compile(r"http://localhost/auth/sign-up/\S+")


@pytest.fixture
def mail_app(engine, connection, smtp, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, JOBS_IMMEDIATE=True, MAIL_URL=smtp.url,
                    MAIL_FROM="consult@example.org")  # fmt: skip


def test_an_admin_invites_an_organizer_who_signs_up_and_sees_one_survey(mail_app, smtp, session):
    given = factories.small(session, slug="given")
    factories.small(session, slug="not-given")
    admin = factories.user(session, Role.admin)
    client = mail_app.test_client()
    factories.login(client, admin)
    data = {**form_tokens(client, "/admin/team/"), "email": "New.Person@Example.org",
            "role": "organizer", "survey": str(given.id)}  # fmt: skip
    page = client.post("/admin/team/invite", data=data)
    assert page.status_code == 200
    [message] = smtp.to("new.person@example.org")
    link = LINK.search(message.get_content()).group(0)
    assert link in page.get_data(as_text=True)  # also shown once, to pass on by hand

    newcomer = mail_app.test_client()
    path = link.removeprefix("http://localhost")
    weak = {**form_tokens(newcomer, path), "password": "password123", "confirm": "password123"}
    assert newcomer.post(path, data=weak).status_code == 400  # a common password
    good = {**form_tokens(newcomer, path), "password": "river stone lantern",
            "confirm": "river stone lantern"}  # fmt: skip
    assert newcomer.post(path, data=good).status_code == 302
    index = newcomer.get("/admin/").get_data(as_text=True)
    assert "/admin/surveys/given" in index and "not-given" not in index
    assert newcomer.get("/admin/surveys/not-given").status_code == 404
    assert newcomer.get(path).status_code == 404  # the link works once
    user = session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.role == Role.organizer and [m.survey_id for m in user.memberships] == [given.id]
    actions = {e.action for e in session.scalars(select(AuditEvent))}
    assert {"account invited", "account created"} <= actions


def test_a_per_survey_role_decides_what_a_member_may_do(client, session):
    survey = factories.small(session)
    admin = factories.user(session, Role.admin)
    member = factories.user(session, Role.organizer)
    factories.login(client, admin)
    data = {**form_tokens(client, f"/admin/team/{member.id}"), "role": "organizer",
            f"survey-{survey.id}": "viewer", "active": "1"}  # fmt: skip
    assert client.post(f"/admin/team/{member.id}", data=data).status_code == 302
    other = client.application.test_client()
    factories.login(other, member)
    assert other.get(f"/admin/surveys/{survey.slug}/results").status_code == 200
    assert other.get(f"/admin/surveys/{survey.slug}/export.xlsx").status_code == 403


def test_the_last_admin_cannot_be_deactivated_or_demoted(client, session):
    admin = factories.user(session, Role.admin)
    factories.login(client, admin)
    data = {**form_tokens(client, f"/admin/team/{admin.id}"), "role": "viewer", "active": "1"}
    response = client.post(f"/admin/team/{admin.id}", data=data)
    assert response.status_code == 409
    assert "last admin" in response.get_data(as_text=True)


@pytest.mark.parametrize("password", ["short", "qwertyuiop", "iloveyou12", "aaaaaaaaaaaa",
                                      "someone-long@x"])  # fmt: skip
def test_weak_passwords_are_refused(password):
    with pytest.raises(Refusal):
        check_new_password(password, "someone@example.org")


def test_a_good_password_passes():
    check_new_password("correct horse battery", "someone@example.org")


def test_two_step_sign_in(client, session):
    user = factories.user(session, Role.organizer)
    factories.login(client, user)
    client.get("/account/two-step")
    with client.session_transaction() as sess:
        secret = sess["totp_pending"]
    wrong = {**form_tokens(client, "/account/two-step"), "code": "000000"}
    assert client.post("/account/two-step", data=wrong).status_code == 400
    code = {**form_tokens(client, "/account/two-step"), "code": pyotp.TOTP(secret).now()}
    assert client.post("/account/two-step", data=code).status_code == 302
    session.refresh(user)
    assert user.totp_secret == secret

    fresh = client.application.test_client()
    data = {**form_tokens(fresh, "/auth/login"), "email": user.email,
            "password": factories.PASSWORD}  # fmt: skip
    step = fresh.post("/auth/login", data=data)
    assert step.location.endswith("/auth/two-step")
    assert fresh.get("/admin/").status_code == 302  # not signed in before the code
    bad = {**form_tokens(fresh, "/auth/two-step"), "code": "123456"}
    assert fresh.post("/auth/two-step", data=bad).status_code == 401
    good = {**form_tokens(fresh, "/auth/two-step"), "code": pyotp.TOTP(secret).now()}
    assert fresh.post("/auth/two-step", data=good).status_code == 302
    assert fresh.get("/admin/").status_code == 200


def test_admins_must_set_up_two_step_when_the_setting_says_so(engine, connection, session):
    app = make_app(engine, connection, REQUIRE_ADMIN_TOTP=True)
    client = app.test_client()
    factories.login(client, factories.user(session, Role.admin))
    response = client.get("/admin/")
    assert response.status_code == 302 and response.location.endswith("/account/two-step")
