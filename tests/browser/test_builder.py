"""An admin builds a survey in the browser (one question of every type, a relevance rule and a
constraint), previews and opens it; a respondent answers it. The rule and the constraint hold
with JavaScript on and off."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ADMIN, axe_violations
from tests.browser.test_rules import stored

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(f"{base}/auth/login")
    page.fill('input[name="email"]', ADMIN[0])
    page.fill('input[name="password"]', ADMIN[1])
    page.click('button:has-text("Sign in")')
    page.wait_for_url("**/admin/**")


class Builder:
    def __init__(self, page, base, slug):
        self.page, self.base, self.slug = page, base, slug

    @property
    def build(self):
        return f"{self.base}/admin/surveys/{self.slug}/build"

    def question(self, section, type_name, code, label, choices=(), **fields):
        page = self.page
        page.goto(f"{self.build}#page-{section}")
        form = page.locator(f"#page-{section} form.add")
        form.locator('select[name="type"]').select_option(type_name)
        form.locator('input[name="code"]').fill(code)
        form.locator('input[name="label"]').fill(label)
        form.locator('button:has-text("Add question")').click()
        page.wait_for_url(f"**/questions/{code}")
        for choice_code, text in choices:
            page.fill("#new-choice-code", choice_code)
            page.fill("#new-choice-en", text)
            page.locator('form[action$="/choices"] button[type="submit"]').click()
            page.wait_for_url(f"**/questions/{code}#choices")
        for name, value in fields.items():
            if value is True:
                page.check(f'input[name="{name}"][value="1"]')
            elif name == "appearance":
                page.check(f'input[name="appearance"][value="{value}"]')
            else:
                page.fill(f"#f-{name}", value)
        page.click('button:has-text("Save question")')
        page.wait_for_url(f"**/build#q-{code}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_admin_builds_previews_and_opens_and_a_respondent_answers(
    live_server, page_factory, javascript
):
    base = live_server["url"]
    slug = f"built-{'js' if javascript else 'nojs'}"
    admin = page_factory(width=1280, height=900, javascript=javascript)
    sign_in(admin, base)

    admin.goto(f"{base}/admin/surveys/new")
    admin.fill("#f-slug", slug)
    admin.fill("#f-title-en", "Built in the browser")
    admin.click('button:has-text("Create the survey")')
    admin.wait_for_url(f"**/admin/surveys/{slug}/build")
    build = Builder(admin, base, slug)

    yes_no = [("yes", "Yes"), ("no", "No")]
    build.question("page_1", "single_choice", "works", "Do you work?", yes_no, required=True)
    build.question(
        "page_1",
        "multiple_choice",
        "tools",
        "Tools",
        [("pen", "Pen"), ("phone", "Phone")],
        other=True,
        max_selections="2",
    )
    build.question(
        "page_1",
        "single_choice",
        "colour",
        "Colour",
        [("red", "Red"), ("blue", "Blue")],
        appearance="minimal",
    )
    build.question("page_1", "scale", "agree", "Agree?")
    build.question("page_1", "ranking", "rank", "Rank", [("a", "A"), ("b", "B")])
    build.question(
        "page_1",
        "integer",
        "age",
        "Age",
        constraint=". >= 18",
        **{"constraint_message-en": "Adults only."},
    )

    admin.goto(build.build)
    admin.fill("#new-section-code", "job")
    admin.click('button:has-text("Add page")')
    admin.fill("#f-title-en", "Job")
    admin.click('button:has-text("Save")')
    admin.wait_for_url(f"**/{slug}/build")
    build.question(
        "job", "decimal", "salary", "Salary", relevant="${works} = 'yes'", required=True, min="0"
    )
    build.question("job", "date", "started", "Started", min="1950-01-01")
    build.question("job", "short_text", "name", "Name", max_length="40")
    build.question("job", "long_text", "comment", "Comment")
    build.question("job", "note", "info", "Thank you for your time.")
    build.question("job", "consent", "terms", "I agree to take part")

    admin.goto(f"{base}/admin/surveys/{slug}/preview")
    assert admin.locator(".preview-banner").is_visible()
    assert admin.locator('select[name="q_colour"]').is_visible()

    admin.goto(build.build)
    admin.click('button:has-text("Open the survey")')
    admin.wait_for_url(f"**/{slug}/build")
    assert admin.locator("strong.state").inner_text() == "open"

    page = page_factory(javascript=javascript)
    page.goto(f"{base}/s/{slug}")
    page.check('input[name="q_works"][value="no"]')
    page.check('input[name="q_tools"][value="pen"]')
    page.select_option('select[name="q_colour"]', "red")
    page.check('input[name="q_agree"][value="4"]')
    page.select_option('select[name="q_rank-a"]', "1")
    page.select_option('select[name="q_rank-b"]', "2")
    page.fill('input[name="q_age"]', "15")
    page.click('button[name="page"][value="next"]')
    assert page.locator("text=Adults only.").count() >= 1  # the constraint holds
    page.fill('input[name="q_age"]', "30")
    page.click('button[name="page"][value="next"]')

    assert page.locator('input[name="q_salary"]').count() == 0  # not working: not asked
    page.check('input[name="q_terms"]')
    page.click('button[name="page"][value="back"]')
    page.check('input[name="q_works"][value="yes"]')
    page.click('button[name="page"][value="next"]')
    assert page.locator('input[name="q_salary"]').is_visible()  # working: asked, and required
    page.click('button.primary:has-text("Submit")')
    assert page.locator(".error-summary").is_visible()
    page.fill('input[name="q_salary"]', "1200.5")
    if not page.locator('input[name="q_terms"]').is_checked():
        page.check('input[name="q_terms"]')
    page.click('button.primary:has-text("Submit")')
    page.wait_for_url(f"**/s/{slug}/thanks**")

    [answers] = stored(live_server["app"], slug)
    assert answers["works"] == "yes" and answers["salary"] == "1200.5"
    assert answers["age"] == "30" and answers["colour"] == "red" and answers["agree"] == "4"
    assert answers["rank"] == "a b" and answers["terms"] == "yes"


def test_builder_pages_have_no_serious_accessibility_violations(
    live_server, page_factory, axe_source
):
    base = live_server["url"]
    page = page_factory(width=1100, height=1400)
    sign_in(page, base)
    found = {}
    for path in (
        "/admin/surveys/new",
        "/admin/surveys/partly-translated/build",
        "/admin/surveys/partly-translated/build/questions/colour",
        "/admin/surveys/partly-translated/build/questions/agree",
        "/admin/surveys/partly-translated/build/sections/main",
    ):
        page.goto(base + path)
        found[path] = axe_violations(page, axe_source)
    assert not any(found.values()), found
