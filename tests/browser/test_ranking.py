"""The ranking on a phone in Urdu: with JavaScript, six items put in order with the keyboard alone
(up/down buttons that say what they move, and say where it went); without JavaScript, one select
per item whose options name the items holding a rank, and a repeated rank refused by name."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, PAGED
from tests.browser.test_paged import RECOMMENDATIONS, stored_with

pytestmark = pytest.mark.browser

LABELS = {  # the items as the Urdu page names them
    "coordination": "اداروں کے درمیان رابطہ کاری",
    "monitoring": "نگرانی اور جائزہ",
    "resources": "مناسب اور مختص وسائل",
    "stakeholders": "متعلقہ فریقین کی شمولیت",
    "kpis": "قابلِ پیمائش کارکردگی کے کلیدی اشاریے",
    "local_context": "ثقافتی اور مقامی تناظر",
}
FOCUSED = """() => { const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), label: el.getAttribute('aria-label') || '',
          inside: !!el.closest('#q_priority_ranking'), type: el.type || '',
          text: el.textContent.trim()}; }"""


def to_last_page(page, base: str, district: str) -> None:
    page.goto(f"{base}/s/{PAGED}?lang=ur")
    page.check('input[name="q_group"][value="media"]')
    page.check('input[name="q_province"][value="sindh"]')
    page.fill('input[name="q_district"]', district)
    for rec in RECOMMENDATIONS[:3]:
        page.click('.actions button[value="next"]')
        page.check(f'input[name="q_{rec}_agree"][value="4"]')
        page.check(f'input[name="q_{rec}_feasible"][value="4"]')
    page.click('.actions button[value="next"]')
    page.wait_for_selector("#q_priority_ranking")


def tab_to(page, wanted) -> dict:
    """Tab (or Shift+Tab once past the ranking) until ``wanted(focused)``."""
    key = "Tab"
    for _ in range(80):
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
        if (
            key == "Tab"
            and focused["inside"] is False
            and page.evaluate("!!document.activeElement.closest('.actions')")
        ):
            key = "Shift+Tab"  # went past the ranking: come back
        page.keyboard.press(key)
    raise AssertionError(f"never reached: {page.evaluate(FOCUSED)}")


def test_six_items_ranked_with_the_keyboard_alone_in_urdu(live_server, page_factory):
    page = page_factory(360, 740)
    to_last_page(page, live_server["url"], "keyboard ranking")
    box = page.locator("#q_priority_ranking")
    move = box.locator(".rank-up").first.get_attribute("aria-label")
    assert move == f"اوپر کریں: {LABELS['coordination']}"  # says what it moves, in Urdu
    wanted = ["local_context", "kpis", "coordination", "stakeholders", "monitoring", "resources"]
    for position, code in enumerate(wanted, start=1):
        # The item's "move up" button, reached by Tab; pressed until the item is at its place.
        tab_to(page, lambda f, code=code: f["label"] == f"اوپر کریں: {LABELS[code]}")
        presses = 0
        while page.input_value(f'select[name="q_priority_ranking-{code}"]') != str(position):
            assert presses < 6, code
            page.keyboard.press("Enter")
            presses += 1
        if presses:  # announced to screen readers where it went
            status = box.locator('[aria-live="polite"]').inner_text()
            assert status == f"{LABELS[code]}: 6 میں سے نمبر {position}"
    shown = box.locator(".rank-items label").all_inner_texts()
    assert shown == [LABELS[code] for code in wanted]  # the list reads in rank order
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    page.screenshot(path=str(ARTIFACTS / "ranking-keyboard-ur-360.png"))
    tab_to(page, lambda f: f["tag"] == "button" and f["type"] == "submit" and "جمع" in f["text"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks**")
    answers = stored_with(live_server["app"], "district", "keyboard ranking")
    assert answers is not None and answers["priority_ranking"] == " ".join(wanted)


def test_a_repeated_rank_is_refused_by_name_without_javascript(live_server, page_factory):
    page = page_factory(360, 740, javascript=False)
    to_last_page(page, live_server["url"], "repeated rank")
    for code, rank in zip(RECOMMENDATIONS, ["1", "2", "2", "4", "5", "6"], strict=True):
        page.select_option(f'select[name="q_priority_ranking-{code}"]', rank)
    page.click(".actions button.primary")
    error = page.locator("#q_priority_ranking-error").inner_text().strip()
    both = f"{LABELS['monitoring']}، {LABELS['resources']}"
    expected = f"نمبر 2 ایک سے زیادہ آپشنز کو دیا گیا ہے: {both}۔"
    assert error == expected
    # The options say which ranks are taken, and by which item; rank 3 is the free one.
    options = page.locator('select[name="q_priority_ranking-kpis"] option').all_inner_texts()
    assert options[3] == "3" and options[1] == f"1 – {LABELS['coordination']}"
    assert page.locator(".rank-free").inner_text().strip() == "ابھی خالی نمبر: 3"
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    page.screenshot(path=str(ARTIFACTS / "ranking-repeated-ur-360.png"))
    page.select_option('select[name="q_priority_ranking-resources"]', "3")
    page.click(".actions button.primary")
    page.wait_for_url("**/thanks**")
    answers = stored_with(live_server["app"], "district", "repeated rank")
    assert answers is not None and answers["priority_ranking"] == " ".join(RECOMMENDATIONS)
