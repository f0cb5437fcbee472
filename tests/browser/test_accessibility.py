"""axe-core can fail (a planted violation is caught); the keyboard alone answers a survey with
focus always visible; thumbs find 44 px targets. axe on every respondent page: test_screens.py."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CLOSED, PARTLY_TRANSLATED, axe_violations

pytestmark = pytest.mark.browser


def open_page(page, base: str, kind: str, lang: str) -> None:
    """Bring ``page`` to one respondent page of the NISP consultation."""
    if kind in ("form", "errors"):
        page.goto(f"{base}/s/nisp-consultation?lang={lang}")
        if kind == "errors":  # nothing answered: the form comes back with every error
            page.click("button.primary")
            page.wait_for_selector("#error-summary")
    elif kind == "thanks":
        page.goto(f"{base}/s/nisp-consultation/thanks?lang={lang}")
    elif kind == "closed":
        page.goto(f"{base}/s/{CLOSED}?lang={lang}")
    elif kind == "fallback":  # a survey whose Urdu lacks labels: English text in an Urdu page
        page.goto(f"{base}/s/{PARTLY_TRANSLATED}?lang={lang}")
    else:  # the front page, listing the open consultations
        page.goto(f"{base}/?lang={lang}")


# axe on every respondent page, at 360 and 1280 px, in both languages, with JavaScript on and
# off: tests/browser/test_screens.py.


def test_axe_reports_a_planted_violation(live_server, page_factory, axe_source):
    """The check above can fail: a label that no longer names its field is caught."""
    page = page_factory(1280, 800)
    open_page(page, live_server["url"], "form", "ur")
    page.evaluate("document.querySelector('textarea').id = 'renamed'")
    rules = {v["rule"] for v in axe_violations(page, axe_source)}
    assert "label" in rules


FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          value: el.value || '', checked: !!el.checked, id: el.id,
          visible: outline || style.boxShadow !== 'none'};
}"""


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_keyboard_alone_answers_and_submits_with_focus_always_visible(
    live_server, page_factory, lang
):
    page = page_factory(360, 740)
    page.goto(f"{live_server['url']}/s/{PARTLY_TRANSLATED}?lang={lang}")
    ranks = {"alpha": "2", "beta": "1", "gamma": "3"}
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_VISIBLE)
        seen.append(focused["name"] or focused["id"] or focused["tag"])
        assert focused["visible"], f"focus not visible on {focused}"
        if focused["type"] == "radio" and not focused["checked"]:
            page.keyboard.press("Space")  # the first choice of each group
        elif focused["tag"] == "select":
            page.keyboard.type(ranks[focused["name"].split("-")[-1]])
        elif focused["tag"] == "button" and focused["type"] == "submit":
            page.keyboard.press("Enter")
            break
    page.wait_for_url("**/thanks**")
    assert page.locator("h1").inner_text() == ("شکریہ" if lang == "ur" else "Thank you")
    assert seen[0] == "a"  # the skip link comes first


INTERACTIVE = """() => Array.from(document.querySelectorAll(
    'a[href], button, select, textarea, input:not([type=hidden]), label.choice'))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => !el.closest('.error-summary, .skip'))
  .map(el => {
    const target = (el.type === 'radio' || el.type === 'checkbox') ? el.closest('label') : el;
    const box = target.getBoundingClientRect();
    return {what: el.outerHTML.slice(0, 80), height: box.height, width: box.width};
  })"""


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_touch_targets_are_44px_and_nothing_scrolls_sideways_at_360(
    live_server, page_factory, lang
):
    page = page_factory(360, 740)
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}")
    targets = page.evaluate(INTERACTIVE)
    assert len(targets) > 100
    small = [t for t in targets if t["height"] < 44 or t["width"] < 44]
    assert small == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
