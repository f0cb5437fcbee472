"""Surveys, definitions, the XLSForm, summary figures and invitations through the API."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from consult.accounts.roles import Role
from consult.analysis.filters import Filters
from consult.api.summary import summary_figures
from consult.authoring.definitions import builtin_definition, create_survey
from consult.authoring.dumping import dump_survey
from consult.collection import invitations
from consult.collection.models import Invitation
from consult.collection.synthetic import add_fake_responses
from consult.exports.summary.workbook import summary_workbook
from consult.surveys.models import SurveyState
from tests import factories
from tests.api.conftest import bearer


def _organizer(session, survey, write=False):
    organizer = factories.user(session, Role.organizer, survey=survey)
    return bearer(session, organizer, write=write)


def test_a_definition_reads_back_into_the_same_survey(client, session):
    nisp = factories.nisp(session)
    headers = _organizer(session, nisp)
    served = client.get(f"/api/v1/surveys/{nisp.slug}/definition", headers=headers)
    assert served.status_code == 200
    data = served.json
    assert data == json.loads(json.dumps(dump_survey(nisp)))
    original = builtin_definition()
    assert [s["code"] for s in data["sections"]] == [s["code"] for s in original["sections"]]
    again = create_survey(session, {**data, "slug": "nisp-again"}, SurveyState.draft)
    assert {**dump_survey(again), "slug": nisp.slug} == data
    small = factories.small(session)
    assert {**dump_survey(create_survey(session, {**dump_survey(small), "slug": "small-2"},
            SurveyState.draft)), "slug": "small"} == dump_survey(small)  # fmt: skip


def test_the_summary_has_the_workbooks_numbers_and_suppression(client, session):
    nisp = factories.nisp(session)
    nisp.k_min = 25  # the last groups of a synthetic load are small: under k, suppressed
    for _done in add_fake_responses(session, nisp, 150, seed=11):
        pass
    headers = _organizer(session, nisp)
    served = client.get(f"/api/v1/surveys/{nisp.slug}/summary", headers=headers)
    assert served.status_code == 200
    written = summary_workbook(session, nisp, "en", io.BytesIO(), Filters(), helper=False)
    assert served.json["total"] == written.total == 150
    assert served.json == json.loads(json.dumps(summary_figures(session, nisp, Filters())))
    by_code = {q["code"]: q for q in served.json["questions"]}
    small = written.small_groups
    assert small, "groups under k"
    for result in written.results:
        cells = by_code[result.question.code]["by_group"]
        for unit, cell in result.by_group.items():
            assert cells[unit]["status"] == str(cell.status)
            if cell.shown:
                assert cells[unit]["n"] == cell.n
                for stat, value in cell.figures.items():
                    assert cells[unit]["figures"][stat] == (
                        value if value == value else None), stat  # fmt: skip
            else:  # a small or hidden cell: neither its size nor a figure
                assert cells[unit]["n"] is None and cells[unit]["figures"] == {}
        for unit in small:
            assert cells[unit]["status"] != "ok"


def test_the_xlsform_is_the_builders_download(client, session):
    survey = factories.small(session)
    headers = _organizer(session, survey)
    served = client.get("/api/v1/surveys/small/form.xlsx", headers=headers)
    assert served.status_code == 200
    book = load_workbook(io.BytesIO(served.data))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)


def test_invitations_are_made_listed_and_revoked(client, session, app):
    survey = factories.small(session, anonymous=False)
    headers = _organizer(session, survey, write=True)
    url = "/api/v1/surveys/small/invitations"
    made = client.post(
        url,
        headers=headers,
        json={
            "invitees": [
                {"name": "Ayesha", "contact": "a@example.org", "group": "media"},
                {"group": "academia"},
            ]
        },
    )
    assert made.status_code == 201, made.json
    links = made.json["invitations"]
    assert [i["group"] for i in links] == ["media", "academia"]
    token = links[0]["link"].rsplit("/", 1)[1]
    assert invitations.find_invitation(session, token).id == links[0]["id"]
    listed = client.get(url, headers=headers).json["invitations"]
    assert {i["name"] for i in listed} == {"Ayesha", None} and all(i["used"] is False
                                                                  for i in listed)  # fmt: skip
    revoked = client.post(f"{url}/{links[0]['id']}/revoke", headers=headers)
    assert revoked.status_code == 200 and revoked.json["revoked"] is True
    assert session.get(Invitation, links[0]["id"]).revoked
    other = factories.small(session, slug="other")
    [(foreign, _t)] = invitations.create_invitations(session, other, [invitations.Invitee()])
    assert client.post(f"{url}/{foreign.id}/revoke", headers=headers).status_code == 404
    bad = client.post(url, headers=headers, json={"invitees": [{"group": "nobody"}, {}],
                                                   "expires_on": "2020-01-01"})  # fmt: skip
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]["invitees"]) == {"0", "1"}
    assert bad.json["errors"]["json"]["expires_on"] == ["The expiry date is in the past."]
    count = session.scalar(select(Invitation.id).where(Invitation.survey_id == survey.id).order_by(
        Invitation.id.desc()))  # fmt: skip
    assert count == links[1]["id"]  # nothing more was made


def test_an_anonymous_surveys_invitations_never_say_used(client, session):
    survey = factories.small(session)  # anonymous by default
    headers = _organizer(session, survey, write=True)
    client.post("/api/v1/surveys/small/invitations", headers=headers,
                json={"invitees": [{"group": "media"}]})  # fmt: skip
    listed = client.get("/api/v1/surveys/small/invitations", headers=headers).json
    assert [i["used"] for i in listed["invitations"]] == [None]


def test_the_docs_page_lists_every_operation_offline(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    for path, item in document["paths"].items():
        for method in item:
            if method in ("get", "post"):
                assert f"{method.upper()} {path}" in text
    assert "cdn" not in text.lower() and '<script src="http' not in text
