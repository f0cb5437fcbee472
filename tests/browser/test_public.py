"""The public page and the results page's waves and delivery parts in a phone's and a
desktop's browser, English and Urdu, JavaScript off: no horizontal scrolling, every figure
cell names its column, axe finds nothing serious."""

from __future__ import annotations

import pytest

from consult import db
from consult.authoring.definitions import builtin_definition, create_survey
from consult.surveys.models import PUBLIC_PAGE, SurveyState
from consult.tracking import services
from tests import known_answers
from tests.browser.conftest import ARTIFACTS, axe_violations
from tests.browser.test_builder import sign_in
from tests.browser.test_results import OVERFLOW

pytestmark = pytest.mark.browser

FIRST, SECOND = "nisp-public-2026", "nisp-public-2027"

# Each figure cell of the waves, delivery and who-answered tables: its label and its heading.
CELLS = """() => {
  const rows = [];
  for (const table of document.querySelectorAll('table.waves, table.delivery, table.answered')) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    for (const tr of table.querySelectorAll('tbody tr')) {
      [...tr.querySelectorAll('td')].forEach((td, i) => {
        const label = td.querySelector('.cell-label');
        rows.push({head: heads[i + 1], label: label ? label.textContent.trim() : null});
      });
    }
  }
  return rows;
}"""


@pytest.fixture(scope="module")
def public(live_server):
    """Two public waves of the NISP consultation, the same thirty answers in each."""
    app = live_server["app"]
    with app.app_context():
        session = db.session()
        surveys = []
        for slug in (FIRST, SECOND):
            data = {**builtin_definition(), "slug": slug}
            survey = create_survey(session, data, SurveyState.open)
            known_answers.load(session, survey)
            survey.settings = {**survey.settings, PUBLIC_PAGE: True}
            surveys.append(survey)
        surveys[1].previous_wave_id = surveys[0].id
        rec = surveys[1].recommendations[0]
        services.save_delivery(
            session, None, surveys[1], rec, owner="NACTA", status="in_progress", progress="40"
        )
        session.commit()
    return live_server["url"]


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)], ids=["360", "1280"])
@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("where", ["public", "results"])
def test_fits_the_screen_and_passes_axe_without_javascript(
    live_server, public, page_factory, axe_source, where, lang, width, height
):
    page = page_factory(width, height, javascript=False)
    if where == "results":
        sign_in(page, live_server["url"])
        page.goto(f"{public}/admin/surveys/{SECOND}/results?lang={lang}")
    else:
        page.goto(f"{public}/p/{SECOND}?lang={lang}")
    page.screenshot(path=str(ARTIFACTS / f"{where}-waves-{lang}-{width}.png"), full_page=True)
    assert page.locator("#waves table.waves").count() == 1
    assert page.locator("#delivery table.delivery").count() == 1
    if lang == "ur":
        assert page.locator("html").get_attribute("dir") == "rtl"
    fit = page.evaluate(OVERFLOW)
    assert fit["scroll"] <= fit["width"], fit
    assert fit["out"] == [], fit
    cells = page.evaluate(CELLS)
    labelled = [c for c in cells if c["label"] is not None]
    assert labelled and all(c["label"] == c["head"] for c in labelled), labelled[:3]
    if width == 360:  # axe runs as a script: a second page with scripts on
        checked = page_factory(width, height)
        if where == "results":
            sign_in(checked, live_server["url"])
        checked.goto(page.url)
        assert axe_violations(checked, axe_source) == []
