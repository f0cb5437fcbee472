"""Reviewing responses: the list and a response's page, exclusion with a reason, and figures
and exports with and without excluded responses (the default stated)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select, update

from consult.accounts.audit import AuditEvent
from consult.accounts.roles import Role
from consult.collection.models import Channel, Response
from consult.collection.responses import insert_responses, response_values
from consult.exports.brief.content import brief_content
from consult.exports.brief.render import brief_html
from consult.surveys.questions import question_type
from tests import factories
from tests.conftest import form_tokens


@pytest.fixture
def reviewed(session):
    """A small survey with 12 responses, all agreeing, but one speeder who disagrees."""
    survey = factories.small(session)
    agree = next(q for q in survey.questions if question_type(q.type).numbered_points)
    group = next(q for q in survey.questions if q.role == "group")
    answers = [{agree.id: "5", group.id: "media"} for _ in range(11)]
    answers.append({agree.id: "1", group.id: "media"})
    insert_responses(session, [response_values(survey, a, "en", Channel.web) for a in answers],
                     answers)  # fmt: skip
    ids = list(session.scalars(select(Response.id).where(Response.survey_id == survey.id)
                               .order_by(Response.id)))  # fmt: skip
    for rid in ids[:-1]:
        session.execute(update(Response).where(Response.id == rid).values(duration_s=600))
    session.execute(update(Response).where(Response.id == ids[-1]).values(duration_s=30))
    speeder = session.get(Response, ids[-1])
    return survey, speeder


def _book(client, url):
    response = client.get(url)
    data = response.data
    response.close()
    return openpyxl.load_workbook(io.BytesIO(data))


def test_flag_exclude_and_see_both_figures(client, session, reviewed):
    survey, speeder = reviewed
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    base = f"/admin/surveys/{survey.slug}/review"
    client.post(f"{base}/check", data=form_tokens(client, f"{base}/"))
    listed = client.get(f"{base}/?flag=speeding").get_data(as_text=True)
    assert speeder.public_id in listed and "1 response" in listed
    page = client.get(f"{base}/{speeder.public_id}").get_data(as_text=True)
    assert "30 s against a median of 600 s" in page

    empty = client.post(f"{base}/{speeder.public_id}/exclude",
                        data=form_tokens(client, f"{base}/{speeder.public_id}"))  # fmt: skip
    assert empty.status_code == 400 and "Say why" in empty.get_data(as_text=True)
    data = {**form_tokens(client, f"{base}/{speeder.public_id}"), "reason": "answered in 30 s"}
    assert client.post(f"{base}/{speeder.public_id}/exclude", data=data).status_code == 302

    results = client.get(f"/admin/surveys/{survey.slug}/results").get_data(as_text=True)
    assert '<strong class="total">11</strong>' in results
    assert "By default these figures leave out the 1 response excluded after review." in results
    assert "With them: 12 responses." in results
    assert "100.0%" in results and "91.7%" in results  # % agree without and with
    with_them = client.get(f"/admin/surveys/{survey.slug}/results?excluded=include")
    assert '<strong class="total">12</strong>' in with_them.get_data(as_text=True)

    raw = _book(client, f"/admin/surveys/{survey.slug}/export.xlsx")
    ids = [row[0] for row in raw["Responses"].iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 11 and speeder.public_id not in ids
    notes = [row for row in raw["Codebook"].iter_rows(values_only=True) if row[0] == "(rows)"]
    assert "not in this sheet (1 in all; the default)" in notes[0][4]
    every = _book(client, f"/admin/surveys/{survey.slug}/export.xlsx?excluded=include")
    rows = list(every["Responses"].iter_rows(values_only=True))
    assert rows[0][-1] == "excluded" and len(rows) == 13
    marked = [r for r in rows[1:] if r[-1]]
    assert marked == [r for r in rows[1:] if r[0] == speeder.public_id]
    assert marked[0][-1] == "excluded: answered in 30 s"

    summary = _book(client, f"/admin/surveys/{survey.slug}/summary.xlsx")
    overview = [r for r in summary["Overview"].iter_rows(values_only=True) if r and r[0]]
    assert any("not counted (the default)" in str(r[1]) for r in overview if r[0] == "Filters")
    # Both figures side by side, as on the results page: without (the default) and with.
    at = next(i for i, r in enumerate(overview) if r[0] == "Responses left out after review")
    assert "Left out after review: 1. Respondents counted the other way: 12." == overview[at + 1][0]
    assert overview[at + 2][1:3] == ("% agree, without excluded responses",
                                     "% agree, with excluded responses")  # fmt: skip
    assert overview[at + 3][1:3] == ("100.0%", "91.7%")
    with client.application.app_context():
        brief = brief_html(brief_content(session, survey, "en"))
    assert "Left out after review: 1. Respondents counted the other way: 12." in brief
    assert "<td>100.0%</td><td>91.7%</td>" in brief

    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("export") == 3 and "response excluded" in actions


def test_only_admins_delete_and_only_after_confirming(client, session, reviewed):
    survey, speeder = reviewed
    url = f"/admin/surveys/{survey.slug}/review/{speeder.public_id}"
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    assert client.post(f"{url}/delete", data=form_tokens(client, url)).status_code == 403
    admin = client.application.test_client()
    factories.login(admin, factories.user(session, Role.admin))
    assert admin.post(f"{url}/delete", data=form_tokens(admin, url)).status_code == 400
    done = admin.post(f"{url}/delete", data={**form_tokens(admin, url), "confirm": "yes"})
    assert done.status_code == 302
    assert session.scalar(select(Response.id).where(Response.id == speeder.id)) is None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "response deleted"))
    assert event.target == speeder.public_id


def test_anonymous_surveys_list_responses_in_random_order_and_by_day(client, session, reviewed):
    survey, _speeder = reviewed
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    page = client.get(f"/admin/surveys/{survey.slug}/review/").get_data(as_text=True)
    shown = [r.public_id for r in session.scalars(
        select(Response).where(Response.survey_id == survey.id).order_by(Response.public_id)
    )]  # fmt: skip
    positions = [page.index(pid) for pid in shown]
    assert positions == sorted(positions)
    assert ":" not in page.split("<tbody>")[1].split("</tbody>")[0].replace("://", "")
