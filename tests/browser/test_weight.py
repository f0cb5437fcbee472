"""What a first visit to the Urdu NISP page costs, as Chromium counts it: bytes received for
HTML, CSS and JS (compressed, headers included) within the 40 KB budget, nothing from another
host, nothing refused by the Content-Security-Policy; and what a second visit and the pages of a
paged survey on a 2G link cost: one request each. bench/page_weight.py prints the detail."""

from __future__ import annotations

import shutil
import subprocess
import threading

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


def _nastaliq_installed() -> bool:
    """Whether this machine has Noto Nastaliq Urdu (``make fonts`` installs it for the PDF
    brief): the stylesheet's ``local()`` then serves it, and no browser fetches the woff2."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":family=Noto Nastaliq Urdu"],  # noqa: S607
                           capture_output=True, text=True, check=False)  # fmt: skip
    return bool(found.stdout.strip())


def test_a_second_visit_asks_only_for_the_page(live_server, page_factory):
    """Static files are cached as immutable, never revalidated: once a phone has the stylesheet,
    the script and the font, a survey page costs one request, its HTML (the server's log)."""
    base, log = live_server["url"], live_server["requests"]
    page = page_factory(360, 740)
    page.goto(f"{base}/s/nisp-consultation?lang=ur", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    first = [r for r in log if " /static/" in r]
    kinds = {r.split("?")[0].rsplit(".", 1)[-1] for r in first}
    fetched = {"css", "js"} if _nastaliq_installed() else {"css", "js", "woff2"}
    assert fetched <= kinds  # the first visit fetched them (the check below can fail)
    seen = len(log)
    page.goto(f"{base}/s/nisp-consultation/thanks?lang=ur", wait_until="networkidle")
    page.goto(f"{base}/s/nisp-consultation?lang=ur", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    assert log[seen:] == [
        "GET /s/nisp-consultation/thanks?lang=ur",
        "GET /s/nisp-consultation?lang=ur",
    ]


def test_a_paged_survey_on_2g_costs_one_request_a_page(live_server, page_factory):
    """Chromium's network emulation ("Regular 2G"): the five pages of a paged survey, answered and
    submitted, ask the server for nothing but each page (bench/page_weight.py prints the times,
    before and after). The same walk with the old revalidating header asks for more."""
    from werkzeug.serving import make_server

    from bench.slow_link import Wire, emulate, walk
    from tests.browser.conftest import PAGED

    wire = Wire(live_server["app"])
    server = make_server("127.0.0.1", 0, wire, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        page = page_factory(360, 740)
        emulate(page)
        costs = {c.name: c for c in walk(page, base, PAGED, "en", wire)}
        wire.before = True  # the header sent before: no-cache beside immutable
        old = page_factory(360, 740)
        emulate(old, None)  # no need to wait on a slow link to count requests
        old_costs = {c.name: c for c in walk(old, base, PAGED, "en", wire)}
    finally:
        server.shutdown()
    assert len(costs["page 1"].static) == 2  # stylesheet and script, once
    for name in ("page 2", "page 3", "page 4", "page 5", "second visit"):
        assert costs[name].requests == [costs[name].requests[0]], (name, costs[name].requests)
        assert len(old_costs[name].static) == 2, (name, old_costs[name].requests)
    assert costs["thanks"].static == []  # the submit and its redirect to the thanks page
    assert costs["page 2"].ms > 300  # the emulation was on: at least one 300 ms round trip
