"""Interviewer and paper entry, and the monitor that shows them."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from consult.accounts.roles import Role
from consult.collection.models import Response
from tests import factories
from tests.conftest import form_tokens


def enter(client, url, **changes):
    data = {**form_tokens(client, url), **factories.valid_small_answers(), **changes}
    return client.post(url, data=data)


def test_enumerator_enters_an_interview_after_read_aloud_consent(client, session):
    survey = factories.small(session)
    enumerator = factories.user(session, Role.enumerator, survey=survey)
    factories.login(client, enumerator)
    chooser = client.get("/admin/surveys/small/enter")
    assert chooser.status_code == 200 and 'name="channel"' in chooser.get_data(as_text=True)
    url = "/admin/surveys/small/enter?group=academia&channel=enumerator&lang=en"
    refused = enter(client, url)
    assert refused.status_code == 400
    assert "Read the consent statement aloud" in refused.get_data(as_text=True)
    assert enter(client, url, consent_read="y").status_code == 302
    stored = session.scalar(select(Response))
    assert stored.channel == "enumerator" and stored.enumerator_id == enumerator.id
    assert stored.group.code == "academia"


def test_paper_forms_need_no_consent_box_and_are_tagged_paper(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    url = "/admin/surveys/small/enter?group=media&channel=paper"
    page = client.get(url).get_data(as_text=True)
    assert "consent_read" not in page and "Save and continue later" not in page
    assert enter(client, url).status_code == 302
    assert session.scalar(select(Response)).channel == "paper"


def test_enumerator_of_another_survey_cannot_enter(client, session):
    factories.small(session)
    other = factories.small(session, slug="other")
    factories.login(client, factories.user(session, Role.enumerator, survey=other))
    assert client.get("/admin/surveys/small/enter?group=media&channel=paper").status_code == 404
    assert client.get("/admin/surveys/small").status_code == 403  # enumerators see no results


def test_channels_show_in_the_export_and_on_the_monitor(client, session):
    survey = factories.small(session)
    organizer = factories.user(session, Role.organizer, survey=survey)
    factories.login(client, organizer)
    enter(client, "/admin/surveys/small/enter?group=media&channel=paper")
    enter(client, "/admin/surveys/small/enter?group=academia&channel=enumerator", consent_read="y")
    web = client.application.test_client()
    web.post("/s/small", data={**form_tokens(web, "/s/small"), **factories.valid_small_answers()})
    response = client.get("/admin/surveys/small/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Responses"]
    response.close()
    channels = sorted(row[4].value for row in sheet.iter_rows(min_row=2))
    assert channels == ["enumerator", "paper", "web"]
    monitor = client.get("/admin/surveys/small/monitor").get_data(as_text=True)
    # It counts again only when asked (WCAG 2.2.1): no automatic refresh, a link to count again.
    assert 'http-equiv="refresh"' not in monitor and 'class="refresh"' in monitor
    for channel in ("enumerator", "paper", "web"):
        assert f'<th scope="col" class="num">{channel}</th>' in monitor


def test_monitor_shows_targets_and_group_by_region(client, session):
    survey = factories.small(session)
    survey.groups[0].target = 4
    survey.settings = {"region_targets": {"green": 10}}
    session.flush()
    factories.login(client, factories.user(session, Role.viewer, survey=survey))
    web = client.application.test_client()
    web.post("/s/small", data={**form_tokens(web, "/s/small"), **factories.valid_small_answers()})
    page = client.get("/admin/surveys/small/monitor").get_data(as_text=True)
    assert '<meter min="0" max="100" value="25">' in page  # 1 of 4 media responses
    assert '<td class="num">10</td>' in page  # the province target
