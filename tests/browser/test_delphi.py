"""A Delphi panellist answers round 2 in Urdu on a 360-px phone with JavaScript off: the
previous round's chart and their own round-1 answer are there, and moving from agree to
disagree asks for a reason, which the server insists on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from consult import db
from consult.authoring.definitions import builtin_definition, create_survey
from consult.delphi import keys, panel, rounds
from consult.surveys.models import SurveyState
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_urdu import UNTRANSLATED

pytestmark = pytest.mark.browser

SLUG = "nisp-delphi-browser"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _round_two_link(app) -> tuple[str, str]:
    """A study whose six media panellists all agreed in round 1; round 2's link of one."""
    with app.app_context():
        session = db.session()
        survey = create_survey(session, {**builtin_definition(), "slug": SLUG}, SurveyState.draft)
        study = panel.create_study(session, survey)
        people = "\n".join(f"Rukhsana{n} Bibi,r{n}@example.org,media" for n in range(6))
        panel.add_panellists(session, study, panel.sheet_of(people, None, ""))
        rounds.open_round(session, study)
        master = keys.master_key(Path(app.instance_path))
        links = rounds.make_links(session, study, 1, master)
        session.commit()
        codes = [q.code for q in panel.rating_items(survey)]
        client = app.test_client()
        for link in links:
            page = client.get(f"/d/{link.token}").get_data(as_text=True)
            data = {"csrf_token": CSRF.search(page).group(1)}
            data.update({f"item-{code}": "4" for code in codes})
            assert client.post(f"/d/{link.token}", data=data).status_code == 302
        rounds.close_round(session, study, 1)
        rounds.open_round(session, study)
        second = rounds.make_links(session, study, 2, master)
        session.commit()
        return f"/d/{second[0].token}?lang=ur", codes[0]


def test_round_two_in_urdu_on_a_phone_without_javascript(live_server, page_factory):
    link, first = _round_two_link(live_server["app"])
    page = page_factory(360, 740, javascript=False)
    page.goto(live_server["url"] + link)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate(UNTRANSLATED) == []
    item = page.locator("section.delphi-item").first
    chart = item.locator(".delphi-chart svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100
    assert item.locator("rect.bar.own").count() >= 1  # the own answer is marked in the chart
    expect(item.locator(f'input[name="item-{first}"][value="4"]')).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "delphi-round-2-ur-360.png"), full_page=False)
    item.screenshot(path=str(ARTIFACTS / "delphi-round-2-ur-item.png"))

    # Agree in round 1, disagree now, no reason: the server asks for one, answers kept.
    item.locator(f'input[name="item-{first}"][value="1"]').check()
    page.locator("button[type=submit]").click()
    expect(page.locator(f"#reason-{first}-error")).to_be_visible()
    expect(page.locator(f'input[name="item-{first}"][value="1"]')).to_be_checked()
    assert page.evaluate(UNTRANSLATED) == []
    page.locator(f"#reason-{first}").fill("نئی معلومات سے رائے بدلی")
    page.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("شکریہ")
