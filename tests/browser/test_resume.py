"""Save halfway, come back in another browser with only the code, finish (issue 6)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult import db
from consult.collection.models import Draft, Response
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_respond import RECOMMENDATIONS

pytestmark = pytest.mark.browser


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("javascript", [True, False])
def test_save_halfway_resume_elsewhere_and_finish(live_server, page_factory, javascript):
    app, url = live_server["app"], live_server["url"]
    responses_before, drafts_before = count(app, Response), count(app, Draft)

    first = page_factory(360, 740, javascript)
    first.goto(f"{url}/s/nisp-consultation?lang=ur")
    first.check('input[name="q_group"][value="community"]')
    first.check('input[name="q_province"][value="sindh"]')
    first.check('input[name="q_coordination_agree"][value="5"]')
    first.fill('textarea[name="q_coordination_comment"]', "آدھا جواب، بعد میں مکمل کروں گا")
    first.click('button[name="save"]')
    code = first.locator(".resume-code strong").inner_text().strip()
    assert len(code.replace("-", "")) == 12
    first.screenshot(path=str(ARTIFACTS / f"resume-saved-{javascript}.png"))
    assert count(app, Draft) == drafts_before + 1 and count(app, Response) == responses_before

    second = page_factory(1280, 800, javascript)  # another browser: no cookies, only the code
    second.goto(f"{url}/resume")
    second.fill('input[name="code"]', code.lower())
    second.click("button[type=submit]")
    assert second.is_checked('input[name="q_group"][value="community"]')
    assert second.is_checked('input[name="q_coordination_agree"][value="5"]')
    assert (
        second.input_value('textarea[name="q_coordination_comment"]')
        == "آدھا جواب، بعد میں مکمل کروں گا"
    )
    for rec in RECOMMENDATIONS:
        second.check(f'input[name="q_{rec}_agree"][value="4"]')
        second.check(f'input[name="q_{rec}_feasible"][value="3"]')
    for rank, rec in enumerate(RECOMMENDATIONS, start=1):
        second.select_option(f'select[name="q_priority_ranking-{rec}"]', str(rank))
    second.click("button.primary[type=submit]")
    second.wait_for_url("**/thanks**")
    second.screenshot(path=str(ARTIFACTS / f"resume-finished-{javascript}.png"))
    assert count(app, Response) == responses_before + 1
    assert count(app, Draft) == drafts_before  # the draft is gone once submitted
