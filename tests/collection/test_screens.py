"""What the respondent pages say and where they lead, without JavaScript (the server's part of
issue 21): page N of M, notes once, Back before Next, Enter goes on, a language switch that keeps
every answer, a short error summary whose heading takes focus, a ranking whose options say which
ranks are free, codes and addresses set apart, and the way to the resume page."""

from __future__ import annotations

import re

from consult.accounts.roles import Role
from consult.authoring.definitions import create_survey
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import form_tokens
from tests.factories import paged_definition

PAGED = "/s/nisp-paged"


def paged(session):
    return create_survey(session, paged_definition(), SurveyState.open)


def post(client, url, **data):
    return client.post(url, data={**form_tokens(client, url), **data})


def test_a_paged_survey_says_which_page_and_says_its_notes_once(client, session):
    paged(session)
    first = client.get(PAGED).get_data(as_text=True)
    assert "Page 1 of 5" in first and '<progress max="5" value="0"' in first
    assert 'class="privacy"' in first and 'class="lead"' in first
    assert 'href="/resume?lang=en"' in first  # continue with a code
    assert "data-progress" not in first  # the per-page answer count would mislead
    second = post(
        client, PAGED, q_group="media", q_province="sindh", page="next", page_at="0"
    ).get_data(as_text=True)
    assert "Page 2 of 5" in second and '<progress max="5" value="1"' in second
    assert 'class="privacy"' not in second and 'class="lead"' not in second
    assert "/resume?lang=" not in second
    actions = second[second.index('<div class="actions">') :]
    assert actions.index('value="back"') < actions.index('value="next"')  # Back first


def test_enter_in_a_text_box_goes_on_not_back(client, session):
    paged(session)
    html = client.get(PAGED).get_data(as_text=True)
    # The form's first submit control (before the language buttons and Back) is the page's
    # main action: browsers use it when Enter is pressed in a text box.
    first = re.search(r'<(?:input|button)[^>]*type="submit"[^>]*>', html).group(0)
    assert 'form="answers"' in first and 'value="enter"' in first and "hidden" in first
    page = post(client, PAGED, q_group="media", q_province="sindh", page="enter", page_at="0")
    assert page.status_code == 200 and "Page 2 of 5" in page.get_data(as_text=True)


def test_switching_language_keeps_the_page_and_every_answer(client, session):
    paged(session)
    carried = {"q_group": "media", "q_province": "sindh", "q_district": "Sukkur"}
    response = post(
        client, f"{PAGED}?lang=ur", switch="اردو", page_at="1",
        q_coordination_agree="5", q_coordination_comment="رکھا گیا", **carried,
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in html and "صفحہ 2 از 5" in html
    assert re.search(r'name="q_coordination_agree" value="5"\s*checked', html)
    assert ">رکھا گیا</textarea>" in html
    for name, value in carried.items():  # the other pages' answers ride along
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    assert "error-summary" not in html and 'class="error"' not in html  # nothing judged


def test_the_language_buttons_post_the_answers_to_the_page_in_that_language(client, session):
    factories.nisp(session)
    html = client.get("/s/nisp-consultation?lang=en").get_data(as_text=True)
    button = re.search(r'<input type="submit"[^>]*lang="ur"[^>]*>', html).group(0)
    assert 'form="answers"' in button and 'formaction="/s/nisp-consultation?lang=ur"' in button
    assert 'name="switch" value="اردو"' in button and "formnovalidate" in button
    typed = {"q_group": "media", "q_policy_gaps": "Kept", "q_priority_ranking-kpis": "2"}
    page = post(client, "/s/nisp-consultation?lang=ur", switch="اردو", **typed)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ">Kept</textarea>" in html
    assert re.search(r'name="q_group" value="media"\s*checked', html)
    assert '<option value="2" selected>2</option>' in html
    assert "error-summary" not in html


def test_the_error_summary_is_short_and_its_heading_takes_focus(client, session):
    factories.nisp(session)
    html = post(client, "/s/nisp-consultation").get_data(as_text=True)
    summary = html[html.index('<div class="error-summary"') : html.index("</div>", html.index(
        '<div class="error-summary"'))]  # fmt: skip
    assert 'id="error-summary-title" tabindex="-1" autofocus' in summary
    # Fifteen errors: two messages, each said once, with a link per section concerned.
    assert summary.count("Please answer this question.") == 1
    assert summary.count("<a href=") == 8  # about you, six recommendations, the ranking
    assert "About you (2 questions)</a>" in summary
    assert 'href="#q_group-0"' in summary and 'href="#q_coordination_agree-0"' in summary
    # Before the notes: the phone shows the title and the summary first.
    assert html.index("error-summary") < html.index('class="privacy"')


def test_a_few_errors_are_listed_one_by_one(client, session):
    factories.small(session)
    answers = {**factories.valid_small_answers(), "q_agree": "", "q_years": "abc"}
    summary = post(client, "/s/small", **answers).get_data(as_text=True)
    assert '<a href="#q_agree-0">Agree?</a><br>Please answer this question.' in summary
    assert '<a href="#q_years">Years</a><br>Enter a whole number, for example 12.' in summary


def test_ranking_options_name_the_item_holding_a_rank(client, session):
    factories.small(session)
    answers = {**factories.valid_small_answers(), "q_rank-alpha": "1", "q_rank-beta": "1"}
    answers.pop("q_rank-gamma")
    html = post(client, "/s/small", **answers).get_data(as_text=True)
    assert "Rank 1 is given to more than one item: Alpha, Beta." in html
    gamma = html[html.index('name="q_rank-gamma"') : html.index("</select>", html.index(
        'name="q_rank-gamma"'))]  # fmt: skip
    assert '<option value="1">1 – Alpha</option>' in gamma  # taken, and by which item
    assert '<option value="2">2</option>' in gamma  # free
    assert "Ranks still free: 2, 3" in html


def test_urdu_digits_are_the_same_rank(client, session):
    factories.small(session)
    answers = {**factories.valid_small_answers(), "q_rank-alpha": "۲", "q_rank-beta": "2"}
    html = post(client, "/s/small", **answers).get_data(as_text=True)
    assert "Rank 2 is given to more than one item: Alpha, Beta." in html


def test_the_saved_page_sets_the_code_apart_and_leads_to_the_resume_page(client, session):
    factories.nisp(session)
    html = post(client, "/s/nisp-consultation?lang=ur", q_group="media", save="1").get_data(
        as_text=True
    )
    assert re.search(r'<p class="resume-code" dir="ltr" lang="en" translate="no"><strong>', html)
    assert re.search(r'<a class="url" href="http://[^"]+/resume/\w+" dir="ltr" lang="en"', html)
    assert 'href="/resume?lang=ur"' in html
    # After Urdu letters an ISO date is isolated, or it would read backwards (03-01-2027).
    assert re.search(r'محفوظ جوابات <bdi dir="ltr">\d{4}-\d\d-\d\d</bdi> تک', html)
    resume = client.get("/resume?lang=ur").get_data(as_text=True)
    assert '<bdi class="latin" dir="ltr" lang="en" translate="no">K7Q9-M2XP-4HDT</bdi>' in resume


def test_date_fields_show_the_format_their_hint_states(client, session):
    """A browser's date picker shows the phone's own format (03/23/2025), not the yyyy-mm-dd a
    hint asks for: every date field with such a hint is a text box that takes what it says."""
    survey = factories.every_type(session)
    job = {**factories.valid_small_answers(), "q_agree_terms": "yes", "q_works": "yes"}
    page_three = post(client, "/s/every-type", page="next", page_at="1", **job)
    pages = [page_three.get_data(as_text=True)]
    assert re.search(r'name="q_started"[^>]*placeholder="yyyy-mm-dd"', pages[0])
    factories.login(client, factories.user(session, Role.admin))
    pages.append(client.get(f"/admin/surveys/{survey.slug}/build").get_data(as_text=True))
    pages.append(client.get(f"/admin/surveys/{survey.slug}/invitations").get_data(as_text=True))
    for html in pages:
        assert 'type="date"' not in html
    assert "Year-month-day, for example 2025-03-23." in pages[0]
    assert "(optional, yyyy-mm-dd)" in pages[1] and "(optional, YYYY-MM-DD)" in pages[2]


def test_dates_in_urdu_messages_are_isolated_left_to_right(client, session):
    factories.every_type(session)
    job = {**factories.valid_small_answers(), "q_agree_terms": "yes", "q_works": "yes"}
    url = "/s/every-type?lang=ur"
    html = post(client, url, page="next", page_at="1", **job).get_data(as_text=True)
    assert "مثلاً \u20662025-03-23\u2069۔" in html  # the hint: LRI … PDI around the example
    answers = {**job, "q_salary": "100", "q_started": "1900-01-01"}
    html = post(client, url, page="next", page_at="2", **answers).get_data(as_text=True)
    assert "\u20661950-01-01\u2069" in html  # "on or after 1950-01-01", isolated
