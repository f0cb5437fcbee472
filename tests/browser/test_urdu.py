"""The Urdu pages in a real browser: right to left by layout, set in Nastaliq, every interface
string in Urdu, answers that cannot reorder the page, and the language choice remembered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CLOSED, PARTLY_TRANSLATED
from tests.browser.test_accessibility import open_page

pytestmark = pytest.mark.browser

# Text nodes and attributes with Latin letters that are not inside an element marked as
# another language: an interface string someone forgot to translate.
UNTRANSLATED = """() => {
  const latin = /[A-Za-z]/;
  const foreign = el => { const l = el && el.closest('[lang]'); return l && l.lang !== 'ur'; };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (latin.test(node.data) && !foreign(node.parentElement)
        && !node.parentElement.closest('script, style')) { found.push(node.data.trim()); }
  }
  const attrs = ['aria-label', 'title', 'placeholder', 'data-progress'];
  for (const el of document.querySelectorAll(attrs.map(a => `[${a}]`).join(', '))) {
    for (const attr of attrs) {
      const value = (el.getAttribute(attr) || '').replace(/{\\w+}/g, '');
      if (latin.test(value) && !foreign(el)) { found.push(attr + ': ' + value); }
    }
  }
  if (latin.test(document.title)) { found.push('title: ' + document.title); }
  return found;
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("kind", ["form", "errors", "thanks", "closed"])
def test_every_interface_string_on_the_urdu_pages_is_urdu(
    live_server, page_factory, kind, javascript
):
    page = page_factory(360, 740, javascript)
    open_page(page, live_server["url"], kind, "ur")
    assert page.locator("html").get_attribute("dir") == "rtl"
    if javascript:
        assert page.evaluate(UNTRANSLATED) == []
    else:  # evaluate() still works with page scripts off: it runs through DevTools
        assert page.evaluate(UNTRANSLATED) == []


def test_only_the_fallback_text_is_english_on_a_partly_translated_page(live_server, page_factory):
    page = page_factory(1280, 800)
    page.goto(f"{live_server['url']}/s/{PARTLY_TRANSLATED}?lang=ur")
    assert page.evaluate(UNTRANSLATED) == []  # the English labels all carry lang="en"
    fallback = page.locator("bdi.fallback").first
    assert fallback.get_attribute("lang") == "en"
    assert fallback.evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_the_urdu_page_is_set_in_nastaliq_from_this_site(live_server, page_factory):
    page = page_factory(360, 740)
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang=ur")
    page.evaluate("document.fonts.ready")
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Consult Nastaliq"')
    assert page.evaluate("document.fonts.check('20px \"Consult Nastaliq\"', 'قومی داخلی سلامتی')")
    # The served file itself is a font the browser accepts (a phone without Nastaliq gets it).
    font_url = page.evaluate(
        """() => {
          const rule = [...document.styleSheets].flatMap(s => [...s.cssRules])
            .find(r => r instanceof CSSFontFaceRule);
          const src = rule.style.getPropertyValue('src').match(/url\\("([^"]+)"\\)/)[1];
          return new URL(src, rule.parentStyleSheet.href).href;
        }"""
    )
    assert font_url.startswith(f"{live_server['url']}/static/fonts/")
    status = page.evaluate(
        "url => new FontFace('probe', `url(${url})`).load().then(f => f.status)", font_url
    )
    assert status == "loaded"
    # Nastaliq needs a tall line: nothing of a label is cut off.
    height = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('legend')).lineHeight)"
    )
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('legend')).fontSize)")
    assert height >= 2 * size


def box(page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_scale_progress_and_section_links_mirror_in_urdu(live_server, page_factory, lang):
    page = page_factory(1280, 800)
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}")
    rtl = lang == "ur"
    # The scale's first point ("strongly disagree") sits where the reading starts.
    first, last = (
        box(page, "#q_coordination_agree .choice"),
        page.locator("#q_coordination_agree .choice").last.bounding_box(),
    )
    assert (first["x"] > last["x"]) is rtl
    # Progress (JavaScript) fills from the start edge.
    page.check('input[name="q_coordination_agree"][value="2"]')
    text = page.locator(".progress span").inner_text()
    assert text == ("جواب دیے گئے: 26 میں سے 1" if rtl else "Answered: 1 of 26")
    track, fill = box(page, ".progress-track"), box(page, ".progress-fill")
    assert 0 < fill["width"] < track["width"] / 2
    if rtl:
        assert abs((fill["x"] + fill["width"]) - (track["x"] + track["width"])) <= 2
    else:
        assert abs(fill["x"] - track["x"]) <= 2
    # "Next section" sits at the end edge, "previous" at the start: left and right swap.
    pager = page.locator("#sec-monitoring ~ .pager, .section:nth-of-type(3) .pager").first
    back, forward = pager.locator("a.back").bounding_box(), pager.locator("a.next").bounding_box()
    assert (forward["x"] < back["x"]) is rtl
    page.screenshot(path=str(ARTIFACTS / f"mirror-{lang}-1280.png"))


HOSTILE = "\u202e\u2066\u2067\u2068\u2069 abc \u202e"
ISOLATED = """() => {
  const hits = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.data.includes('\\u202e')) { hits.push(node.parentElement); }
  }
  for (const el of document.querySelectorAll('input, textarea')) {
    if (el.value.includes('\\u202e')) { hits.push(el); }
  }
  const isolating = 'bdi, [dir=auto], input, textarea';
  return hits.map(el => ({tag: el.tagName, isolated: !!el.closest(isolating)}));
}"""


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_bidi_controls_in_an_answer_cannot_reorder_the_page(live_server, page_factory, lang):
    page = page_factory(1280, 800, javascript=False)
    page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}")
    page.fill('textarea[name="q_coordination_comment"]', HOSTILE)
    page.click("button.primary")  # required answers missing: the answer comes back
    page.wait_for_selector("#error-summary")
    hits = page.evaluate(ISOLATED)
    assert hits and all(hit == {"tag": "TEXTAREA", "isolated": True} for hit in hits)
    # The page around it keeps its direction and order: the next question still reads from the
    # page's start edge.
    label = page.locator('label[for="q_monitoring_comment"]')
    direction = label.evaluate("el => getComputedStyle(el).direction")
    assert direction == ("rtl" if lang == "ur" else "ltr")
    page.screenshot(path=str(ARTIFACTS / f"bidi-{lang}-1280.png"))


def test_the_language_choice_is_remembered_and_the_browser_language_used(live_server, page_factory):
    base = live_server["url"]
    page = page_factory(360, 740, locale="ur-PK")  # Accept-Language: ur-PK
    page.goto(f"{base}/s/nisp-consultation")
    assert page.locator("html").get_attribute("lang") == "ur"
    page.click('.langs [lang="en"]')  # the switcher, on every respondent page
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{base}/s/nisp-consultation/thanks")  # the cookie now beats the browser
    assert page.locator("h1").inner_text() == "Thank you"
    page.goto(f"{base}/s/{CLOSED}?lang=zz")  # unknown: ignored, no error
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_local_draft_survives_a_reload_and_a_language_switch(live_server, page_factory):
    base = live_server["url"]
    page = page_factory(360, 740)
    page.goto(f"{base}/s/{PARTLY_TRANSLATED}?lang=en")
    page.check('input[name="q_colour"][value="blue"]')
    page.fill('textarea[name="q_comment"]', "Kept in this tab")
    page.reload()
    assert page.is_checked('input[name="q_colour"][value="blue"]')
    page.click('.langs [lang="ur"]')  # a button: posts the answers along
    # The draft is restored by the deferred script once the new page has loaded: wait for it.
    expect(page.locator('textarea[name="q_comment"]')).to_have_value("Kept in this tab")
    page.check('input[name="q_group"][value="media"]')
    page.check('input[name="q_agree"][value="3"]')
    for code, rank in (("alpha", "1"), ("beta", "2"), ("gamma", "3")):
        page.select_option(f'select[name="q_rank-{code}"]', rank)
    page.click("button.primary")
    page.wait_for_url("**/thanks**")
    # Stored: the draft is gone, so the next person on this phone starts empty.
    page.goto(f"{base}/s/{PARTLY_TRANSLATED}?lang=en")
    assert page.input_value('textarea[name="q_comment"]') == ""
    assert not page.is_checked('input[name="q_colour"][value="blue"]')
