"""XLSForm on the command line and on the web: import as a draft (or open), export, upload."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from consult.accounts.roles import Role
from consult.surveys.models import Survey, SurveyState
from tests import factories
from tests.authoring.test_xlsform_hostile import HEAD, workbook
from tests.conftest import form_tokens


def test_cli_exports_then_imports_the_nisp_consultation(runner, session, tmp_path):
    original = factories.nisp(session)
    path = tmp_path / "nisp.xlsx"
    result = runner.invoke(args=["export-xlsform", "nisp-consultation", str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import-xlsform", str(path), "--slug", "nisp-copy"])
    assert result.exit_code == 0, result.output
    copy = session.scalar(select(Survey).where(Survey.slug == "nisp-copy"))
    assert copy.state == SurveyState.draft and len(copy.questions) == len(original.questions)
    again = runner.invoke(args=["import-xlsform", str(path), "--slug", "nisp-copy"])
    assert again.exit_code != 0 and "exists already" in again.output


def test_cli_opens_on_request_and_lists_what_it_left_out(runner, session, tmp_path):
    path = tmp_path / "form.xlsx"
    rows = [HEAD, ["deviceid", "device", ""], ["text", "a", "A"], ["geotrace", "path", "P"]]
    path.write_bytes(workbook(rows))
    refused = runner.invoke(args=["import-xlsform", str(path)])
    assert refused.exit_code != 0 and "sheet survey, row 4: geo traces" in refused.output
    result = runner.invoke(args=["import-xlsform", str(path), "--open", "--skip-unsupported"])
    assert result.exit_code == 0, result.output
    assert "left out: sheet survey, row 4" in result.output
    assert "warning: sheet survey, row 2: left out: 'deviceid'" in result.output
    survey = session.scalar(select(Survey).where(Survey.slug == "form"))
    assert survey.state == SurveyState.open and [q.code for q in survey.questions] == ["a"]


def test_organizers_download_the_form_of_their_survey(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    response = client.get("/admin/surveys/small/form.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book["settings"]["B2"].value == "small"


def test_admins_upload_a_form_and_get_a_draft_survey(client, session):
    factories.login(client, factories.user(session, Role.admin))
    data = workbook([HEAD, ["text", "a", "A"], ["integer", "b", "B", "${a} != ''"]])
    tokens = form_tokens(client, "/auth/login")
    response = client.post(
        "/admin/xlsform",
        data={**tokens, "slug": "uploaded", "file": (io.BytesIO(data), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.location.endswith("/admin/surveys/uploaded")
    survey = session.scalar(select(Survey).where(Survey.slug == "uploaded"))
    assert survey.state == SurveyState.draft
    # Survey.questions is unordered (PostgreSQL returns rows in whatever order it holds them).
    by_code = {q.code: q for q in survey.questions}
    assert by_code["b"].settings == {"relevant": "${a} != ''"}


def test_a_refused_upload_says_why_with_the_row_and_keeps_nothing(client, session):
    factories.login(client, factories.user(session, Role.admin))
    data = workbook([HEAD, ["text", "a", "A"], ["text", "a", "B"]])
    response = client.post(
        "/admin/xlsform",
        data={**form_tokens(client, "/auth/login"), "file": (io.BytesIO(data), "dup.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "row 3 (a)" in response.get_data(as_text=True)
    assert session.scalar(select(Survey).where(Survey.slug == "dup")) is None


def test_the_upload_form_is_offered_to_admins_only(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    assert 'action="/admin/xlsform"' not in client.get("/admin/").get_data(as_text=True)
    assert "/admin/surveys/small/form.xlsx" in client.get("/admin/surveys/small").get_data(
        as_text=True
    )
    factories.login(client, factories.user(session, Role.admin))
    page = client.get("/admin/").get_data(as_text=True)
    assert 'action="/admin/xlsform"' in page and 'name="csrf_token"' in page
