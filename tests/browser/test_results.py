"""The results page and the comments in a phone's and a desktop's browser, English and Urdu:
no horizontal scrolling, every matrix cell says its group, axe finds nothing serious, and a
filtered URL reloads to the same view with JavaScript off."""

from __future__ import annotations

import pytest

from consult import db
from consult.authoring.definitions import builtin_definition, create_survey
from consult.surveys.models import SurveyState
from tests import known_answers
from tests.browser.conftest import ARTIFACTS, axe_violations
from tests.browser.test_builder import sign_in

pytestmark = pytest.mark.browser

SLUG = "nisp-results"
SIZES = [(360, 740), (1280, 800)]

# Width of the page's content, and every element sticking out past the viewport's edges
# (inside a box that scrolls on its own is fine: the page itself does not move; so is the
# skip link, kept off screen until it has focus).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.scroll') && el.closest('.scroll') !== el) continue;
    if (el.matches('.skip:not(:focus)')) continue;  // off screen until focused, by design
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      const where = Math.round(box.left) + '..' + Math.round(box.right);
      out.push(el.tagName + '.' + el.className + ' ' + where);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""

# Each figure cell of the matrix: the group it belongs to as a screen reader would find it
# (its own text starts with the group's name), and the column's heading.
CELLS = """() => {
  const rows = [];
  for (const table of document.querySelectorAll('table.rmatrix')) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    for (const tr of table.querySelectorAll('tbody tr')) {
      [...tr.querySelectorAll('td')].forEach((td, i) => {
        const label = td.querySelector('.cell-label');
        rows.push({head: heads[i + 1], label: label ? label.textContent.trim() : null,
                   seen: label ? label.getBoundingClientRect().width > 1 : false});
      });
    }
  }
  return rows;
}"""


@pytest.fixture(scope="module")
def results(live_server):
    """A copy of the NISP consultation holding the thirty known answers."""
    app = live_server["app"]
    with app.app_context():
        session = db.session()
        survey = create_survey(session, {**builtin_definition(), "slug": SLUG}, SurveyState.open)
        known_answers.load(session, survey)
        session.commit()
    return f"{live_server['url']}/admin/surveys/{SLUG}"


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["360", "1280"])
@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("kind", ["results", "comments"])
def test_fits_the_screen_names_each_cell_and_passes_axe(
    live_server, results, page_factory, axe_source, kind, lang, width, height
):
    page = page_factory(width, height)
    sign_in(page, live_server["url"])
    page.goto(f"{results}/{kind}?lang={lang}")
    page.screenshot(path=str(ARTIFACTS / f"{kind}-{lang}-{width}.png"), full_page=True)
    fit = page.evaluate(OVERFLOW)
    assert fit["scroll"] <= fit["width"], fit
    assert fit["out"] == [], fit
    if kind == "results":
        cells = page.evaluate(CELLS)
        assert len(cells) == 2 * 6 * 9  # two scales, six recommendations, 8 units + spread
        assert all(c["label"] == c["head"] for c in cells), cells[:3]
        if width == 360:  # the table is a list: each cell shows its group
            assert all(c["seen"] for c in cells)
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_a_filtered_url_reloads_to_the_same_view_without_javascript(
    live_server, results, page_factory, lang
):
    page = page_factory(360, 740, javascript=False)
    sign_in(page, live_server["url"])
    page.goto(f"{results}/results?lang={lang}")
    page.select_option('select[name="group"]', "academia")
    page.select_option('select[name="answered"]', "en")
    page.click('form.filters button[type="submit"]')
    page.wait_for_load_state()
    url = page.url
    assert "group=academia" in url and "answered=en" in url
    first = page.locator("strong.total").inner_text()
    figures = page.locator("table.rmatrix span.figure").all_inner_texts()
    again = page_factory(1280, 800, javascript=False)
    sign_in(again, live_server["url"])
    again.goto(url)
    assert again.locator("strong.total").inner_text() == first == "4"  # academia, in English
    assert again.locator("table.rmatrix span.figure").all_inner_texts() == figures
    assert again.locator('select[name="group"]').input_value() == "academia"
