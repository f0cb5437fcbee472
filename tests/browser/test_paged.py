"""A paged survey as a respondent meets it, with JavaScript on and off: "page 2 of 5" and a bar
of the pages done; the notes said once, on the first page; Back before Next in reading order
(mirrored in Urdu); Enter in a text box goes on, never back; switching language keeps every
answer, on this page and the others, and the page itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult import db
from consult.collection.models import Answer, Response
from consult.surveys.models import Survey
from tests.browser.conftest import PAGED

pytestmark = pytest.mark.browser

RECOMMENDATIONS = ["coordination", "monitoring", "resources", "stakeholders", "kpis",
                   "local_context"]  # fmt: skip
ORDER = """() => Array.from(document.querySelectorAll('.actions button'))
  .map(b => ({value: b.value || 'submit', x: b.getBoundingClientRect().x}))"""


def stored_with(app, code: str, value: str) -> dict[str, str] | None:
    """The stored answers of the paged survey's response whose ``code`` is ``value``."""
    with app.app_context():
        session = db.session()
        survey = session.scalar(select(Survey).where(Survey.slug == PAGED))
        codes = {q.id: q.code for q in survey.questions}
        for response in session.scalars(select(Response).where(Response.survey_id == survey.id)):
            rows = session.execute(
                select(Answer.question_id, Answer.value).where(Answer.response_id == response.id)
            )
            answers = {codes[qid]: v for qid, v in rows}
            if answers.get(code) == value:
                return answers
    return None


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_pages_say_where_they_are_and_keep_answers_across_languages(
    live_server, page_factory, javascript
):
    base = live_server["url"]
    district = f"Quetta {'js' if javascript else 'nojs'}"
    page = page_factory(360, 740, javascript)
    page.goto(f"{base}/s/{PAGED}?lang=en")
    assert page.locator("#page-of").inner_text() == "Page 1 of 5"
    assert page.locator("progress").get_attribute("value") == "0"
    assert page.locator(".privacy").count() == 1  # said here, once
    assert page.locator(".resume-link a").get_attribute("href").startswith("/resume")
    assert page.locator('.actions button[value="back"]').count() == 0
    page.check('input[name="q_group"][value="academia"]')
    page.check('input[name="q_province"][value="balochistan"]')
    page.fill('input[name="q_district"]', district)
    page.press('input[name="q_district"]', "Enter")  # goes on, never back
    page.wait_for_selector('input[name="q_coordination_agree"]')

    assert page.locator("#page-of").inner_text() == "Page 2 of 5"
    assert page.locator("progress").get_attribute("value") == "1"
    assert page.locator(".privacy, .lead, .resume-link").count() == 0  # not again
    buttons = page.evaluate(ORDER)
    assert [b["value"] for b in buttons] == ["back", "next", "1"]  # "1": save for later
    assert buttons[0]["x"] < buttons[1]["x"]  # Back at the start edge: the left in English
    page.check('input[name="q_coordination_agree"][value="5"]')
    page.fill('textarea[name="q_coordination_comment"]', "Typed before the switch")

    page.click('.langs [lang="ur"]')  # posts this page's answers (and the others') along
    page.wait_for_selector('html[lang="ur"]')
    assert page.locator("#page-of").inner_text() == "صفحہ 2 از 5"  # the same page, in Urdu
    assert page.is_checked('input[name="q_coordination_agree"][value="5"]')
    assert page.input_value('textarea[name="q_coordination_comment"]') == "Typed before the switch"
    assert page.locator(".error-summary, .error").count() == 0  # nothing was judged
    buttons = page.evaluate(ORDER)
    assert [b["value"] for b in buttons] == ["back", "next", "1"]
    assert buttons[0]["x"] > buttons[1]["x"]  # mirrored: Back on the right in Urdu

    page.click('.actions button[value="back"]')
    page.wait_for_selector('input[name="q_district"]')
    assert page.input_value('input[name="q_district"]') == district  # carried, in Urdu now
    assert page.is_checked('input[name="q_province"][value="balochistan"]')
    page.click('.actions button[value="next"]')
    page.wait_for_selector('input[name="q_coordination_agree"]')
    assert page.input_value('textarea[name="q_coordination_comment"]') == "Typed before the switch"
    page.check('input[name="q_coordination_feasible"][value="2"]')
    for rec in RECOMMENDATIONS[1:3]:
        page.click('.actions button[value="next"]')
        page.check(f'input[name="q_{rec}_agree"][value="3"]')
        page.check(f'input[name="q_{rec}_feasible"][value="3"]')
    page.click('.actions button[value="next"]')
    assert page.locator("#page-of").inner_text() == "صفحہ 5 از 5"
    for rank, rec in enumerate(RECOMMENDATIONS, start=1):
        page.select_option(f'select[name="q_priority_ranking-{rec}"]', str(rank))
    page.click(".actions button.primary")
    page.wait_for_url("**/thanks**")

    answers = stored_with(live_server["app"], "district", district)
    assert answers is not None
    assert answers["coordination_comment"] == "Typed before the switch"
    assert answers["coordination_agree"] == "5" and answers["province"] == "balochistan"
    assert answers["priority_ranking"] == " ".join(RECOMMENDATIONS)
