"""An analyst seeds themes, runs the theming job, reviews ten comments with the keyboard and
sees the agreement move, then finds the theme × group table on the results page, where a group
of four commenters shows no share (issue 18's acceptance)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from bench import themes_data
from consult import create_app, db, migrations
from consult.accounts.roles import Role
from consult.accounts.users import add_member, create_user
from consult.authoring.definitions import builtin_definition, create_survey
from consult.config import ensure_secret_key
from consult.surveys.models import SurveyState
from tests.analysis.themes.conftest import themes_workbook_bytes
from tests.browser.conftest import ARTIFACTS, axe_violations

pytestmark = pytest.mark.browser
SLUG = "nisp-consultation"
ANALYST = ("analyst@example.org", "browser-test-password")


@pytest.fixture
def themes_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """consult with the NISP consultation's comments on two recommendations; jobs run at once
    (JOBS_IMMEDIATE: the request that queues the job runs it, as a worker would)."""
    instance = tmp_path_factory.mktemp("themes-instance")
    ensure_secret_key(instance)
    os.environ["CONSULT_INSTANCE_PATH"] = str(instance)
    app = create_app({"RATELIMIT_ENABLED": False, "JOBS_IMMEDIATE": True})
    os.environ.pop("CONSULT_INSTANCE_PATH")
    comments = themes_data.comments()
    coordination = [c for c in comments if c.recommendation == "coordination"]
    resources = [c for c in comments if c.recommendation == "resources"]
    with app.app_context():
        migrations.upgrade(db.database().engine)
        session = db.session()
        survey = create_survey(session, builtin_definition(), SurveyState.open)
        add = themes_data.add_responses
        add(session, survey, [("coordination", c.text) for c in coordination],
            groups=["academia", "civil_society", "security"])  # fmt: skip
        # Exactly four media commenters on resources: their group must show no share.
        add(session, survey, [("resources", c.text) for c in resources[:4]], groups=["media"])
        add(session, survey, [("resources", c.text) for c in resources[4:]], seed=4,
            groups=["academia", "civil_society"])  # fmt: skip
        add_member(session, survey, create_user(session, ANALYST[0], Role.organizer, ANALYST[1]))
        session.commit()
    (instance / "themes.xlsx").write_bytes(themes_workbook_bytes(("coordination", "resources")))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", instance
    server.shutdown()
    db.database(app).engine.dispose()


def test_an_analyst_seeds_runs_reviews_with_the_keyboard_and_reads_the_table(
    themes_server: Any, page_factory: Any, axe_source: str
) -> None:
    base, instance = themes_server
    page = page_factory(width=1280, height=900)
    page.goto(f"{base}/auth/login")
    page.fill('input[name="email"]', ANALYST[0])
    page.fill('input[name="password"]', ANALYST[1])
    page.click('button:has-text("Sign in")')
    page.wait_for_url("**/admin/**")

    page.goto(f"{base}/admin/surveys/{SLUG}")
    page.click("text=Themes of the comments")
    page.set_input_files("#file", str(instance / "themes.xlsx"))
    page.click('button:has-text("Upload")')
    page.wait_for_selector("text=Saved 8 themes")
    page.click('button:has-text("Run theming")')
    page.wait_for_selector("#run-state >> text=done")
    assert page.locator("#run-progress").get_attribute("value") == page.locator(
        "#run-progress").get_attribute("max")  # fmt: skip
    assert not axe_violations(page, axe_source)
    page.screenshot(path=str(ARTIFACTS / "themes-page.png"), full_page=True)

    page.click("text=Review the proposed themes")
    page.wait_for_selector("#comment")
    assert not axe_violations(page, axe_source)
    figures = []
    for n in range(10):
        seen = page.locator("#comment").inner_text()
        if n % 3 == 1:
            page.keyboard.press("1")  # tick or untick the first theme: the reviewer disagrees
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("#comment").inner_text() != seen  # the next comment
        figures.append(page.locator("#f1").inner_text())
        if n == 0:
            page.screenshot(path=str(ARTIFACTS / "themes-review.png"), full_page=True)
        assert page.locator("#reviewed-count").inner_text() == str(n + 1)
    assert figures[0] == "1.00"  # the first proposal confirmed as it was
    assert len(set(figures)) > 1, figures  # the agreement moves as reviewers disagree
    assert float(figures[-1]) < 1.0

    page.goto(f"{base}/admin/surveys/{SLUG}/results")
    table = page.locator('table.themes-table[data-question="resources_comment"]')
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    media = next(i for i, h in enumerate(headers) if h.startswith("Media"))
    assert "n = <5" in headers[media]
    cells = [row.locator("td").nth(media - 1) for row in table.locator("tbody tr").all()]
    assert cells and all(c.inner_text() == "<5" for c in cells)  # four commenters: no share
    assert all(c.locator("a").count() == 0 for c in cells)  # and no comments behind it
    academia = next(i for i, h in enumerate(headers) if h.startswith("Academia"))
    page.locator("section#themes").screenshot(path=str(ARTIFACTS / "themes-results.png"))
    shares = [c.inner_text() for c in table.locator(f"tbody tr td:nth-child({academia + 1})").all()]
    assert any(s.endswith("%") for s in shares), shares
    first_link = table.locator(f"tbody tr td:nth-child({academia + 1}) a").first
    first_link.click()
    page.wait_for_selector("ul.comments li")
    assert page.locator("ul.comments li").count() >= 1

    # The review page in Urdu: right to left, and still keyboard-driven.
    page.goto(f"{base}/admin/surveys/{SLUG}/themes/review?lang=ur")
    page.wait_for_selector("#comment")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert not axe_violations(page, axe_source)
    page.screenshot(path=str(ARTIFACTS / "themes-review-ur.png"), full_page=True)
