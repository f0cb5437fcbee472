"""A respondent answers a survey through the web form."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.collection.models import Answer, Response
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import form_tokens


def count(session) -> int:
    return session.scalar(select(func.count(Response.id)))


def post(client, url, data, **kwargs):
    return client.post(url, data={**form_tokens(client, url), **data}, **kwargs)


def test_english_page_has_every_question_and_no_inline_script(client, session):
    factories.nisp(session)
    page = client.get("/s/nisp-consultation").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Inter-agency coordination" in page
    assert 'name="q_priority_ranking-kpis"' in page
    assert "<script>" not in page  # the CSP forbids inline script; everything is in static/


def test_urdu_page_is_right_to_left_with_urdu_content(client, session):
    factories.nisp(session)
    page = client.get("/s/nisp-consultation?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page
    assert "قومی داخلی سلامتی پالیسی" in page
    assert 'action="/s/nisp-consultation?lang=ur"' in page


def test_unknown_language_falls_back_without_error(client, session):
    factories.nisp(session)
    response = client.get("/s/nisp-consultation?lang=xx")
    assert response.status_code == 200
    assert 'lang="en"' in response.get_data(as_text=True)


def test_valid_submission_is_stored_once_and_thanked(client, session):
    survey = factories.small(session)
    response = post(client, "/s/small", factories.valid_small_answers())
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/s/small/thanks")
    stored = session.scalars(select(Response)).one()
    assert stored.group.code == "media" and stored.region == "green" and stored.channel == "web"
    values = dict(
        session.execute(
            select(Answer.question_id, Answer.value).where(Answer.response_id == stored.id)
        ).all()
    )
    by_code = {q.code: values.get(q.id) for q in survey.questions}
    assert by_code["rank"] == "beta alpha gamma"
    assert by_code["agree"] == "4" and by_code["years"] == "12" and by_code["info"] is None
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you" in thanks and "Ayesha" not in thanks


def test_urdu_submission_records_language_and_accepts_urdu_digits(client, session):
    factories.small(session)
    data = factories.valid_small_answers() | {"q_years": "۱۲"}
    response = post(client, "/s/small?lang=ur", data)
    assert response.status_code == 302
    stored = session.scalars(select(Response)).one()
    assert stored.language == "ur"
    assert session.scalar(select(Answer.value).where(Answer.value == "12")) == "12"


def test_resubmitting_the_same_form_stores_one_response(client, session):
    factories.small(session)
    tokens = form_tokens(client, "/s/small")
    data = {**tokens, **factories.valid_small_answers()}
    first = client.post("/s/small", data=data)
    second = client.post("/s/small", data=data)  # Back, then submit again; or a double click
    assert first.status_code == second.status_code == 302
    assert count(session) == 1


def test_group_link_fixes_the_group(client, session):
    factories.small(session)
    page = client.get("/s/small?group=academia").get_data(as_text=True)
    assert 'type="hidden" name="q_group" value="academia"' in page
    data = factories.valid_small_answers() | {"q_group": "media"}  # a tampered hidden field
    post(client, "/s/small?group=academia", data)
    assert session.scalars(select(Response)).one().group.code == "academia"


def test_unknown_group_code_in_link_is_ignored(client, session):
    factories.small(session)
    page = client.get("/s/small?group=nonsense").get_data(as_text=True)
    assert 'name="q_group" value="media"' in page  # the normal question, nothing fixed


BAD_INPUTS = {
    "missing required answer": ({"q_agree": ""}, "Please answer this question."),
    "scale value 0": ({"q_agree": "0"}, "That is not one of the choices offered."),
    "scale value 6": ({"q_agree": "6"}, "That is not one of the choices offered."),
    "scale value abc": ({"q_agree": "abc"}, "That is not one of the choices offered."),
    "unknown choice code": ({"q_colour": "purple"}, "That is not one of the choices offered."),
    "too many selections": ({"q_tools": ["pen", "phone", "radio"]}, "Choose at most 2 options."),
    "repeated rank": (
        {"q_rank-alpha": "1", "q_rank-beta": "1"},
        "Rank 1 is given to more than one item: Alpha, Beta.",
    ),
    "rank out of range": ({"q_rank-alpha": "9"}, "Ranks go from 1 to 3."),
    "partial ranking": ({"q_rank-gamma": ""}, "Give every item a rank."),
    "integer abc": ({"q_years": "abc"}, "Enter a whole number, for example 12."),
    "integer too large": ({"q_years": "71"}, "Enter a number no larger than 70."),
    "100 KB short text": (
        {"q_name": "x" * 100_000},
        "Keep the answer to 50 characters or fewer (it has 100000).",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_refused_beside_its_field_and_answers_are_kept(client, session, case):
    factories.small(session)
    change, message = BAD_INPUTS[case]
    data = factories.valid_small_answers() | change
    response = post(client, "/s/small", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'class="error" id="q_' in page  # the message sits beside its field
    kept = data["q_name"]  # what the respondent typed is kept, even when refused
    assert f'value="{kept}"' in page
    assert "More coordination." in page
    assert count(session) == 0


def test_forged_question_id_is_refused(client, session):
    factories.small(session)
    data = factories.valid_small_answers() | {"q_not_a_question": "x"}
    response = post(client, "/s/small", data)
    assert response.status_code == 400
    assert "questions this survey does not have" in response.get_data(as_text=True)
    assert count(session) == 0


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_missing_or_wrong_csrf_token_keeps_answers_and_stores_nothing(client, session, token):
    factories.small(session)
    tokens = form_tokens(client, "/s/small")
    data = {"nonce": tokens["nonce"], **factories.valid_small_answers()}
    if token:
        data["csrf_token"] = token
    response = client.post("/s/small", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in page
    assert 'value="Ayesha"' in page
    assert count(session) == 0


@pytest.mark.parametrize("state", [SurveyState.closed, SurveyState.draft])
def test_post_to_a_survey_not_open_is_refused(client, session, state):
    factories.small(session, state=SurveyState.open)
    tokens = form_tokens(client, "/s/small")
    survey = factories.small(session, slug="other", state=state)
    response = client.post(f"/s/{survey.slug}", data={**tokens, **factories.valid_small_answers()})
    assert response.status_code == 410
    assert client.get(f"/s/{survey.slug}").status_code == 410
    assert count(session) == 0


def test_unknown_survey_is_404_for_get_and_post(client, session):
    factories.small(session)
    tokens = form_tokens(client, "/s/small")
    assert client.get("/s/no-such-survey").status_code == 404
    response = client.post("/s/no-such-survey", data={**tokens, **factories.valid_small_answers()})
    assert response.status_code == 404
    assert count(session) == 0


def test_oversized_request_is_refused_with_413(client, session):
    factories.small(session)
    data = factories.valid_small_answers() | {"q_comment": "x" * 2_000_000}
    response = post(client, "/s/small", data)
    assert response.status_code == 413
    assert count(session) == 0


def test_html_in_labels_and_answers_is_escaped(client, session):
    factories.small(session, title={"en": "<script>alert(1)</script>"})
    page = client.get("/s/small").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nul_bytes_anywhere_never_cause_a_server_error(client, session):
    factories.small(session)
    assert client.get("/s/small%00").status_code == 404
    assert client.get("/s/small?group=a%00b").status_code == 404
    data = factories.valid_small_answers() | {"q_colour": "gr\x00een", "q_name": "Ay\x00esha"}
    response = post(client, "/s/small", data)
    assert response.status_code == 400  # the choice is not a choice; the name alone would pass
    assert 'value="Ayesha"' in response.get_data(as_text=True)
    assert count(session) == 0


def test_cached_form_speaks_each_requests_language(client, session):
    """Form classes are cached per survey; their messages must still follow the request."""
    factories.small(session)
    data = factories.valid_small_answers() | {"q_agree": ""}
    pages = [
        post(client, f"/s/small?lang={lang}", data).get_data(as_text=True)
        for lang in ("en", "ur", "en")
    ]
    assert "Please answer this question." in pages[0] and "Please answer this question." in pages[2]
    assert "براہِ کرم اس سوال کا جواب دیں۔" in pages[1]
    assert count(session) == 0


# A respondent's POST uses this process's cached survey unchecked; the insert carries the check
# (services/surveys.py). These edit the survey between the form's GET and its POST.


def _edit_between_get_and_post(client, session, edit):
    survey = factories.small(session)
    tokens = form_tokens(client, "/s/small")  # the survey is now cached
    post(client, "/s/small", factories.valid_small_answers())  # and trusted by POSTs
    edit(survey)
    session.flush()
    return tokens


def test_a_post_after_the_survey_closed_stores_nothing(client, session):
    tokens = _edit_between_get_and_post(
        client, session, lambda survey: setattr(survey, "state", SurveyState.closed)
    )
    response = client.post("/s/small", data={**tokens, **factories.valid_small_answers()})
    assert response.status_code == 410
    assert count(session) == 1  # only the one stored before the survey closed


def test_a_post_after_an_edit_is_stored_once_against_the_current_survey(client, session):
    tokens = _edit_between_get_and_post(
        client, session, lambda survey: setattr(survey, "title", {"en": "Renamed"})
    )
    response = client.post("/s/small", data={**tokens, **factories.valid_small_answers()})
    assert response.status_code == 302
    assert count(session) == 2


def test_an_error_page_after_an_edit_shows_the_current_questions(client, session):
    def relabel(survey):
        question = next(q for q in survey.questions if q.code == "years")
        question.label = {"en": "Years of experience, as edited"}

    tokens = _edit_between_get_and_post(client, session, relabel)
    data = {**tokens, **factories.valid_small_answers(), "q_years": "not a number"}
    page = client.post("/s/small", data=data)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Years of experience, as edited" in text and 'value="not a number"' in text
    assert count(session) == 1


def test_a_survey_edited_during_every_retry_gets_a_503_and_nothing_stored(
    client, session, monkeypatch
):
    from consult.collection import answering
    from consult.collection.cache import StaleSurvey

    factories.small(session)
    tokens = form_tokens(client, "/s/small")
    calls = []

    def always_stale(*args, **kwargs):
        calls.append(1)
        raise StaleSurvey("small")

    monkeypatch.setattr(answering, "submit", always_stale)
    response = client.post("/s/small", data={**tokens, **factories.valid_small_answers()})
    assert response.status_code == 503
    assert len(calls) == 3  # the first try and two retries with the current survey
    assert count(session) == 0
