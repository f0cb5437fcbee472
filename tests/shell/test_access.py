"""Every route declares who may use it, and behaves so for every kind of visitor.

A new route without an entry in EXPECTED fails here: decide who may use it, then add it.
"""

from __future__ import annotations

import pytest
from flask import Flask

from consult import RowId
from consult.accounts.roles import Role
from consult.collection import drafts, invitations
from consult.collection.models import Channel
from consult.collection.responses import insert_responses, response_values
from consult.delphi import panel as delphi_panel
from consult.delphi import rounds as delphi_rounds
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import form_tokens

PERSONAS = ("anonymous", "respondent", "organizer", "other_organizer", "viewer", "admin")

# "ok": served; "login": sent to sign in; "404"/"403": refused. POST rows are checked for CSRF
# separately (test_every_post_route_refuses_a_missing_csrf_token).
OK, LOGIN, HIDDEN, FORBIDDEN = "ok", "login", "404", "403"
NO_TOKEN = "401"  # API routes: a bearer token or nothing
BUILDER_GET = {"anonymous": LOGIN, "respondent": LOGIN, "admin": OK}
SIGNED_IN = {"anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": OK,
             "viewer": OK, "admin": OK}  # fmt: skip
ADMINS = {"anonymous": LOGIN, "respondent": LOGIN, "organizer": FORBIDDEN,
          "other_organizer": FORBIDDEN, "viewer": FORBIDDEN, "admin": OK}  # fmt: skip
ORGANIZER_PAGE = {"anonymous": LOGIN, "respondent": LOGIN, "organizer": OK,
                  "other_organizer": HIDDEN, "viewer": FORBIDDEN, "admin": OK}  # fmt: skip
EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "static"): dict.fromkeys(PERSONAS, OK),
    ("GET", "main.index"): dict.fromkeys(PERSONAS, OK),
    ("GET", "auth.login"): dict.fromkeys(PERSONAS, OK),
    ("POST", "auth.login"): dict.fromkeys(PERSONAS, OK),
    ("POST", "auth.logout"): dict.fromkeys(PERSONAS, OK),
    ("GET", "take.respond"): dict.fromkeys(PERSONAS, OK),
    ("POST", "take.respond"): dict.fromkeys(PERSONAS, OK),
    ("GET", "take.thanks"): dict.fromkeys(PERSONAS, OK),
    ("GET", "take.invitation"): dict.fromkeys(PERSONAS, OK),
    ("POST", "take.invitation"): dict.fromkeys(PERSONAS, OK),
    ("GET", "take.resume"): dict.fromkeys(PERSONAS, OK),
    ("POST", "take.resume"): dict.fromkeys(PERSONAS, OK),
    ("GET", "take.resume_code"): dict.fromkeys(PERSONAS, OK),
    ("POST", "take.resume_code"): dict.fromkeys(PERSONAS, OK),
    ("GET", "admin.index"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": OK,
        "viewer": OK, "admin": OK,
    },
    ("GET", "admin.survey"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "exports.raw"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("GET", "exports.statistical"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("GET", "webhooks.page"): ORGANIZER_PAGE,
    **{("POST", f"webhooks.{name}"): {} for name in ("save", "test", "resume", "secret", "remove")},
    ("GET", "exports.summary"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "results.page"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "results.voices"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("POST", "results.star"): {},
    ("GET", "exports.brief"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "imports.page"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("POST", "imports.upload"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("GET", "distribute.invitations_page"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("POST", "distribute.generate"): {},
    ("POST", "distribute.upload"): {},
    ("POST", "distribute.revoke"): {},
    ("GET", "distribute.qr"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "distribute.links"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "distribute.sheet"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "distribute.monitor"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    },
    ("GET", "fieldwork.enter"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("POST", "fieldwork.enter"): {},
    ("GET", "xlsform.download"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    ("POST", "xlsform.upload"): {},
    # The builder: admins only (organizers preview their surveys).
    ("GET", "builder.new"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": FORBIDDEN,
        "other_organizer": FORBIDDEN, "viewer": FORBIDDEN, "admin": OK,
    },
    ("GET", "builder.edit"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    ("GET", "builder.section"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    ("GET", "builder.question"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    ("GET", "builder.add_question"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    ("GET", "builder.recommendations_page"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    ("GET", "builder.translations_page"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    ("GET", "builder.new_matrix"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET,
    # The world's page "main" is no table of scales: its matrix editor does not exist.
    ("GET", "builder.matrix"): dict.fromkeys(PERSONAS, FORBIDDEN) | BUILDER_GET
    | {"admin": HIDDEN},
    ("GET", "builder.preview"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    },
    # Accounts: sign-in's second step, the account page, signing up, the team, the audit trail.
    ("GET", "auth.two_step"): dict.fromkeys(PERSONAS, LOGIN),
    ("POST", "auth.two_step"): dict.fromkeys(PERSONAS, OK),
    ("GET", "account.page"): SIGNED_IN,
    ("GET", "account.two_step"): SIGNED_IN,
    **{("POST", f"account.{name}"): SIGNED_IN for name in (
        "password", "language", "sign_out_everywhere", "two_step", "two_step_off",
        "create_token", "revoke_token")},
    # The REST API (issue 20): bearer tokens only; no cookie opens it, whoever is signed in
    # (tests/api/ test what tokens reach). Its OpenAPI document and docs page are public.
    ("GET", "api-docs.openapi_json"): dict.fromkeys(PERSONAS, OK),
    ("GET", "api_docs.page"): dict.fromkeys(PERSONAS, OK),
    **{(method, f"api.{name}"): dict.fromkeys(PERSONAS, NO_TOKEN) for method, name in (
        ("GET", "surveys"), ("GET", "survey"), ("GET", "definition"), ("GET", "xlsform"),
        ("GET", "summary"), ("GET", "responses"), ("GET", "list_invitations"),
        ("POST", "create_response"), ("POST", "create_invitations"),
        ("POST", "revoke_invitation"),
    )},
    ("GET", "account.sign_up"): dict.fromkeys(PERSONAS, HIDDEN),  # not a sign-up token
    ("POST", "account.sign_up"): dict.fromkeys(PERSONAS, OK),
    ("GET", "team.page"): ADMINS,
    ("GET", "team.member"): ADMINS,
    ("POST", "team.invite"): {},
    ("POST", "team.update"): {},
    ("GET", "audit.page"): ADMINS,
    ("GET", "audit.export"): ADMINS,
    ("GET", "admin.close"): ADMINS,
    ("POST", "admin.close"): {},
    ("POST", "admin.retention"): {},
    # Invitations by e-mail (organizers), and the invitee's unsubscribe link (anyone).
    ("GET", "mailing.page"): ORGANIZER_PAGE,
    ("POST", "mailing.save_template"): {},
    ("POST", "mailing.send"): {},
    ("POST", "mailing.remind"): {},
    ("GET", "unsubscribe.unsubscribe"): dict.fromkeys(PERSONAS, HIDDEN),  # not a valid code
    ("POST", "unsubscribe.unsubscribe"): dict.fromkeys(PERSONAS, OK),
    # Response review (organizers of the survey; deleting a response: admins).
    ("GET", "review.page"): ORGANIZER_PAGE,
    ("GET", "review.response"): ORGANIZER_PAGE,
    ("POST", "review.check"): {},
    ("POST", "review.exclude"): {},
    ("POST", "review.include"): {},
    ("POST", "review.delete"): {},
    # Themes (issue 18): organizers define, run and review; viewers read the results.
    **{("GET", f"themes.{name}"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": FORBIDDEN, "admin": OK,
    } for name in ("page", "export", "review_page")},
    **{("GET", f"theme_results.{name}"): {
        "anonymous": LOGIN, "respondent": LOGIN, "organizer": OK, "other_organizer": HIDDEN,
        "viewer": OK, "admin": OK,
    } for name in ("page", "comments")},
    **{("POST", f"themes.{name}"): {} for name in (
        "save", "delete", "merge", "candidate", "settings", "run", "seed", "confirm",
    )},
    # Implementation tracking (issue 19): organizers of the survey edit it.
    ("GET", "tracking.page"): ORGANIZER_PAGE,
    **{("POST", f"tracking.{name}"): {} for name in (
        "delivery", "add_kpi", "add_evidence", "add_actual", "remove",
    )},
    # The public page (issue 19): off unless the survey turns it on, and then for everyone.
    ("GET", "public_page.page"): dict.fromkeys(PERSONAS, HIDDEN),
    **{("POST", f"builder.{name}"): {} for name in (
        "new", "settings", "state", "duplicate", "delete", "add_section", "section",
        "move_section", "duplicate_section", "delete_section", "add_question", "question",
        "move_question", "duplicate_question", "delete_question", "preview",
        "recommendations_page", "translations_page", "new_matrix", "matrix",
    )},
    # Delphi studies (issue 19): organizers run them; panellists answer through their link.
    ("GET", "delphi.page"): ORGANIZER_PAGE,
    ("GET", "delphi.round_page"): ORGANIZER_PAGE,
    ("GET", "delphi.study_workbook"): ORGANIZER_PAGE,
    **{("POST", f"delphi.{name}"): {} for name in (
        "create", "add_panel", "set_protocol", "open_round", "close_round", "send", "moderate",
    )},
    # The world's token is no Delphi link: every visitor gets the same 404.
    ("GET", "delphi_take.answer"): dict.fromkeys(PERSONAS, HIDDEN),
    ("POST", "delphi_take.answer"): dict.fromkeys(PERSONAS, HIDDEN),
    ("GET", "delphi_take.thanks"): dict.fromkeys(PERSONAS, OK),
}  # fmt: skip
# POST rows hold {} where only signed-in staff may post: checked by
# test_staff_posts_are_refused_to_everyone_else below.


def _rules(app: Flask):
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_route_has_an_entry_and_declares_its_access(app):
    missing, undeclared = [], []
    for method, rule in _rules(app):
        if (method, rule.endpoint) not in EXPECTED:
            missing.append(f"{method} {rule.rule} ({rule.endpoint})")
        view = app.view_functions[rule.endpoint]
        if rule.endpoint != "static" and not hasattr(view, "access"):
            undeclared.append(rule.endpoint)
    assert not missing, f"routes without an access entry: {missing}"
    assert not undeclared, f"views without an access decorator: {undeclared}"
    assert not set(EXPECTED) - {(m, r.endpoint) for m, r in _rules(app)}, "stale entries"


def _url(rule, values):
    return rule.build({k: values[k] for k in rule.arguments})[1]


@pytest.fixture
def world(app, session, client):
    survey = factories.small(session, state=SurveyState.open)
    other = factories.small(session, slug="other-survey")
    people = {
        "organizer": factories.user(session, Role.organizer, survey=survey),
        "other_organizer": factories.user(session, Role.organizer, survey=other),
        "viewer": factories.user(session, Role.viewer, survey=survey),
        "admin": factories.user(session, Role.admin),
    }
    [(invitation, token)] = invitations.create_invitations(session, survey, [invitations.Invitee()])
    study = delphi_panel.create_study(session, survey)
    sheet = delphi_panel.sheet_of("Ayesha Khan,ayesha@example.org,media", None, "")
    delphi_panel.add_panellists(session, study, sheet)
    delphi_rounds.open_round(session, study)
    _draft, code = drafts.save_draft(session, survey, {"q_name": ["x"]}, "en", None, None)
    row = response_values(survey, {}, "en", Channel.web)
    insert_responses(session, [row], [{}])
    values = {
        "public_id": row["public_id"], "user_id": people["viewer"].id,
        "slug": survey.slug, "filename": "css/consult.css", "token": token, "code": code,
        "invitation_id": invitation.id, "group": "media", "kind": "svg", "token_id": 1,
        "section": "main", "question": "colour", "choice": "green", "recommendation": "alpha",
        "number": 1,
        "fmt": "sav",
    }  # fmt: skip
    return survey, people, values


def _as(client, persona, people, survey):
    if persona in people:
        factories.login(client, people[persona])
    elif persona == "respondent":  # has just answered the survey, holds its session cookie
        client.post(
            f"/s/{survey.slug}",
            data={**form_tokens(client, f"/s/{survey.slug}"), **factories.valid_small_answers()},
        )


def _outcome(response):
    if response.status_code == 302 and "/auth/login" in response.location:
        return LOGIN
    return {200: OK, 404: HIDDEN, 403: FORBIDDEN}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_what_the_table_says(app, world, persona):
    survey, people, values = world
    client = app.test_client()
    _as(client, persona, people, survey)
    failures = []
    for method, rule in _rules(app):
        if method == "POST":
            continue  # state changes: CSRF and behaviour are tested per route
        expected = EXPECTED[(method, rule.endpoint)][persona]
        url = _url(rule, values)
        response = client.get(url)
        response.close()
        got = _outcome(response)
        if got != expected:
            failures.append(f"{method} {url}: expected {expected}, got {response.status_code}")
    assert not failures, failures


def test_every_post_route_refuses_a_missing_csrf_token(app, world):
    survey, people, values = world
    client = app.test_client()
    factories.login(client, people["admin"])
    for method, rule in _rules(app):
        if method != "POST":
            continue
        response = client.post(_url(rule, values), data={})
        if rule.endpoint.startswith("api."):
            # No CSRF token there, and none needed: the admin's cookie opens no API route.
            assert response.status_code == 401, f"POST {rule.rule} took a cookie"
            continue
        assert response.status_code == 400, (
            f"POST {rule.rule} accepted a request without CSRF token"
        )


@pytest.mark.parametrize("persona", ["anonymous", "respondent", "other_organizer", "viewer"])
def test_staff_posts_are_refused_to_everyone_else(app, world, persona):
    survey, people, values = world
    client = app.test_client()
    _as(client, persona, people, survey)
    tokens = form_tokens(client, "/auth/login")
    for method, rule in _rules(app):
        if method != "POST" or EXPECTED[(method, rule.endpoint)]:
            continue
        response = client.post(_url(rule, values), data=tokens)
        refused = response.status_code in (403, 404) or "/auth/login" in response.location or ""
        assert refused, f"{persona} could POST {rule.rule}: {response.status_code}"


def test_no_route_changes_state_on_get(app):
    for method, rule in _rules(app):
        if rule.endpoint in ("auth.logout",):
            assert method == "POST"


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_cookie_opens_an_api_write(app, world, persona):
    """A signed-in browser (even with a valid CSRF token) cannot write through the API."""
    survey, people, values = world
    client = app.test_client()
    _as(client, persona, people, survey)
    tokens = form_tokens(client, "/auth/login")
    for method, rule in _rules(app):
        if method == "POST" and rule.endpoint.startswith("api."):
            response = client.post(_url(rule, values), data=tokens, json=None)
            assert response.status_code == 401, f"{persona} could POST {rule.rule}"


def test_an_id_past_the_databases_integer_is_no_page(app, world):
    """Every ``<int:...>`` route: 2**31 reaches no view (404, or 405 where only another method
    has a route of that shape), never an overflow in a query (a 500)."""
    survey, people, values = world
    client = app.test_client()
    _as(client, "admin", people, survey)
    rules = [(method, rule) for method, rule in _rules(app)
             if any(isinstance(c, RowId) for c in rule._converters.values())]  # fmt: skip
    assert len(rules) >= 5
    for method, rule in rules:
        args = {name: 2**31 if isinstance(c, RowId) else values[name]
                for name, c in rule._converters.items()}  # fmt: skip
        response = client.open(rule.build(args)[1], method=method)
        assert response.status_code in (404, 405), (method, rule.rule, response.status_code)
