"""A respondent on a slow link: what each page of a paged survey costs in requests, bytes and
time, measured in Debian's Chromium with its network emulation, against the server's own log.

``Wire`` wraps the application: it logs every request that reaches the server and the bytes
sent back, and can serve static files with the cache header consult sent before issue 21
(``no-cache`` beside ``immutable``: every page revalidated its stylesheet, script and font), so
one run measures before and after. ``walk`` answers the five pages of a paged survey and
submits. Used by bench/page_weight.py and tests/browser/test_weight.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]  # fmt: skip
# Chrome DevTools' "Regular 2G": 300 ms round trip, 250 kbit/s down, 50 kbit/s up.
REGULAR_2G = {"offline": False, "latency": 300,
              "downloadThroughput": 250_000 / 8, "uploadThroughput": 50_000 / 8}  # fmt: skip
# What consult sent for a versioned static file before: immutable, but also no-cache.
OLD_STATIC_CACHE = "no-cache, public, max-age=31536000, immutable"
RECOMMENDATIONS = ["coordination", "monitoring", "resources", "stakeholders", "kpis",
                   "local_context"]  # fmt: skip


class Wire:
    """WSGI middleware: a log of (method, path, bytes sent) for every request served."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.log: list[tuple[str, str, int]] = []
        self.before = False  # serve static files with the old, revalidating header

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        query = environ.get("QUERY_STRING")
        path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        entry = [environ.get("REQUEST_METHOD", ""), path, 0]

        def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            if self.before and path.startswith("/static/"):
                headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
                if "?v=" in path:
                    headers.append(("Cache-Control", OLD_STATIC_CACHE))
            entry[2] += len(status) + sum(len(k) + len(v) + 4 for k, v in headers) + 13
            return start_response(status, headers, *args)

        body = self.app(environ, start)
        return _Counted(body, entry, self.log)


class _Counted:
    """The response body, its bytes counted; logged and closed when the server is done."""

    def __init__(self, body: Iterable[bytes], entry: list[Any], log: list[Any]) -> None:
        self.body, self.entry, self.log, self.closed = body, entry, log, False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.entry[2] += len(chunk)
            yield chunk

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.log.append(tuple(self.entry))
            if hasattr(self.body, "close"):
                self.body.close()

    def __del__(self) -> None:  # dropped by the server without close() (a client hung up)
        self.close()


@dataclass
class PageCost:
    name: str
    requests: list[str] = field(default_factory=list)
    sent: int = 0  # bytes the server sent for this page and all it needed
    ms: float = 0.0  # navigation start to the load event, as Chromium times it

    @property
    def static(self) -> list[str]:
        return [r for r in self.requests if " /static/" in r]


def _settle(wire: Wire, seen: int) -> list[tuple[str, str, int]]:
    """The log entries since ``seen``, once the server has closed every response (an entry is
    logged when its response is closed, just after its last byte is written)."""
    count = -1
    while count != len(wire.log):
        count = len(wire.log)
        time.sleep(0.05)
    return wire.log[seen:]


def _measure(page: Any, wire: Wire, name: str, action: Callable[[], None]) -> PageCost:
    seen = len(wire.log)
    action()
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventEnd - n.startTime; })()"
    )
    entries = _settle(wire, seen)
    return PageCost(name, [f"{m} {p}" for m, p, _ in entries], sum(s for *_, s in entries), timing)


def walk(page: Any, base: str, slug: str, lang: str, wire: Wire) -> list[PageCost]:
    """Answer the five pages of the paged NISP survey and submit; then a second visit."""
    costs = [_measure(page, wire, "page 1", lambda: page.goto(f"{base}/s/{slug}?lang={lang}"))]
    page.check('input[name="q_group"][value="media"]')
    page.check('input[name="q_province"][value="punjab"]')
    for number, rec in enumerate(RECOMMENDATIONS[:3], start=2):
        costs.append(_measure(page, wire, f"page {number}", lambda: _click(page, "next")))
        page.check(f'input[name="q_{rec}_agree"][value="4"]')
        page.check(f'input[name="q_{rec}_feasible"][value="3"]')
    costs.append(_measure(page, wire, "page 5", lambda: _click(page, "next")))
    for rank, rec in enumerate(RECOMMENDATIONS, start=1):
        page.select_option(f'select[name="q_priority_ranking-{rec}"]', str(rank))
    costs.append(_measure(page, wire, "thanks", lambda: _click(page, "submit")))
    again = f"{base}/s/{slug}?lang={lang}"
    costs.append(_measure(page, wire, "second visit", lambda: page.goto(again)))
    return costs


def _click(page: Any, action: str) -> None:
    if action == "next":
        page.click('.actions button[name="page"][value="next"]')
    else:
        page.click(".actions button.primary")


def emulate(page: Any, conditions: dict[str, Any] | None = REGULAR_2G) -> None:
    """Chromium's network emulation on ``page`` (None: off)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    if conditions is not None:
        session.send("Network.emulateNetworkConditions", conditions)
