"""Single-use invitations, anonymity of what they lead to, quotas, QR codes."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select, text

from consult.accounts.roles import Role
from consult.collection import invitations
from consult.collection.models import Invitation, InvitationUse, Response
from consult.collection.pending import pending_uses
from consult.db import Base
from tests import factories
from tests.conftest import form_tokens, make_app


def count(session) -> int:
    return session.scalar(select(func.count(Response.id)))


def invite(session, survey, group="media", **kwargs):
    grp = next(g for g in survey.groups if g.code == group) if group else None
    [(invitation, token)] = invitations.create_invitations(
        session, survey, [invitations.Invitee(group=grp)], **kwargs
    )
    return invitation, token


def answer(client, url, **changes):
    data = {**form_tokens(client, url), **factories.valid_small_answers(), **changes}
    return client.post(url, data=data)


def test_invitation_is_used_once_then_already_answered(client, session):
    survey = factories.small(session)
    _invitation, token = invite(session, survey, group="academia")
    page = client.get(f"/i/{token}").get_data(as_text=True)
    assert 'type="hidden" name="q_group" value="academia"' in page
    assert answer(client, f"/i/{token}?lang=en").status_code == 302
    assert session.scalars(select(Response)).one().group.code == "academia"
    again = client.get(f"/i/{token}")
    assert again.status_code == 409 and "Already answered" in again.get_data(as_text=True)
    other = make_app_client_post(client, f"/i/{token}")
    assert other == 409
    assert count(session) == 1


def make_app_client_post(client, url):
    """A second device posting a form it loaded before the first use."""
    return client.post(url, data={"csrf_token": "x", **factories.valid_small_answers()}).status_code


@pytest.mark.parametrize("kind", ["guessed", "expired", "revoked", "malformed"])
def test_bad_tokens_all_get_the_same_refusal(client, session, kind):
    survey = factories.small(session)
    invitation, token = invite(session, survey)
    if kind == "guessed":
        token = "A" * 22
    elif kind == "expired":
        invitation.expires_on = date.today() - timedelta(days=1)
        session.flush()
    elif kind == "revoked":
        invitations.revoke(session, invitation)
    else:
        token = "short"
    for response in (client.get(f"/i/{token}"), answer_without_tokens(client, f"/i/{token}")):
        assert response.status_code == 404
        assert "This link is not valid, or it has expired." in response.get_data(as_text=True)
    assert count(session) == 0


def answer_without_tokens(client, url):
    return client.post(url, data=factories.valid_small_answers())


def test_token_leads_only_to_its_own_survey(client, session):
    survey = factories.small(session)
    factories.small(session, slug="other")
    _inv, token = invite(session, survey)
    page = client.get(f"/i/{token}").get_data(as_text=True)
    assert f'action="/i/{token}?lang=en"' in page
    answer(client, f"/i/{token}")
    assert session.scalars(select(Response)).one().survey_id == survey.id


def test_anonymous_response_rows_hold_no_trace_of_the_respondent(client, session, backend):
    survey = factories.small(session)
    invitation, token = invite(session, survey)
    marker_ip, marker_agent, marker_ref = (
        "203.0.113.77",
        "Agent/7.7 (marker)",
        "https://ref.example/x",
    )
    headers = {"User-Agent": marker_agent, "Referer": marker_ref, "X-Forwarded-For": marker_ip}
    url = f"/i/{token}?lang=en&utm=trace-me"
    data = {**form_tokens(client, url), **factories.valid_small_answers()}
    assert (
        client.post(
            url, data=data, headers=headers, environ_base={"REMOTE_ADDR": marker_ip}
        ).status_code
        == 302
    )
    response = session.scalars(select(Response)).one()
    # Every table the submission touches: nothing from the request, no token, no link.
    forbidden = [
        marker_ip,
        marker_agent,
        marker_ref,
        token,
        "trace-me",
        invitations.token_hash(token),
    ]
    for table in Base.metadata.sorted_tables:
        if table.name in ("invitation",):
            continue  # the invitation itself is the organizer's record, made before the answer
        for row in session.execute(table.select()).all():
            flat = " ".join(str(v) for v in row)
            assert not any(f in flat for f in forbidden), (table.name, flat)
    # Used, but nothing in the database says so yet, let alone by which response: the use
    # waits outside the database for a batch (collection/pending.py).
    assert session.get(InvitationUse, invitation.id) is None
    with client.application.app_context():
        assert invitations.is_used(session, invitation, pending_uses())
    when = response.submitted_at
    assert (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0)
    assert "response_id" not in {c.name for c in Invitation.__table__.columns}
    if backend == "postgresql":  # no column anywhere stores an address
        names = (
            session.execute(text("select column_name from information_schema.columns"))
            .scalars()
            .all()
        )
        assert not {"ip", "ip_address", "remote_addr", "user_agent", "referrer"} & set(names)


def test_identified_survey_links_invitation_and_says_so(client, session):
    survey = factories.small(session, anonymous=False)
    invitation, token = invite(session, survey)
    page = client.get(f"/i/{token}").get_data(as_text=True)
    assert "Not anonymous" in page
    answer(client, f"/i/{token}")
    response = session.scalars(select(Response)).one()
    assert session.get(InvitationUse, invitation.id).response_id == response.id


def test_hard_quota_closes_the_group_link_politely(client, session):
    survey = factories.small(session)
    media = next(g for g in survey.groups if g.code == "media")
    media.quota = 1
    session.flush()
    assert answer(client, "/s/small?group=media").status_code == 302
    full = client.get("/s/small?group=media")
    assert full.status_code == 410
    assert "We already have all the answers we need from this group" in full.get_data(as_text=True)
    # On the open link, choosing the full group is refused beside that question.
    refused = answer(client, "/s/small", q_group="media")
    assert refused.status_code == 409
    assert 'id="q_group-error"' in refused.get_data(as_text=True)
    assert answer(client, "/s/small", q_group="academia").status_code == 302
    assert count(session) == 2


def test_generate_invitations_downloads_working_links(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    tokens = form_tokens(client, "/admin/surveys/small/invitations")
    response = client.post(
        "/admin/surveys/small/invitations/generate",
        data={**tokens, "group": "academia", "count": "3"},
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Invitations"]
    response.close()
    links = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert len(links) == 3 and all("/i/" in link for link in links)
    path = links[0].split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    assert session.scalar(select(func.count(Invitation.id))) == 3
    assert not any(
        link.split("/i/")[1] in str(i.token_hash)
        for i in session.scalars(select(Invitation))
        for link in links
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"group": "academia", "count": "0"}, "from 1 to 10000"),
        ({"group": "academia", "count": "abc"}, "from 1 to 10000"),
        ({"group": "", "count": "3"}, "Choose the stakeholder group"),
        ({"group": "academia", "count": "3", "expires": "2020-01-01"}, "in the past"),
        ({"group": "academia", "count": "3", "expires": "tomorrow"}, "YYYY-MM-DD"),
    ],
)
def test_bad_generate_requests_make_nothing(client, session, data, message):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    tokens = form_tokens(client, "/admin/surveys/small/invitations")
    response = client.post("/admin/surveys/small/invitations/generate", data={**tokens, **data})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Invitation.id))) == 0


def _upload(client, content: bytes, filename: str, group=""):
    tokens = form_tokens(client, "/admin/surveys/small/invitations")
    return client.post(
        "/admin/surveys/small/invitations/upload",
        data={**tokens, "group": group, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_upload_a_list_of_people(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    csv = (
        "name,email,group\nAyesha Khan,ayesha@example.org,academia\n"
        "Maulana Tariq,,media\n=cmd(),x@y,Media\n"
    )
    response = _upload(client, csv.encode(), "people.csv")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Invitations"]
    response.close()
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["Ayesha Khan", "Maulana Tariq", "=cmd()"]
    assert [r[2] for r in rows] == ["academia", "media", "media"]
    assert sheet["A4"].quotePrefix  # a name that looks like a formula stays text


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"name,group\nA,nonsense\n", "people.csv", "row 2: no stakeholder group"),
        (b"", "people.csv", "The file is empty."),
        (b"name,group\nA,media\n", "people.txt", "Upload an .xlsx or .csv file."),
        (b"not a zip at all", "people.xlsx", "not a valid .xlsx file"),
        (b"\xff\xfe\x00bad", "people.csv", "UTF-8"),
    ],
)
def test_bad_lists_are_refused_whole(client, session, content, filename, message):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    response = _upload(client, content, filename, group="")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Invitation.id))) == 0


def test_zip_bomb_is_refused_before_parsing(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    response = _upload(client, buffer.getvalue(), "bomb.xlsx")
    assert response.status_code == 400
    assert "unpacks to far more data" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "mimetype", "start"),
    [("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG")],
)
def test_qr_codes_for_group_links(client, session, kind, mimetype, start):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.viewer, survey=survey))
    response = client.get(f"/admin/surveys/small/qr/media.{kind}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data.startswith(start)
    response.close()
    assert client.get(f"/admin/surveys/small/qr/nonsense.{kind}").status_code == 404


def test_invitation_codes_are_rate_limited(engine, connection, session):
    survey = factories.small(session)
    _inv, token = invite(session, survey)
    app = make_app(engine, connection, RATELIMIT_ENABLED=True, CODE_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.get(f"/i/{'B' * 22}").status_code for _ in range(3)]
    statuses.append(client.get(f"/i/{token}").status_code)
    assert statuses == [404, 404, 404, 429]


def test_revoke_from_the_list(client, session):
    survey = factories.small(session)
    invitation, token = invite(session, survey)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    tokens = form_tokens(client, "/admin/surveys/small/invitations")
    response = client.post(f"/admin/surveys/small/invitations/{invitation.id}/revoke", data=tokens)
    assert response.status_code == 302
    assert client.get(f"/i/{token}").status_code == 404
    other = factories.small(session, slug="other")
    foreign, _ = invite(session, other)
    # An invitation of another survey cannot be reached through this one.
    assert (
        client.post(
            f"/admin/surveys/small/invitations/{foreign.id}/revoke", data=tokens
        ).status_code
        == 404
    )
    assert not foreign.revoked


def test_upload_an_xlsx_list(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Phone", "Group"])
    sheet.append(
        ["Abdul Rehman", "+92 300 0000000", "تعلیمی و تحقیقی حلقے"]
    )  # a group by its Urdu name
    sheet.append([None, None, None])  # stray empty rows are skipped
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, buffer.getvalue(), "people.xlsx")
    assert response.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.data))["Invitations"].iter_rows(
            min_row=2, values_only=True
        )
    )
    response.close()
    assert len(rows) == 1 and rows[0][:3] == ("Abdul Rehman", "+92 300 0000000", "academia")


def test_cli_prints_working_invitation_links(runner, session, client):
    survey = factories.small(session)
    result = runner.invoke(args=["invitations", "small", "--group", "media", "--count", "3"])
    assert result.exit_code == 0, result.output
    links = result.output.split()
    assert len(links) == 3 and len(set(links)) == 3
    path = "/i/" + links[0].split("/i/")[1]
    assert client.get(path).status_code == 200
    assert (
        session.scalar(select(func.count(Invitation.id)).where(Invitation.survey_id == survey.id))
        == 3
    )
    wrong = runner.invoke(args=["invitations", "small", "--group", "nope", "--count", "1"])
    assert wrong.exit_code == 1 and "media, academia" in wrong.output


def test_cli_writes_invitations_to_a_file(runner, session, tmp_path):
    factories.small(session)
    out = tmp_path / "links.csv"
    result = runner.invoke(
        args=["invitations", "small", "--group", "academia", "--count", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "group,link" and len(lines) == 3 and lines[1].startswith("academia,http")


def test_rate_limits_can_live_in_redis(engine, connection, session):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {error}")
    factories.small(session)
    # Flask-Limiter keeps one storage per process (its Limiter is module-level), so every
    # parametrised run shares one prefix; keys are cleared before and after.
    prefix = "consult-test"
    store = redis.Redis(host="127.0.0.1", port=6379, db=15)
    for key in store.keys(f"*{prefix}*"):
        store.delete(key)
    app = make_app(
        engine, connection, RATELIMIT_ENABLED=True, CODE_RATE_LIMIT="2 per minute",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15", RATELIMIT_KEY_PREFIX=prefix,
    )  # fmt: skip
    client = app.test_client()
    statuses = [client.get(f"/i/{'C' * 22}").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    keys = store.keys(f"*{prefix}*")
    assert keys, "the counts are kept in Redis, where every process sees them"
    assert not any(b"127.0.0.1" in key for key in keys), "no client address, even for a minute"
    store.delete(*keys)
