"""A person answers the NISP consultation in a real browser, in English and Urdu, JS on and off."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from consult import db
from consult.collection.models import Response
from consult.surveys.models import Survey
from tests.browser.conftest import ADMIN, ARTIFACTS

pytestmark = pytest.mark.browser

RECOMMENDATIONS = [
    "coordination",
    "monitoring",
    "resources",
    "stakeholders",
    "kpis",
    "local_context",
]


def responses(app) -> int:
    """Responses to the NISP consultation (other tests answer other surveys)."""
    with app.app_context():
        return db.session().scalar(
            select(func.count(Response.id))
            .join(Survey, Survey.id == Response.survey_id)
            .where(Survey.slug == "nisp-consultation")
        )


def answer_everything(page, comment: str) -> None:
    page.check('input[name="q_group"][value="religious_scholars"]')
    page.check('input[name="q_province"][value="balochistan"]')
    page.check('input[name="q_information_sources"][value="radio"]')
    for code in RECOMMENDATIONS:
        page.check(f'input[name="q_{code}_agree"][value="4"]')
        page.check(f'input[name="q_{code}_feasible"][value="2"]')
    page.fill('textarea[name="q_coordination_comment"]', comment)
    for rank, code in enumerate(reversed(RECOMMENDATIONS), start=1):
        page.select_option(f'select[name="q_priority_ranking-{code}"]', str(rank))
    page.fill('input[name="q_years_experience"]', "۱۵")


CASES = [
    ("en", True, 360, 740),
    ("en", False, 1280, 800),
    ("ur", True, 1280, 800),
    ("ur", False, 360, 740),
]


@pytest.mark.parametrize(("lang", "javascript", "width", "height"), CASES)
def test_answer_the_consultation_and_see_the_thanks(
    live_server, page_factory, lang, javascript, width, height
):
    page = page_factory(width, height, javascript)
    before = responses(live_server["app"])
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
    answer_everything(
        page, "رابطہ کاری بہتر ہو" if lang == "ur" else "Share data between agencies."
    )
    name = f"respond-{lang}-{'js' if javascript else 'nojs'}-{width}"
    page.screenshot(path=str(ARTIFACTS / f"{name}-form.png"), full_page=False)
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    heading = page.locator("h1").inner_text()
    assert heading == ("شکریہ" if lang == "ur" else "Thank you")
    page.screenshot(path=str(ARTIFACTS / f"{name}-thanks.png"))
    assert responses(live_server["app"]) == before + 1


@pytest.mark.parametrize("javascript", [True, False])
def test_errors_show_beside_fields_and_keep_answers(live_server, page_factory, javascript):
    page = page_factory(360, 740, javascript)
    before = responses(live_server["app"])
    page.goto(f"{live_server['url']}/s/nisp-consultation")
    page.check('input[name="q_group"][value="media"]')
    page.fill('textarea[name="q_policy_gaps"]', "Kept after the error")
    for code in RECOMMENDATIONS[:2]:  # two items ranked 1
        page.select_option(f'select[name="q_priority_ranking-{code}"]', "1")
    page.click("button[type=submit]")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.locator("#q_province-error").inner_text().strip() == "Please answer this question."
    ranking_error = page.locator("#q_priority_ranking-error").inner_text()
    if javascript:  # choosing a rank another item holds swaps the two: no rank given twice
        assert "Give every item a rank." in ranking_error
        assert page.input_value('select[name="q_priority_ranking-monitoring"]') == "1"
        assert page.input_value('select[name="q_priority_ranking-coordination"]') == ""
    else:  # the server names the rank given twice, and to which items
        assert (
            "Rank 1 is given to more than one item: Inter-agency coordination, "
            "Monitoring and evaluation." in ranking_error
        )
        assert page.input_value('select[name="q_priority_ranking-coordination"]') == "1"
    assert page.input_value('textarea[name="q_policy_gaps"]') == "Kept after the error"
    assert page.is_checked('input[name="q_group"][value="media"]')
    # Focus is on the summary's heading, with or without JavaScript (autofocus), so it is read
    # out first; each of its links leads to the first control of the question concerned.
    assert page.evaluate("document.activeElement.id") == "error-summary-title"
    page.click('#error-summary a[href="#q_province-0"]')
    assert page.evaluate("location.hash") == "#q_province-0"
    assert page.locator("#q_province-0").get_attribute("name") == "q_province"
    assert responses(live_server["app"]) == before


def test_urdu_scale_runs_right_to_left(live_server, page_factory):
    page = page_factory(1280, 800)
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang=ur")
    options = page.locator("#q_coordination_agree .choice")
    first, last = options.first.bounding_box(), options.last.bounding_box()
    assert first["x"] > last["x"]  # "strongly disagree" sits at the right, where Urdu starts
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang=en")
    options = page.locator("#q_coordination_agree .choice")
    assert options.first.bounding_box()["x"] < options.last.bounding_box()["x"]


def test_organizer_signs_in_sees_counts_and_downloads_the_workbook(live_server, page_factory):
    page = page_factory(1280, 800)
    page.goto(f"{live_server['url']}/admin/surveys/nisp-consultation")
    page.fill('input[name="email"]', ADMIN[0])
    page.fill('input[name="password"]', ADMIN[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/surveys/nisp-consultation")
    total = responses(live_server["app"])
    assert page.locator("strong.total").inner_text() == f"{total:,}"
    page.screenshot(path=str(ARTIFACTS / "admin-survey.png"), full_page=True)
    with page.expect_download() as info:
        page.click("text=All responses (Excel) – English")
    data = info.value.path().read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Responses", "Codebook"]
    assert book["Responses"].max_row == total + 1
