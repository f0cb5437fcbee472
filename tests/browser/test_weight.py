"""What a first visit to the Urdu NISP page costs, as Chromium counts it: bytes received for
HTML, CSS and JS (compressed, headers included) within the 40 KB budget, nothing from another
host, nothing refused by the Content-Security-Policy. bench/page_weight.py prints the detail."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BUDGET = 40_000  # bytes; the font is counted apart (cached a year, often already on the phone)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("kind", ["form", "errors"])
def test_the_urdu_page_loads_within_budget_from_this_host_alone(
    live_server, page_factory, kind, javascript
):
    base = live_server["url"]
    page = page_factory(360, 740, javascript)
    finished, problems = [], []
    page.on("requestfinished", lambda r: finished.append(r))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/s/nisp-consultation?lang=ur", wait_until="networkidle")
    if kind == "errors":  # the form sent back with every error is the largest page
        finished.clear()
        page.click("button.primary")
        page.wait_for_load_state("networkidle")
    if kind == "errors":  # the form with errors comes back as 400, as it should
        problems = [p for p in problems if "status of 400" not in p]
    assert problems == []
    assert [r.url for r in finished if not r.url.startswith(base)] == []
    spent = {}
    for request in finished:
        sizes = request.sizes()
        spent[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
    html = [r for r in finished if r.resource_type == "document"][-1]
    # Brotli: Chromium offers it to localhost, a secure context; over plain HTTP only gzip
    # (bench/page_weight.py measures both).
    assert html.response().header_value("content-encoding") in ("br", "gzip")
    text = sum(size for url, size in spent.items() if "/static/fonts/" not in url)
    assert 0 < text <= BUDGET, spent
    kinds = {r.resource_type for r in finished}
    assert ("script" in kinds) is javascript  # with JavaScript off nothing asks for it
