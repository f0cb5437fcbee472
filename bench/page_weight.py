"""What each respondent page costs to load: bytes transferred, by resource, against the budget;
requests and bytes on a first and a second visit; and a paged survey walked on a 2G link.

Runs consult on 127.0.0.1 with the NISP consultation (open, a closed copy, and five of its pages
as a paged survey), fetches every respondent page in English and Urdu as a browser would on a
first visit, and every resource the page refers to (stylesheets, scripts, images, and fonts
named in the CSS), counting the bytes that crossed the socket: status line, headers and body as
served, compressed.

Chromium offers only gzip over plain HTTP and adds Brotli over HTTPS, so both are measured; the
budget (HTML + CSS + JS <= 40 KB, the font counted separately because it is cached a year) is
checked against gzip, the larger. Any resource on another host is listed and fails the run.

Second visits follow the HTTP cache rules a browser follows (a fresh entry is used without a
request; a stale or no-cache one is revalidated), and each is measured twice in the same run:
with the static files' cache header consult sent before issue 21 (no-cache beside immutable)
and with today's. Last, Debian's Chromium walks the five pages of the paged survey and submits
it on an emulated "Regular 2G" link (300 ms, 250/50 kbit/s), before and after, in English and
Urdu: requests, bytes and time per page (bench/slow_link.py). --no-browser leaves that out.

    .venv/bin/python bench/page_weight.py        (make page-weight)
"""

from __future__ import annotations

import copy
import http.client
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ and tests/ as packages

from bench.slow_link import CHROMIUM, LAUNCH_ARGS, REGULAR_2G, Wire, emulate, walk  # noqa: E402
from consult import create_app, db, migrations  # noqa: E402
from consult.authoring.definitions import builtin_definition, create_survey  # noqa: E402
from consult.config import ensure_secret_key  # noqa: E402
from consult.surveys.models import SurveyState  # noqa: E402
from tests.factories import paged_definition  # noqa: E402

BUDGET = 40_000  # bytes of HTML, CSS and JS for one respondent page, compressed, font excluded
SLUG = "nisp-consultation"
CLOSED = "nisp-closed"
PAGED = "nisp-paged"
ENCODINGS = {"gzip": "gzip, deflate", "br": "gzip, deflate, br"}


@dataclass
class Resource:
    url: str
    kind: str
    raw: int = 0  # body bytes before compression
    sent: dict[str, int] = field(default_factory=dict)  # encoding -> bytes on the wire


class Links(HTMLParser):
    """The subresources an HTML page makes a browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        href = a.get("href") or ""
        if tag == "link" and "stylesheet" in rel and href:
            self.found.append((href, "css"))
        elif tag == "link" and {"icon", "preload"} & set(rel) and href:
            if not href.startswith("data:"):
                self.found.append((href, "font" if a.get("as") == "font" else "image"))
        elif tag in ("script", "img") and a.get("src"):
            self.found.append((a["src"] or "", "js" if tag == "script" else "image"))


class Client:
    """One browser's connection: cookies kept, nothing decoded, bytes on the wire counted."""

    def __init__(self, base: str, accept_encoding: str) -> None:
        self.base = base
        self.accept = accept_encoding
        self.cookies: dict[str, str] = {}

    def request(
        self,
        url: str,
        method: str = "GET",
        form: dict[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes, int]:
        parts = urlsplit(urljoin(self.base, url))
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        headers = {"Accept-Encoding": self.accept, "Accept-Language": "en", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()  # raw: http.client never decompresses
        for value in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in response.getheaders()
        )
        conn.close()
        return response.status, dict(response.getheaders()), data, len(head) + 2 + len(data)


def decoded(data: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        import gzip

        return gzip.decompress(data)
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(data))
    return data


class CachingClient(Client):
    """A client with a browser's HTTP cache: a fresh entry answers without a request, a stale or
    no-cache one is asked again with If-None-Match (a 304 costs its headers)."""

    def __init__(self, base: str, accept_encoding: str) -> None:
        super().__init__(base, accept_encoding)
        self.stored: dict[str, tuple[dict[str, str], bytes]] = {}

    def fetch(self, url: str) -> tuple[bytes, str, int, bool]:
        """(body decoded, content type, bytes on the wire, whether a request was made)."""
        held = self.stored.get(url)
        extra = {}
        if held is not None:
            rules = held[0].get("Cache-Control", "")
            if "max-age" in rules and "no-cache" not in rules:
                return held[1], held[0].get("Content-Type", ""), 0, False
            if "ETag" in held[0]:
                extra["If-None-Match"] = held[0]["ETag"]
        status, headers, body, sent = self.request(url, extra=extra)
        if status == 304 and held is not None:
            return held[1], held[0].get("Content-Type", ""), sent, True
        content = decoded(body, headers.get("Content-Encoding"))
        if "no-store" not in headers.get("Cache-Control", ""):
            self.stored[url] = (headers, content)
        return content, headers.get("Content-Type", ""), sent, True


def visit(client: CachingClient, lang: str, page: str, tokens: dict[str, str]) -> tuple[int, int]:
    """One visit to a respondent page and all it needs: (requests, bytes on the wire).

    The Nastaliq font is fetched for an Urdu page only, as a browser does.
    """
    form_url = f"/s/{SLUG}?lang={lang}"
    urls = {"form": form_url, "thanks": f"/s/{SLUG}/thanks?lang={lang}",
            "closed": f"/s/{CLOSED}?lang={lang}"}  # fmt: skip
    if page == "errors":
        status, headers, body, sent = client.request(form_url, "POST", tokens)
    else:
        status, headers, body, sent = client.request(urls[page])
    html = decoded(body, headers.get("Content-Encoding")).decode("utf-8")
    tokens.update(hidden_inputs(html))
    requests, spent = 1, sent
    parser = Links()
    parser.feed(html)
    queue = list(parser.found)
    while queue:
        ref, kind = queue.pop(0)
        target = urljoin(urljoin(client.base, form_url), ref)
        content, _type, cost, asked = client.fetch(target.removeprefix(client.base))
        requests, spent = requests + asked, spent + cost
        if kind == "css" and lang == "ur":
            for font in re.findall(r"url\(\"?([^\")]+)\"?\)", content.decode("utf-8")):
                if not font.startswith("data:"):
                    queue.append((urljoin(target, font), "font"))
    return requests, spent


def visits_table(base: str, wire: Wire) -> None:
    """Requests and bytes (gzip) of a first and a second visit to each page, before and after."""
    print("First and second visit (requests / bytes on the wire, gzip; the font counted for Urdu)")
    print(f"  {'page':<12} {'policy':<7} {'first visit':>18} {'second visit':>18}")
    for lang in ("ur", "en"):
        for page in ("form", "errors", "thanks", "closed"):
            for policy in ("before", "after"):
                wire.before = policy == "before"
                client = CachingClient(base, ENCODINGS["gzip"])
                _s, headers, body, _n = client.request(f"/s/{SLUG}?lang={lang}")
                tokens = hidden_inputs(decoded(body, headers.get("Content-Encoding")).decode())
                first = visit(client, lang, page, tokens)
                second = visit(client, lang, page, tokens)
                print(
                    f"  [{lang}] {page:<7} {policy:<7} {first[0]:>5} req {first[1]:>8,} B "
                    f"{second[0]:>5} req {second[1]:>8,} B"
                )
    wire.before = False
    print()


def walk_table(base: str, wire: Wire) -> None:
    """The paged survey answered in Chromium on an emulated 2G link, before and after."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("2G walk skipped: playwright is not installed (make test installs it).")
        return
    if not Path(CHROMIUM).exists():
        print(f"2G walk skipped: {CHROMIUM} is missing (apt-get install chromium).")
        return
    latency, down = REGULAR_2G["latency"], REGULAR_2G["downloadThroughput"] * 8 / 1000
    print(f"The paged survey ({PAGED}, 5 pages, then thanks, then a second visit) in Chromium on")
    print(f"emulated 2G ({latency} ms, {down:.0f} kbit/s down): requests, KB sent, ms to load\n")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for lang in ("en", "ur"):
            for policy in ("before", "after"):
                wire.before = policy == "before"
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                emulate(page)
                costs = walk(page, base, PAGED, lang, wire)
                context.close()
                print(f"  [{lang}] {policy}:")
                for cost in costs:
                    print(
                        f"    {cost.name:<13} {len(cost.requests):>3} req "
                        f"({len(cost.static)} static) {cost.sent / 1000:>7.1f} KB "
                        f"{cost.ms:>7,.0f} ms"
                    )
                total = sum(c.ms for c in costs[1:6])
                print(f"    pages 2-5 and thanks: {total:,.0f} ms in all\n")
        browser.close()
    wire.before = False


def start_server() -> tuple[str, object, Wire]:
    instance = Path(tempfile.mkdtemp(prefix="consult-weight-"))
    ensure_secret_key(instance)
    os.environ["CONSULT_INSTANCE_PATH"] = str(instance)
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        migrations.upgrade(db.database().engine)
        session = db.session()
        definition = builtin_definition()
        create_survey(session, copy.deepcopy(definition), SurveyState.open)
        create_survey(session, {**definition, "slug": CLOSED}, SurveyState.closed)
        create_survey(session, paged_definition(PAGED), SurveyState.open)
        session.commit()
    wire = Wire(app)
    server = make_server("127.0.0.1", 0, wire, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server, wire


def hidden_inputs(html: str) -> dict[str, str]:
    found = re.findall(r'<input[^>]*name="(csrf_token|nonce)"[^>]*value="([^"]*)"', html)
    return dict(found)


def load_page(base: str, lang: str, page: str) -> tuple[str, list[Resource], list[str]]:
    """Fetch one page (and all it needs) per encoding; its resources and any foreign URLs."""
    resources: dict[str, Resource] = {}
    foreign: list[str] = []
    url = ""
    for name, accept in ENCODINGS.items():
        client = Client(base, accept)
        form_url = f"/s/{SLUG}?lang={lang}"
        if page == "form":
            url = form_url
            status, headers, body, sent = client.request(url)
        elif page == "errors":
            status, headers, body, _ = client.request(form_url)
            tokens = hidden_inputs(decoded(body, headers.get("Content-Encoding")).decode())
            url = form_url + " (POST, nothing answered)"
            status, headers, body, sent = client.request(form_url, "POST", tokens)
        elif page == "thanks":
            url = f"/s/{SLUG}/thanks?lang={lang}"
            status, headers, body, sent = client.request(url)
        else:
            url = f"/s/{CLOSED}?lang={lang}"
            status, headers, body, sent = client.request(url)
        html = decoded(body, headers.get("Content-Encoding"))
        res = resources.setdefault(url, Resource(url, "html", len(html)))
        res.sent[name] = sent
        parser = Links()
        parser.feed(html.decode("utf-8"))
        queue = list(parser.found)
        while queue:
            ref, kind = queue.pop(0)
            target = urljoin(urljoin(base, form_url), ref)
            if urlsplit(target).netloc != urlsplit(base).netloc:
                foreign.append(target)
                continue
            status, headers, body, sent = client.request(target)
            content = decoded(body, headers.get("Content-Encoding"))
            key = target.removeprefix(base)
            item = resources.setdefault(key, Resource(key, kind, len(content)))
            item.sent[name] = sent
            if kind == "css":
                for font in re.findall(r"url\(\"?([^\")]+)\"?\)", content.decode("utf-8")):
                    if not font.startswith("data:"):
                        queue.append((urljoin(target, font), "font"))
    return url, list(resources.values()), sorted(set(foreign))


def main() -> int:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request is noise here
    base, server, wire = start_server()
    failed = False
    print(
        f"consult page weight: bytes on the wire per respondent page, first visit (budget "
        f"{BUDGET:,} B of HTML+CSS+JS, compressed).\nThe font row is apart: a browser fetches "
        "it only to show Urdu on a phone without Noto Nastaliq Urdu, then keeps it a year.\n"
    )
    for lang in ("ur", "en"):
        for page in ("form", "errors", "thanks", "closed"):
            url, resources, foreign = load_page(base, lang, page)
            print(f"[{lang}] {page}: {url}")
            print(f"  {'resource':<52} {'kind':<5} {'raw':>8} {'gzip':>8} {'br':>8}")
            totals = {"raw": 0, "gzip": 0, "br": 0}
            for res in resources:
                print(
                    f"  {res.url[:52]:<52} {res.kind:<5} {res.raw:>8,} "
                    f"{res.sent.get('gzip', 0):>8,} {res.sent.get('br', 0):>8,}"
                )
                if res.kind != "font":
                    totals["raw"] += res.raw
                    totals["gzip"] += res.sent.get("gzip", 0)
                    totals["br"] += res.sent.get("br", 0)
            ratio = totals["gzip"] / BUDGET
            verdict = "within budget" if totals["gzip"] <= BUDGET else "OVER BUDGET"
            print(
                f"  {'total without font':<58} {totals['raw']:>8,} {totals['gzip']:>8,} "
                f"{totals['br']:>8,}"
            )
            print(
                f"  gzip: {ratio:.2f} x budget ({verdict}); compressed/raw "
                f"{totals['gzip'] / max(totals['raw'], 1):.2f}; "
                f"other hosts: {', '.join(foreign) if foreign else 'none'}\n"
            )
            failed |= totals["gzip"] > BUDGET or bool(foreign)
    visits_table(base, wire)
    if "--no-browser" not in sys.argv:
        walk_table(base, wire)
    server.shutdown()  # type: ignore[attr-defined]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
