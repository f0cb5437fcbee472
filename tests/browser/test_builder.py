"""An admin builds a survey in the browser (one question of every type, a relevance rule and a
constraint), previews and opens it; a respondent answers it. The rule and the constraint hold
with JavaScript on and off."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult import db
from consult.authoring.definitions import create_survey
from consult.surveys.models import Question, SurveyState
from tests.browser.conftest import ADMIN, axe_violations
from tests.browser.test_rules import stored
from tests.factories import small_definition

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(f"{base}/auth/login")
    page.fill('input[name="email"]', ADMIN[0])
    page.fill('input[name="password"]', ADMIN[1])
    page.click('button:has-text("Sign in")')
    page.wait_for_url("**/admin/**")


class Builder:
    def __init__(self, page, base, slug, javascript=True):
        self.page, self.base, self.slug, self.javascript = page, base, slug, javascript

    @property
    def build(self):
        return f"{self.base}/admin/surveys/{self.slug}/build"

    def question(self, section, type_name, code, label, choices=(), **fields):
        """One question through the one-page editor: everything typed, then one save."""
        page = self.page
        page.goto(f"{self.build}#page-{section}")
        page.locator(f'#page-{section} nav.add-question a[href$="type={type_name}"]').click()
        page.wait_for_url(f"**/questions?type={type_name}")
        page.fill("#f-code", code)
        page.fill("#f-label-en", label)
        for n, (choice_code, text) in enumerate(choices):
            if page.locator(f'[name="c{n}-code"]').count() == 0:
                page.click('button:has-text("Add a choice")')  # without JavaScript: a reload
            page.fill(f'[name="c{n}-code"]', choice_code)
            page.fill(f'[name="c{n}-label-en"]', text)
        for name, value in fields.items():
            if value is True:
                page.check(f'input[name="{name}"][value="1"]')
            elif name == "appearance":
                page.check(f'input[name="appearance"][value="{value}"]')
            elif name == "relevant":
                page.check('input[name="relevant_mode"][value="typed"]')
                page.fill("#f-relevant", value)
            else:
                expert = name in ("constraint", "default") or name.startswith("constraint_")
                if expert and page.locator("details.rules[open]").count() == 0:
                    page.locator("details.rules summary").click()
                page.fill(f"#f-{name}", value)
        page.click('button.primary:has-text("Save question")')
        if self.javascript:  # saved without a reload
            page.locator("[data-status]:has-text('Saved.')").wait_for()
        else:
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
    admin.uncheck('input[name="languages"][value="ur"]')
    admin.fill("#f-title-en", "Built in the browser")
    admin.click('button:has-text("Create the survey")')
    admin.wait_for_url(f"**/admin/surveys/{slug}/build")
    build = Builder(admin, base, slug, javascript)

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
    build.question("page_1", "scale", "agree", "Agree?")  # points from the agreement preset
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

    page.locator('input[name="q_terms"]').wait_for()  # the next page (loads may lag under load)
    assert page.locator('input[name="q_salary"]').count() == 0  # not working: not asked
    page.check('input[name="q_terms"]')
    page.click('button[name="page"][value="back"]')
    page.check('input[name="q_works"][value="yes"]')
    page.click('button[name="page"][value="next"]')
    page.locator('input[name="q_salary"]').wait_for()  # working: asked, and required
    page.click('button.primary:has-text("Submit")')
    page.locator(".error-summary").wait_for()
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
        "/admin/surveys/partly-translated/build/questions/group",
        "/admin/surveys/partly-translated/build/sections/main/questions?type=scale",
        "/admin/surveys/partly-translated/build/recommendations",
        "/admin/surveys/partly-translated/build/matrices",
        "/admin/surveys/partly-translated/build/translations",
    ):
        page.goto(base + path)
        found[path] = axe_violations(page, axe_source)
    assert not any(found.values()), found


def test_rows_are_added_dragged_and_removed_in_the_page_and_saved_in_one_request(
    live_server, page_factory
):
    """With JavaScript the row buttons and dragging ask nothing of the server; one save
    stores the rows in the order shown, and the page stays (no reload)."""
    base = live_server["url"]
    with live_server["app"].app_context():  # a survey of its own: others read theirs
        create_survey(db.session(), small_definition("rows-dragged"), SurveyState.draft)
        db.session().commit()
    page = page_factory(width=1280, height=900)
    sign_in(page, base)
    page.goto(f"{base}/admin/surveys/rows-dragged/build/sections/main/questions?type=single_choice")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.fill("#f-code", "dragged")
    page.fill("#f-label-en", "Dragged")
    page.click('button:has-text("Add a choice")')
    for n, code in enumerate(("one", "two", "three", "four")):
        page.fill(f'[name="c{n}-code"]', code)
        page.fill(f'[name="c{n}-label-en"]', code.title())
    page.locator('tbody[data-rows="c"] tr').nth(2).locator(".handle").drag_to(
        page.locator('tbody[data-rows="c"] tr').nth(0)
    )
    page.click('button[aria-label="Remove Choice 4"]')
    page.click('button[aria-label="Move Choice 1 down"]')
    shown = page.locator('tbody[data-rows="c"] input[name$="-code"]').evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert shown == ["one", "three", "two"]  # dragged first, removed, moved down
    assert posts == []  # nothing asked of the server yet
    page.click('button.primary:has-text("Save question")')
    page.locator("[data-status]:has-text('Saved.')").wait_for()
    assert len(posts) == 1 and page.url.endswith("/questions/dragged")
    with live_server["app"].app_context():
        question = db.session().scalar(select(Question).where(Question.code == "dragged"))
        assert [c.code for c in question.choices] == ["one", "three", "two"]
