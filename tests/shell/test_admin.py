"""Organizers sign in, see response counts, download the raw workbook."""

from __future__ import annotations

import io

import openpyxl
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from consult.accounts.roles import Role
from consult.collection.models import Response
from tests import factories
from tests.conftest import form_tokens, make_app


def download(client, url):
    """GET a file and close the response (send_file's handle must not leak)."""
    response = client.get(url)
    data = response.data
    response.close()
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return data


def test_login_with_right_password_then_logout(client, session):
    account = factories.user(session, Role.admin, email="Boss@Example.org")
    tokens = form_tokens(client, "/auth/login")
    response = client.post(
        "/auth/login?next=/admin/",
        data={**tokens, "email": "boss@example.ORG", "password": factories.PASSWORD},
    )
    assert response.status_code == 302 and response.location == "/admin/"
    assert account.email in client.get("/admin/").get_data(as_text=True)
    tokens = form_tokens(client, "/admin/")
    assert client.get("/auth/logout").status_code == 405  # no state change on GET
    assert client.post("/auth/logout", data=tokens).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, session):
    factories.user(session, Role.admin, email="a@example.org")
    pages = []
    for email, password in (
        ("a@example.org", "wrong password"),
        ("nobody@example.org", "whatever"),
    ):
        tokens = form_tokens(client, "/auth/login")
        response = client.post("/auth/login", data={**tokens, "email": email, "password": password})
        assert response.status_code == 401
        pages.append(response.get_data(as_text=True))
    message = "That e-mail and password do not match an account."
    assert all(message in page for page in pages)
    assert 'value="nobody@example.org"' in pages[1]  # what was typed is kept (not the password)


def test_login_refuses_an_external_next_url(client, session):
    factories.user(session, Role.admin, email="a@example.org")
    tokens = form_tokens(client, "/auth/login")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={**tokens, "email": "a@example.org", "password": factories.PASSWORD},
    )
    assert response.location == "/admin/"


def test_login_is_rate_limited(engine, connection, session):
    app = make_app(engine, connection, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = []
    for _ in range(5):
        tokens = form_tokens(client, "/auth/login")
        statuses.append(
            client.post(
                "/auth/login", data={**tokens, "email": "x@example.org", "password": "nope"}
            ).status_code
        )
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


def test_survey_page_counts_by_group_and_province(client, session):
    survey = factories.nisp(session)
    organizer = factories.user(session, Role.organizer, survey=survey)
    from consult.collection.synthetic import add_fake_responses

    list(add_fake_responses(session, survey, 40, seed=3))
    session.flush()
    factories.login(client, organizer)
    page = client.get("/admin/surveys/nisp-consultation").get_data(as_text=True)
    media = session.scalar(
        select(func.count(Response.id)).where(Response.group_id == survey.groups[0].id)
    )
    punjab = session.scalar(select(func.count(Response.id)).where(Response.region == "punjab"))
    assert '<strong class="total">40</strong>' in page
    assert f'<bdi>Media</bdi></th><td class="num">{media}</td>' in page
    assert f'<bdi>Punjab</bdi></th><td class="num">{punjab}</td>' in page
    assert "/admin/surveys/nisp-consultation/export.xlsx" in page
    assert "/s/nisp-consultation?group=religious_scholars" in page


def test_export_download_reads_back_as_stored_with_hostile_text(client, session):
    survey = factories.small(session)
    hostile = '=HYPERLINK("http://x","y")'
    for comment in (
        hostile,
        "+1 agreed",
        "-minus",
        "@sum",
        "\tTabbed",
        "bell\x07 and nul\x00 gone",
        "اردو میں تبصرہ",
    ):
        tokens = form_tokens(client, "/s/small")
        data = factories.valid_small_answers() | {"q_comment": comment, "q_name": "=1+2"}
        assert client.post("/s/small", data={**tokens, **data}).status_code == 302
    admin = factories.user(session, Role.admin)
    factories.login(client, admin)
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, f"/admin/surveys/{survey.slug}/export.xlsx"))
    )
    assert book.sheetnames == ["Responses", "Codebook"]
    sheet = book["Responses"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["response_id", "submitted_at", "group", "language", "channel"]
    comments = [row[header.index("comment")] for row in sheet.iter_rows(min_row=2)]
    values = [c.value for c in comments]
    assert hostile in values
    assert "bell and nul gone" in values  # control characters removed, the rest intact
    assert "اردو میں تبصرہ" in values
    for cell in comments:
        assert cell.data_type == "s"  # text, never a formula
    # Text that a spreadsheet could read as a formula is marked as text (quote prefix).
    flagged = {c.value for c in comments if c.quotePrefix}
    assert {hostile, "+1 agreed", "-minus", "@sum"} <= flagged
    assert "اردو میں تبصرہ" not in flagged


def test_export_in_urdu_is_a_right_to_left_workbook_with_urdu_labels(client, session):
    survey = factories.nisp(session)
    from consult.collection.synthetic import add_fake_responses

    list(add_fake_responses(session, survey, 5, seed=1))
    factories.login(client, factories.user(session, Role.admin))
    data = download(client, "/admin/surveys/nisp-consultation/export.xlsx?lang=ur")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["Responses"].sheet_view.rightToLeft
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Responses").to_python()
    )
    groups = {row[2] for row in rows[1:]}
    assert groups <= {survey.text(g.label, "ur") for g in survey.groups}


def test_export_of_a_survey_without_responses_is_a_valid_workbook(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    data = download(client, f"/admin/surveys/{survey.slug}/export.xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Responses").to_python()
    )
    assert len(rows) == 1 and rows[0][0] == "response_id"


def test_security_headers_on_every_page(client, session):
    factories.small(session)
    for url in ("/", "/s/small", "/auth/login", "/nowhere"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "http" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_httponly_and_samesite(client, session):
    factories.small(session)
    cookie = client.get("/s/small").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
