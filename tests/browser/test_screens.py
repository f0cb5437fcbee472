"""Every respondent screen on a cheap phone and a desktop: the survey, a paged survey, the form
sent back with errors, saved answers, the resume page, thanks, a closed survey, a used
invitation, a partly translated survey, the front page (and the organizers' monitor), in
English and Urdu, with JavaScript on and off.

Nothing is wider than the screen at 320, 360 and 1280 px (long words, URLs and codes wrap), and
axe-core finds no serious or critical violation.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ADMIN,
    ARTIFACTS,
    CLOSED,
    PAGED,
    PARTLY_TRANSLATED,
    axe_violations,
    scripts_off_copy,
)

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 1280)
KINDS = ["survey", "errors", "paged", "paged-next", "saved", "resume", "thanks", "closed",
         "used", "fallback", "front", "monitor"]  # fmt: skip

# Elements whose box reaches past the viewport's edges: what made a page scroll sideways.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getClientRects().length)
    .filter(el => { const r = el.getBoundingClientRect();
                    return r.right > width + 0.5 || r.left < -0.5; })
    .filter(el => !el.closest('.visually-hidden, .skip'))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
         + (el.className ? '.' + el.className : '')
         + ' ' + Math.round(el.getBoundingClientRect().width) + 'px');
}"""


# The focused element: the error summary's heading, whole on the screen and not covered.
FOCUSED_HEADING = """() => {
  const h = document.activeElement, r = h.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {id: h.id, top: r.top, bottom: r.bottom, shown: !!hit && h.contains(hit)};
}"""


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill('input[name="email"]', ADMIN[0])
    page.fill('input[name="password"]', ADMIN[1])
    page.click("button[type=submit]")
    page.wait_for_load_state()


def reach(page, server: dict, kind: str, lang: str) -> None:
    """Bring ``page`` to one kind of respondent screen."""
    base = server["url"]
    if kind in ("survey", "errors", "saved"):
        page.goto(f"{base}/s/nisp-consultation?lang={lang}")
        if kind == "errors":  # nothing answered: the form comes back with every error
            page.click("button.primary")
            page.wait_for_selector("#error-summary")
        elif kind == "saved":
            page.check('input[name="q_group"][value="media"]')
            page.click('button[name="save"]')
            page.wait_for_selector(".resume-code")
    elif kind in ("paged", "paged-next"):
        page.goto(f"{base}/s/{PAGED}?lang={lang}")
        if kind == "paged-next":
            page.check('input[name="q_group"][value="academia"]')
            page.check('input[name="q_province"][value="kp"]')
            page.click('button[name="page"][value="next"]')
            page.wait_for_selector('input[name="q_coordination_agree"]')
    elif kind == "resume":  # the code form, after a mistyped code
        page.goto(f"{base}/resume?lang={lang}")
        page.fill('input[name="code"]', "K7Q9-M2XP-4HDX")
        page.click("button[type=submit]")
        page.wait_for_selector("#code-error")
    elif kind == "thanks":
        page.goto(f"{base}/s/nisp-consultation/thanks?lang={lang}")
    elif kind == "closed":
        page.goto(f"{base}/s/{CLOSED}?lang={lang}")
    elif kind == "used":
        page.goto(f"{base}/i/{server['used_invitation']}?lang={lang}")
    elif kind == "fallback":  # a survey whose Urdu lacks labels: English text in an Urdu page
        page.goto(f"{base}/s/{PARTLY_TRANSLATED}?lang={lang}")
    elif kind == "front":  # the front page, listing the open consultations
        page.goto(f"{base}/?lang={lang}")
    else:
        sign_in(page, base)
        page.goto(f"{base}/admin/surveys/nisp-consultation/monitor?lang={lang}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_screen_fits_the_phone_and_passes_axe(
    live_server, page_factory, axe_source, kind, lang, javascript
):
    page = page_factory(360, 740, javascript)
    reach(page, live_server, kind, lang)
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
    if kind == "errors":  # focus on the summary's heading, which the phone shows whole
        heading = page.evaluate(FOCUSED_HEADING)
        assert heading["id"] == "error-summary-title" and heading["shown"], heading
        assert 0 <= heading["top"] and heading["bottom"] <= 740, heading
    overflowing, violations = {}, {}
    checked = page if javascript else scripts_off_copy(page, page_factory)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 740})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll != width:
            overflowing[width] = (scroll, page.evaluate(TOO_WIDE))
        checked.set_viewport_size({"width": width, "height": 740})
        found = axe_violations(checked, axe_source)
        if found:
            violations[width] = found
        if width == 320:
            name = f"screen-{kind}-{lang}-{'js' if javascript else 'nojs'}-320.png"
            page.screenshot(path=str(ARTIFACTS / name))
    assert overflowing == {}
    assert violations == {}


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_long_words_urls_and_codes_wrap_at_320(live_server, page_factory, lang):
    """A word, an address or a code longer than the phone is wide breaks instead of widening
    the page: planted into a title, a question, a choice, a ranking item and a note."""
    page = page_factory(320, 740)
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}")
    assert page.evaluate("document.documentElement.scrollWidth") == 320
    page.evaluate(
        """() => {
          const long = 'https://consult.example.org/s/' + 'x'.repeat(80) + '?group=media';
          for (const sel of ['h1', '.q legend', '.choice span', '.rank-items bdi', '.intro',
                             '.privacy']) {
            document.querySelector(sel).textContent = long;
          }
        }"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") == 320, page.evaluate(TOO_WIDE)
