"""The next consultation, built fast: an admin builds a bilingual 8-question consultation in the
browser — a stakeholder-group question (groups with targets and a quota), a region question,
two recommendations, an agreement scale from a preset, a scale matrix of three statements, a
multiple choice and a follow-up whose condition is made with the condition editor — previews
it, opens it; three respondents of three groups answer (one without JavaScript, in Urdu); the
results page shows the recommendation × stakeholder-group matrix.

Every form submission the author makes is counted (each POST the browser sends: the sign-in,
the forms, the script's saves, a button that adds a row without JavaScript): at most 12,
against 33 before the one-page editors. The author works with JavaScript, and again without.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.test_rules import stored

pytestmark = pytest.mark.browser

MOST_SUBMISSIONS = 12


class Author:
    """The admin's browser, with or without JavaScript."""

    def __init__(self, page, base, slug, javascript):
        self.page, self.base, self.slug, self.javascript = page, base, slug, javascript
        self.build = f"{base}/admin/surveys/{slug}/build"

    def row(self, prefix, n, code=None, en="", ur="", **more):
        page = self.page
        if code is not None:
            page.fill(f'[name="{prefix}{n}-code"]', code)
        page.fill(f'[name="{prefix}{n}-label-en"]', en)
        page.fill(f'[name="{prefix}{n}-label-ur"]', ur)
        for part, value in more.items():
            field = page.locator(f'[name="{prefix}{n}-{part}"]')
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)

    def texts(self, name, en, ur):
        self.page.fill(f'[name="{name}-en"]', en)
        self.page.fill(f'[name="{name}-ur"]', ur)

    def save(self, button):
        """Save: with the script the page stays and says so; without it, back to the overview."""
        page = self.page
        page.click(f'button.primary:has-text("{button}")')
        if self.javascript:
            page.locator("[data-status]:has-text('Saved.')").wait_for()
            assert page.locator(".error-summary").count() == 0
            page.goto(self.build)
        else:
            page.wait_for_url(f"**/{self.slug}/build#*")

    def add_question(self, title):
        self.page.locator("#page-page_1 nav.add-question a", has_text=title).first.click()
        self.page.wait_for_url("**/questions?type=*")


def build_the_consultation(author):
    admin, slug = author.page, author.slug
    admin.goto(f"{author.base}/admin/surveys/new")
    admin.fill("#f-slug", slug)
    assert admin.locator('input[name="languages"][value="ur"]').is_checked()  # picked, not typed
    author.texts("title", "The next consultation", "اگلی مشاورت")
    admin.fill("#f-k_min", "1")  # three test respondents: nothing suppressed
    admin.click('button:has-text("Create the survey")')
    admin.wait_for_url(f"**/{slug}/build")

    # Two recommendations, bilingual, with their texts, in one save.
    admin.click("text=Edit the recommendations")
    author.row("c", 0, "r1", "Inter-agency coordination", "اداروں کے درمیان رابطہ کاری")
    admin.fill('[name="c0-text-en"]', "One mechanism through which agencies share information.")
    author.row("c", 1, "r2", "Cultural and local context", "ثقافتی اور مقامی تناظر")
    author.save("Save recommendations")

    # The stakeholder-group question: its choices become the groups, with targets and a quota.
    admin.click("text=Add the stakeholder-group question")
    admin.fill("#f-code", "stakeholder")
    author.texts("label", "Which group are you part of?", "آپ کس گروہ سے تعلق رکھتے ہیں؟")
    assert admin.locator('input[name="role"][value="group"]').is_checked()
    author.row("c", 0, "media", "Media", "میڈیا", target="20")
    author.row("c", 1, "academia", "Academia", "تعلیمی و تحقیقی حلقے", target="20")
    author.row("c", 2, "scholars", "Religious scholars", "علمائے کرام", target="10", quota="30")
    admin.check('input[name="required"]')
    author.save("Save question")

    admin.click("text=Add the province or region question")
    admin.fill("#f-code", "province")
    author.texts("label", "Where do you live?", "آپ کہاں رہتے ہیں؟")
    author.row("c", 0, "punjab", "Punjab", "پنجاب", target="15")
    author.row("c", 1, "sindh", "Sindh", "سندھ")
    author.row("c", 2, "kp", "Khyber Pakhtunkhwa", "خیبر پختونخوا")
    author.save("Save question")

    # An agreement scale from a preset: its points come in both languages.
    author.add_question("Scale")
    admin.fill("#f-code", "agree_r1")
    author.texts("label", "Agencies should share one mechanism.", "اداروں کا ایک نظام ہو۔")
    if author.javascript:  # the script fills the points as soon as a preset is chosen
        admin.select_option("#f-preset", "frequency-7")
        assert admin.input_value('[name="c6-label-en"]') == "Always"
        admin.select_option("#f-preset", "agreement-5")
        assert admin.locator('[name="c5-label-en"]').count() == 0
    assert admin.input_value("#f-preset") == "agreement-5"
    assert admin.input_value('[name="c4-label-ur"]') == "مکمل طور پر متفق"
    admin.select_option("#f-recommendation", "r1")
    admin.check('input[name="required"]')
    author.save("Save question")

    author.add_question("Multiple choice")
    admin.fill("#f-code", "channels")
    author.texts("label", "Where do you hear about security policy?", "آپ کہاں سے سنتے ہیں؟")
    author.row("c", 0, "tv", "Television", "ٹیلی ویژن")
    author.row("c", 1, "radio", "Radio", "ریڈیو")
    author.row("c", 2, "social", "Social media", "سوشل میڈیا")
    author.save("Save question")

    # A follow-up made with the condition editor: no expression typed.
    author.add_question("Long text")
    admin.fill("#f-code", "why_disagree")
    author.texts("label", "Why do you disagree?", "آپ کیوں متفق نہیں؟")
    admin.check('input[name="required"]')
    admin.select_option('[name="k0-question"]', "agree_r1")
    admin.select_option('[name="k0-op"]', "<=")
    if author.javascript:
        assert admin.locator('[name="k0-text"]').is_hidden()  # the scale's points are offered
    admin.select_option('[name="k0-value"]', "agree_r1:2")
    author.save("Save question")

    # A scale matrix: three statements on one scale, each tagged with its recommendation.
    admin.click("text=Add a scale matrix")
    admin.fill("#f-code", "statements")
    author.texts("title", "Your views", "آپ کی رائے")
    author.row("s", 0, "m_coord", "Agencies coordinate well today.", "ادارے رابطہ کاری کرتے ہیں۔",
               recommendation="r1")  # fmt: skip
    author.row("s", 1, "m_local", "Policy should follow local customs.", "پالیسی مقامی رواج پر ہو۔",
               recommendation="r2")  # fmt: skip
    admin.click('button:has-text("Add a statement")')  # without the script: a submission
    author.row("s", 2, "m_elders", "Elders should be consulted.", "بزرگوں سے مشورہ کیا جائے۔",
               recommendation="r2")  # fmt: skip
    admin.check('input[name="required"]')
    author.save("Save the scale matrix")


def answer(page, group, agree, disagree_reason=None, linked=True):
    """Answer the survey open in ``page``: through a group link the group is given."""
    if linked:
        assert page.locator(f'input[type=hidden][name="q_stakeholder"][value="{group}"]').count()
    else:
        page.check(f'input[name="q_stakeholder"][value="{group}"]')
    page.check('input[name="q_province"][value="punjab"]')
    page.check(f'input[name="q_agree_r1"][value="{agree}"]')
    page.check('input[name="q_channels"][value="radio"]')
    if disagree_reason:
        page.fill('textarea[name="q_why_disagree"]', disagree_reason)
    page.click('button[name="page"][value="next"]')
    for code, point in (("m_coord", agree), ("m_local", 6 - agree), ("m_elders", 4)):
        page.check(f'input[name="q_{code}"][value="{point}"]')
    page.click("button.primary[type=submit]")
    page.wait_for_url("**/thanks**")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_bilingual_consultation_is_built_in_at_most_twelve_submissions(
    live_server, page_factory, javascript
):
    base = live_server["url"]
    slug = f"next-consultation-{'js' if javascript else 'nojs'}"
    admin = page_factory(width=1280, height=900, javascript=javascript)
    posts: list[str] = []
    admin.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    admin.goto(f"{base}/auth/login")
    admin.fill('input[name="email"]', ADMIN[0])
    admin.fill('input[name="password"]', ADMIN[1])
    admin.click('button:has-text("Sign in")')
    admin.wait_for_url("**/admin/**")

    author = Author(admin, base, slug, javascript)
    build_the_consultation(author)
    admin.goto(author.build)
    assert "The results by recommendation and stakeholder group need" not in admin.content()

    admin.goto(f"{base}/admin/surveys/{slug}/preview")
    assert admin.locator(".preview-banner").is_visible()
    follow_up = admin.locator('textarea[name="q_why_disagree"]')
    if javascript:  # asked only once the answer calls for it
        assert follow_up.is_hidden()
        admin.check('input[name="q_agree_r1"][value="1"]')
        assert follow_up.is_visible()
    else:  # shown, saying when it applies
        assert "Only if your answer to" in admin.locator("#q_why_disagree-condition").inner_text()

    admin.goto(author.build)
    admin.click('button:has-text("Open the survey")')
    admin.wait_for_url(f"**/{slug}/build")
    assert admin.locator("strong.state").inner_text() == "open"

    print(f"\nform submissions by the author ({'with' if javascript else 'without'} JavaScript,"
          f" sign-in included): {len(posts)}")  # fmt: skip
    assert len(posts) <= MOST_SUBMISSIONS, posts

    # Three groups answer: two through their group links, one (no JavaScript, in Urdu) says it.
    for group, agree, why in (("media", 4, None), ("academia", 2, "Agencies compete.")):
        page = page_factory()
        page.goto(f"{base}/s/{slug}?group={group}")
        answer(page, group, agree, why)
    page = page_factory(javascript=False)
    page.goto(f"{base}/s/{slug}?lang=ur")
    note = page.locator("#q_why_disagree-condition").inner_text()
    assert "\u201cمتفق نہیں\u201d" in note  # when it applies, in Urdu
    assert page.locator('label[for="q_why_disagree"] .req').is_hidden()  # not required yet
    answer(page, "scholars", 5, linked=False)

    answers = stored(live_server["app"], slug)
    assert sorted(a["stakeholder"] for a in answers) == ["academia", "media", "scholars"]
    reasons = [a.get("why_disagree") for a in answers if a["stakeholder"] == "academia"]
    assert reasons == ["Agencies compete."]

    admin.goto(f"{base}/admin/surveys/{slug}/results")
    matrix = admin.locator("table.rmatrix").first
    head = matrix.locator("thead").inner_text()
    assert all(name in head for name in ("Media", "Academia", "Religious scholars"))
    rows = matrix.locator("tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).inner_text()
    assert "Inter-agency coordination" in first and re.search(r"\d+\s*%", first)
    assert "Cultural and local context" in rows.nth(1).inner_text()
