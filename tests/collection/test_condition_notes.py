"""Without JavaScript, a question whose rule reads an answer on the same page is shown before it
is known whether it applies: it says when it applies, and carries no required mark until then."""

from __future__ import annotations

import re

from consult.authoring.definitions import create_survey
from consult.surveys.models import SurveyState
from tests.conftest import form_tokens

YES_NO = [{"code": "yes", "label": {"en": "Yes", "ur": "جی ہاں"}},
          {"code": "no", "label": {"en": "No", "ur": "جی نہیں"}}]  # fmt: skip


def _survey(session):
    return create_survey(
        session,
        {
            "slug": "notes",
            "languages": ["en", "ur"],
            "title": {"en": "Notes", "ur": "نوٹس"},
            "sections": [
                {"code": "one", "title": {"en": "One"}, "questions": [
                    {"code": "works", "type": "single_choice", "required": True,
                     "label": {"en": "Do you work?", "ur": "کیا آپ کام کرتے ہیں؟"},
                     "choices": YES_NO},
                    {"code": "why", "type": "long_text", "required": True,
                     "relevant": "${works} = 'no'",
                     "label": {"en": "Why not?", "ur": "کیوں نہیں؟"}},
                ]},
                {"code": "two", "title": {"en": "Two"}, "questions": [
                    {"code": "more", "type": "short_text", "required": True,
                     "relevant": "${works} = 'yes'", "label": {"en": "Where?"}},
                ]},
            ],
        },
        SurveyState.open,
    )  # fmt: skip


def _block(page, code):
    """The HTML of one question's box (a div or fieldset of class q)."""
    at = min(i for i in (page.find(f'for="q_{code}"'), page.find(f'id="q_{code}"')) if i >= 0)
    start = page.rfind('class="q', 0, at)
    end = page.find('class="q', at)
    return page[start : end if end >= 0 else page.index("</form>")]


def test_a_conditional_question_says_when_it_applies_and_is_not_yet_required(client, session):
    _survey(session)
    page = client.get("/s/notes").get_data(as_text=True)
    why = _block(page, "why")
    assert "Only if you answered \u201cNo\u201d to \u201cDo you work?\u201d." in why
    assert "Then an answer is required." in why
    assert re.search(r"<span data-applies hidden><span class=\"req\"", why)
    assert 'aria-describedby="q_why-condition"' in why
    works = _block(page, "works")
    assert '<span class="req" aria-hidden="true">*</span>' in works  # it applies: marked
    assert "data-applies" not in works and "Only if" not in works
    # In Urdu, in Urdu.
    urdu = client.get("/s/notes?lang=ur").get_data(as_text=True)
    assert (
        "\u201cجی نہیں\u201d" in _block(urdu, "why") and "\u201cکیا آپ کام کرتے ہیں؟\u201d" in urdu
    )


def test_once_it_applies_it_is_marked_and_required(client, session):
    _survey(session)
    data = {**form_tokens(client, "/s/notes"), "q_works": "no", "q_why": "", "page": "next",
            "page_at": "0"}  # fmt: skip
    response = client.post("/s/notes", data=data)
    why = _block(response.get_data(as_text=True), "why")
    assert response.status_code == 400
    assert "data-applies" not in why and '<span class="req" aria-hidden="true">*</span>' in why
    assert "Please answer this question." in why
    # Where it does not apply, it is neither required nor kept.
    data = {**form_tokens(client, "/s/notes"), "q_works": "yes", "q_why": "", "page": "next",
            "page_at": "0"}  # fmt: skip
    response = client.post("/s/notes", data=data)
    assert response.status_code == 200 and 'name="q_more"' in response.get_data(as_text=True)


def test_questions_on_later_pages_need_no_note(client, session):
    _survey(session)
    data = {**form_tokens(client, "/s/notes"), "q_works": "yes", "page": "next", "page_at": "0"}
    page = client.post("/s/notes", data=data).get_data(as_text=True)
    more = _block(page, "more")
    assert "Only if" not in more and '<span class="req" aria-hidden="true">*</span>' in more
