"""Rounds as panellists and organizers meet them: the reason asked when a rating crosses
between agree and disagree (checked on the server: no JavaScript needed), the Urdu page, the
protocol fixed once round 1 opens, a panel list with mistakes refused whole."""

from __future__ import annotations

import io
import re
from pathlib import Path

from sqlalchemy import func, select

from consult.accounts.roles import Role
from consult.delphi import keys, panel, rounds
from consult.delphi.models import ItemNote, Panellist
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import CSRF_INPUT, form_tokens

PEOPLE = "\n".join(f"Person{n} Baloch,person{n}@example.org,{g}"
                   for n, g in enumerate(["media"] * 6 + ["academia"] * 2))  # fmt: skip


def _study(app, session):
    survey = factories.nisp(session, state=SurveyState.draft, slug="nisp-rounds")
    study = panel.create_study(session, survey)
    panel.add_panellists(session, study, panel.sheet_of(PEOPLE, None, ""))
    rounds.open_round(session, study)
    return survey, study


def _links(app, session, study, number):
    made = rounds.make_links(session, study, number, keys.master_key(Path(app.instance_path)))
    return {link.panellist.email: f"/d/{link.token}" for link in made}


def _answers(page, value, codes):
    data = {"csrf_token": CSRF_INPUT.search(page).group(1)}
    data.update({f"item-{code}": value for code in codes})
    return data


def test_crossing_asks_for_a_reason_without_javascript_and_in_urdu(app, session):
    survey, study = _study(app, session)
    codes = [q.code for q in panel.rating_items(survey)]
    client = app.test_client()
    links = _links(app, session, study, 1)
    for link in links.values():
        page = client.get(link).get_data(as_text=True)
        assert client.post(link, data=_answers(page, "5", codes)).status_code == 302
    rounds.close_round(session, study, 1)
    rounds.open_round(session, study)
    link = _links(app, session, study, 2)["person0@example.org"]
    page = client.get(f"{link}?lang=ur").get_data(as_text=True)
    assert 'lang="ur" dir="rtl"' in page
    assert f'name="item-{codes[0]}" value="5" checked' in page
    assert "<svg" in page and 'class="bar own"' in page
    data = _answers(page, "5", codes)
    data[f"item-{codes[0]}"] = "1"
    data[f"comment-{codes[0]}"] = "Kept when the page comes back"
    response = client.post(f"{link}?lang=ur", data=data)
    assert response.status_code == 400
    again = response.get_data(as_text=True)
    assert f'id="reason-{codes[0]}-error"' in again
    assert f'name="item-{codes[0]}" value="1" checked' in again
    assert "Kept when the page comes back" in again
    assert session.scalar(select(func.count()).select_from(ItemNote)) == 0  # nothing half-saved
    data[f"reason-{codes[0]}"] = "نئے شواہد"
    assert client.post(f"{link}?lang=ur", data=data).status_code == 302
    note = session.scalar(select(ItemNote).where(ItemNote.reason.is_not(None)))
    assert note.reason == "نئے شواہد" and note.comment == "Kept when the page comes back"
    # One link, one response.
    assert client.get(link).status_code == 409


def test_the_group_under_k_is_not_shown(app, session):
    survey, study = _study(app, session)
    codes = [q.code for q in panel.rating_items(survey)]
    client = app.test_client()
    for link in _links(app, session, study, 1).values():
        page = client.get(link).get_data(as_text=True)
        client.post(link, data=_answers(page, "4", codes))
    rounds.close_round(session, study, 1)
    rounds.open_round(session, study)
    links = _links(app, session, study, 2)
    media = client.get(links["person0@example.org"]).get_data(as_text=True)
    academia = client.get(links["person7@example.org"]).get_data(as_text=True)
    assert "Your stakeholder group in round 1" in media  # six in media, k = 5
    assert "Your stakeholder group in round 1" not in academia  # two in academia
    assert "fewer than 5 of your group" in academia


def test_protocol_fixed_once_round_one_opens(app, session):
    survey, study = _study(app, session)
    client = app.test_client()
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    base = f"/admin/surveys/{survey.slug}/delphi"
    data = {**form_tokens(client, base + "/"), "agree_from": "4", "disagree_to": "2",
            "consensus_agree": "80", "consensus_disagree": "10", "max_rounds": "3",
            "stable_unchanged": "85", "stable_delta": "10",
            "quantile_method": "linear"}  # fmt: skip
    response = client.post(base + "/protocol", data=data)
    assert response.status_code == 409
    assert "fixed once round 1 has opened" in response.get_data(as_text=True)
    assert study.protocol["consensus_agree"] == 75.0


def test_a_panel_list_with_mistakes_is_refused_whole(app, session):
    survey = factories.nisp(session, state=SurveyState.draft, slug="nisp-panel")
    client = app.test_client()
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    base = f"/admin/surveys/{survey.slug}/delphi"
    client.post(base + "/create", data=form_tokens(client, base + "/"))
    bad = "name,email,group\nAmina Raza,amina@example.org,media\nBilal,not-an-address,media\n"
    data = {**form_tokens(client, base + "/"), "file": (io.BytesIO(bad.encode()), "p.csv")}
    response = client.post(base + "/panel", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert re.search(r"Not an e-mail address", response.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(Panellist)) == 0


def test_a_ranking_is_whole_or_empty(app, session):
    survey, study = _study(app, session)
    codes = [q.code for q in panel.rating_items(survey)]
    link = _links(app, session, study, 1)["person0@example.org"]
    client = app.test_client()
    page = client.get(link).get_data(as_text=True)
    data = _answers(page, "3", codes)
    data["rank-priority_ranking-coordination"] = "1"
    response = client.post(link, data=data)
    assert response.status_code == 400
    assert 'id="rank-priority_ranking-error"' in response.get_data(as_text=True)
    del data["rank-priority_ranking-coordination"]
    assert client.post(link, data=data).status_code == 302  # left empty: fine


def test_comments_reach_the_workbook_as_text_never_formulas(app, session):
    survey, study = _study(app, session)
    codes = [q.code for q in panel.rating_items(survey)]
    link = _links(app, session, study, 1)["person0@example.org"]
    client = app.test_client()
    data = _answers(client.get(link).get_data(as_text=True), "4", codes)
    data[f"comment-{codes[0]}"] = '=HYPERLINK("http://example.org","x")'
    assert client.post(link, data=data).status_code == 302
    organizer = app.test_client()
    factories.login(organizer, factories.user(session, Role.organizer, survey=survey))
    response = organizer.get(f"/admin/surveys/{survey.slug}/delphi/study.xlsx")
    data = response.data
    response.close()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data))["Comments"]
    cell = sheet.cell(row=2, column=5)
    assert cell.value == '=HYPERLINK("http://example.org","x")'
    assert cell.data_type == "s" and cell.quotePrefix


def test_round_links_stay_out_of_the_request_log():
    from consult.privacy import redact

    assert redact('127.0.0.1 - - "GET /d/Ab3-x?lang=ur HTTP/1.1" 200') == (
        '127.0.0.1 - - "GET /d/… HTTP/1.1" 200'
    )


def test_an_expired_form_comes_back_with_its_answers(app, session):
    survey, study = _study(app, session)
    codes = [q.code for q in panel.rating_items(survey)]
    link = _links(app, session, study, 1)["person0@example.org"]
    client = app.test_client()
    data = _answers(client.get(link).get_data(as_text=True), "2", codes)
    data["csrf_token"] = "expired"
    data[f"comment-{codes[1]}"] = "Still here"
    response = client.post(link, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Check your answers and send them again." in page and "Still here" in page
    assert f'name="item-{codes[0]}" value="2" checked' in page
    data["csrf_token"] = CSRF_INPUT.search(page).group(1)
    assert client.post(link, data=data).status_code == 302


def test_only_approved_comments_reach_the_panel_grouped_by_position(app, session):
    survey, study = _study(app, session)
    codes = [q.code for q in panel.rating_items(survey)]
    client = app.test_client()
    for email, link in _links(app, session, study, 1).items():
        data = _answers(client.get(link).get_data(as_text=True), "5", codes)
        if email == "person1@example.org":
            data[f"item-{codes[0]}"] = "1"
            data[f"comment-{codes[0]}"] = "Approved, from one who disagrees"
        if email == "person2@example.org":
            data[f"comment-{codes[0]}"] = "Not approved"
        assert client.post(link, data=data).status_code == 302
    rounds.close_round(session, study, 1)
    organizer = app.test_client()
    factories.login(organizer, factories.user(session, Role.organizer, survey=survey))
    base = f"/admin/surveys/{survey.slug}/delphi"
    page = organizer.get(f"{base}/rounds/1").get_data(as_text=True)
    wanted = re.search(r'value="(\d+)"> <span><code>[^<]+</code> <bdi>Approved', page).group(1)
    data = {**form_tokens(organizer, f"{base}/rounds/1"), "approved": [wanted]}
    assert organizer.post(f"{base}/rounds/1/comments", data=data).status_code == 302
    rounds.open_round(session, study)
    seen = client.get(_links(app, session, study, 2)["person0@example.org"]).get_data(as_text=True)
    first = seen[
        seen.index(f'id="item-{codes[0]}-label"') : seen.index(f'id="item-{codes[1]}-label"')
    ]
    assert "Not approved" not in seen
    block = first[first.index("Comments from the panel") :]
    assert re.search(r"<h3>Disagree</h3>\s*<ul><li><bdi>Approved, from one who disagrees", block)
