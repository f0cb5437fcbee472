"""Skip logic and constraints judged on the server, without JavaScript: sections become pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.authoring.definitions import create_survey
from consult.collection.models import Answer, Response
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import form_tokens

URL = "/s/every-type"
PAGE_ONE = {**factories.valid_small_answers(), "q_tools": ["pen", "other"], "q_tools-other": "kite"}


def step(client, data, at, page="next"):
    body = {**form_tokens(client, URL), **data, "page_at": str(at)}
    if page:
        body["page"] = page
    return client.post(URL, data=body)


def hidden(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="(q_[^"]+)" value="([^"]*)"', html):
        found.setdefault(name, []).append(value)
    return found


def stored(session, survey) -> dict[str, str | None]:
    response = session.scalars(select(Response)).one()
    values = dict(
        session.execute(
            select(Answer.question_id, Answer.value).where(Answer.response_id == response.id)
        ).all()
    )
    return {q.code: values.get(q.id) for q in survey.questions}


def test_a_survey_with_skip_logic_shows_one_page_at_a_time(client, session):
    factories.every_type(session)
    html = client.get(URL).get_data(as_text=True)
    assert 'name="q_group"' in html and 'name="q_works"' not in html
    assert 'name="page" value="next"' in html and 'value="back"' not in html


def test_next_checks_only_the_current_page(client, session):
    factories.every_type(session)
    response = step(client, {}, 0)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please answer this question." in html and 'name="q_group"' in html
    assert "Tell us the salary." not in html  # a later page is not judged yet


def test_pages_branch_and_irrelevant_answers_are_not_stored(client, session):
    survey = factories.every_type(session)
    html = step(client, PAGE_ONE, 0).get_data(as_text=True)
    assert 'name="q_works"' in html and "<select" in html  # appearance minimal: a dropdown
    # Its relevance depends on "works" on this same page: shown, since without JavaScript it
    # could not appear once "works" is answered.
    assert 'name="q_sector"' in html
    carried = hidden(html)
    assert carried["q_tools"] == ["pen", "other"] and carried["q_tools-other"] == ["kite"]
    page_two = {"q_agree_terms": "yes", "q_works": "no"}
    html = step(client, {**PAGE_ONE, **page_two}, 1).get_data(as_text=True)
    # "works = no" makes every question of the job page irrelevant: straight to the matrix.
    assert 'name="q_salary"' not in html and '<table class="matrix">' in html
    assert html.count('name="q_trust"') == 7
    views = {"q_trust": "6", "q_safe": "2"}
    html = step(client, {**PAGE_ONE, **page_two, **views}, 3).get_data(as_text=True)
    assert 'name="q_age"' in html and 'name="page" value="next"' not in html
    # A forged answer to the skipped salary question travels along but is never stored.
    final = {
        **PAGE_ONE,
        **page_two,
        **views,
        "q_age": "30",
        "q_salary": "900",
        "q_sector": "public",
    }
    response = step(client, final, 4, page=None)
    assert response.status_code == 302
    values = stored(session, survey)
    assert values["salary"] is None and values["started"] is None and values["sector"] is None
    assert values["tools"] == "pen other\nkite" and values["agree_terms"] == "yes"
    assert values["trust"] == "6" and values["age"] == "30" and values["works"] == "no"


def test_relevant_questions_are_required_with_their_own_message(client, session):
    survey = factories.every_type(session)
    page_two = {"q_agree_terms": "yes", "q_works": "yes"}
    html = step(client, {**PAGE_ONE, **page_two}, 1).get_data(as_text=True)
    assert 'name="q_salary"' in html
    response = step(client, {**PAGE_ONE, **page_two}, 2)
    assert response.status_code == 400
    assert "Tell us the salary." in response.get_data(as_text=True)
    job = {"q_salary": "۱۲۰۰٫۵", "q_started": "۲۰۱۰-۰۳-۲۳"}
    views = {"q_trust": "3"}
    body = {**PAGE_ONE, **page_two, **job, **views, "q_age": "40"}
    assert step(client, body, 4, page=None).status_code == 302
    values = stored(session, survey)
    assert values["salary"] == "1200.5" and values["started"] == "2010-03-23"


def test_back_goes_to_the_previous_relevant_page_without_judging(client, session):
    factories.every_type(session)
    body = {**PAGE_ONE, "q_agree_terms": "yes", "q_works": "no"}
    html = step(client, body, 3, page="back").get_data(as_text=True)
    assert 'name="q_works"' in html and "Please answer" not in html


def test_a_failed_constraint_shows_its_message_on_submit(client, session):
    factories.every_type(session)
    body = {**PAGE_ONE, "q_agree_terms": "yes", "q_works": "no", "q_trust": "4", "q_age": "12"}
    response = step(client, body, 4, page=None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Adults only." in html and 'name="q_age"' in html
    assert session.scalars(select(Response)).first() is None


def test_other_needs_its_text_and_consent_must_be_ticked(client, session):
    factories.every_type(session)
    body = {**PAGE_ONE, "q_tools-other": ""}
    html = step(client, body, 0).get_data(as_text=True)
    assert "Please say what your other answer is." in html
    html = step(client, {**PAGE_ONE, "q_works": "no"}, 1).get_data(as_text=True)
    assert "Tick the box to agree before you continue." in html


def test_submit_with_errors_on_an_earlier_page_returns_to_it(client, session):
    factories.every_type(session)
    body = {**PAGE_ONE, "q_group": "", "q_agree_terms": "yes", "q_works": "no", "q_trust": "4"}
    response = step(client, body, 4, page=None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'name="q_group"' in html and 'name="page_at" value="0"' in html


def test_a_default_fills_the_first_view_only(client, session):
    data = factories.small_definition()
    data["sections"][0]["questions"][6]["default"] = "Ayesha"  # the short text "name"
    create_survey(session, data, SurveyState.open)
    assert 'name="q_name" value="Ayesha"' in client.get("/s/small").get_data(as_text=True)
    body = {**factories.valid_small_answers(), "q_name": ""}
    response = client.post("/s/small", data={**form_tokens(client, "/s/small"), **body})
    assert response.status_code == 302  # an emptied default stays empty: not stored


def test_save_on_a_later_page_keeps_every_page_and_resumes_at_the_first(app, client, session):
    factories.every_type(session)
    body = {**PAGE_ONE, "q_agree_terms": "yes", "q_works": "yes", "q_salary": "۵۰۰", "save": "1"}
    response = step(client, body, 2, page=None)
    code = re.search(
        r'class="resume-code"[^>]*><strong>([0-9A-Z-]+)</strong>', response.get_data(as_text=True)
    )
    other = app.test_client()
    html = other.get(f"/resume/{code.group(1)}").get_data(as_text=True)
    assert 'name="q_group" value="media" checked' in html  # the first page, filled in
    carried = hidden(html)
    assert carried["q_works"] == ["yes"] and carried["q_salary"] == ["۵۰۰"]
    assert 'name="q_salary"' not in html.split('name="page_at"')[0]  # carried, not shown
