"""Skip logic while answering (static/js/rules.js): a question whose relevance reads an answer on
the same page hides and shows as that answer changes; the browser's evaluator agrees with the
server's (consult/expressions.py) on one corpus; without JavaScript the server still decides."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from consult.surveys.expressions import evaluate, parse
from tests.browser.test_rules import make_survey, stored

pytestmark = pytest.mark.browser

RULES_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "rules.js"

ANSWERS = {
    "works": "yes",
    "colour": "green",
    "tools": "pen paper",
    "age": "34",
    "urdu_age": "۳۴",
    "salary": "1500.5",
    "blank": "",
    "name": "علی",
    "emoji": "a😀b",
}
# (expression, the current answer "." or None): every operator, function and coercion rule.
CORPUS = [
    ("${works} = 'yes'", None),
    ("${works} != 'yes'", None),
    ("${missing} = ''", None),
    ("${age} > 18 and ${age} < 120", None),
    ("${age} >= 34 or ${blank} = 'x'", None),
    ("${age} = 34.0", None),
    ("${urdu_age} = 34", None),
    ("${age} < 'abc'", None),
    ("${name} = 'علی'", None),
    ("${blank} < 1", None),
    ("${salary} * 2", None),
    ("${salary} div 0", None),
    ("0 div 0", None),
    ("-${age} div 0", None),
    ("${age} mod 5", None),
    ("-7 mod 3", None),
    ("${age} mod 0", None),
    ("1 - 2 - 3", None),
    ("2 + 3 * 4", None),
    ("(2 + 3) * 4", None),
    ("-(${age})", None),
    ("10 div 4", None),
    ("selected(${tools}, 'paper')", None),
    ("selected(${tools}, 'pap')", None),
    ("count-selected(${tools})", None),
    ("count-selected(${blank})", None),
    ("string-length(${name})", None),
    ("string-length(${emoji})", None),
    ("not(${works} = 'no')", None),
    ("if(${age} > 18, 'adult', 'minor')", None),
    ("if(${blank}, 1, 2)", None),
    ("${works}", None),
    ("${blank}", None),
    ("'inf' = 1 div 0", None),
    (". >= 18 and . < 120", "34"),
    (". = ''", None),
    ("string-length(.) <= 3", "abcd"),
    ("${age} + ${salary}", None),
    ("${works} + 1", None),
    ("1 = 1 = 1", None),
]


def _same(python, js) -> bool:
    if isinstance(python, bool) or isinstance(js, bool):
        return python is js
    if isinstance(python, float):
        if math.isnan(python):
            return js is None or (isinstance(js, float) and math.isnan(js))  # NaN comes as null
        return isinstance(js, int | float) and float(js) == python
    return python == js


def test_the_browser_evaluates_rules_as_the_server_does(page_factory):
    page = page_factory()
    page.set_content("<!doctype html><title>rules</title>")
    page.add_script_tag(path=str(RULES_JS))
    cases = [(expr, json.loads(json.dumps(parse(expr))), current) for expr, current in CORPUS]
    got = page.evaluate(
        """([cases, answers]) => cases.map(([_, tree, current]) => {
            const value = window.consultRules.evaluate(tree, answers, current);
            return [typeof value === "number" && isNaN(value) ? null : value,
                    window.consultRules.truthy(value)];
        })""",
        [cases, ANSWERS],
    )
    from consult.surveys.expressions import truthy

    for (expr, _tree, current), (js_value, js_truthy) in zip(cases, got, strict=True):
        python = evaluate(expr, ANSWERS, current)
        assert _same(python, js_value), (expr, python, js_value)
        assert truthy(python) is js_truthy, expr


def test_a_question_hides_and_shows_as_the_answer_it_reads_changes(live_server, page_factory):
    slug = "live-rules"
    make_survey(live_server["app"], slug)
    page = page_factory()
    page.goto(f"{live_server['url']}/s/{slug}")
    page.check('input[name="q_group"][value="media"]')
    page.check('input[name="q_colour"][value="green"]')
    page.check('input[name="q_agree"][value="4"]')
    for rank, code in enumerate(["beta", "alpha", "gamma"], start=1):
        page.select_option(f'select[name="q_rank-{code}"]', str(rank))
    page.click('button[name="page"][value="next"]')

    sector = page.locator("fieldset#q_sector")
    # A paged survey counts pages ("Page 2 of 5"), not the answers of the page shown.
    expect(page.locator("#page-of")).to_have_text(re.compile(r"^Page 2 of \d$"))
    assert page.locator(".progress").count() == 0
    # "Do you work?" is not answered yet: the sector question does not apply.
    expect(sector).to_be_hidden()
    expect(page.locator('input[name="q_sector"]').first).to_be_disabled()
    page.select_option('select[name="q_works"]', "yes")
    expect(sector).to_be_visible()
    page.check('input[name="q_sector"][value="public"]')

    # Answered, then hidden again: the answer is not sent, and the server agrees it does not apply.
    page.select_option('select[name="q_works"]', "no")
    expect(sector).to_be_hidden()
    page.check('input[name="q_agree_terms"]')
    page.click('button[name="page"][value="next"]')
    expect(page.locator("table.matrix")).to_be_visible()  # the job page is skipped, as without JS
    page.check('input[name="q_trust"][value="6"]')
    page.click('button[name="page"][value="next"]')
    page.fill('input[name="q_age"]', "34")
    page.click('button.primary:has-text("Submit")')
    page.wait_for_url(f"**/s/{slug}/thanks**")
    [answers] = stored(live_server["app"], slug)
    assert answers["works"] == "no" and "sector" not in answers


def test_pages_without_same_page_rules_do_not_load_the_script(live_server, page_factory):
    page = page_factory()
    page.goto(f"{live_server['url']}/s/nisp-consultation")
    assert page.locator("form[data-live]").count() == 0
    assert page.locator('script[src*="rules.js"]').count() == 0
