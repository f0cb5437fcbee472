"""A live consult server on 127.0.0.1 and headless Debian Chromium driven by Playwright.

The browser is Debian's /usr/bin/chromium (installed by `make test`); a browser is never
downloaded. axe-core comes from the npm registry (package-lock.json, `make test` runs npm ci) and
is put into each page by the test, so the app serves nothing for testing. Where either cannot be
had the tests skip and say why, except under CI=true, where they must run.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from consult import create_app, db, migrations
from consult.accounts.roles import Role
from consult.accounts.users import create_user
from consult.authoring.definitions import builtin_definition, create_survey
from consult.collection import invitations
from consult.config import ensure_secret_key
from consult.surveys.models import SurveyState
from tests.factories import paged_definition, small_definition

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The NISP consultation closed, and a survey whose Urdu lacks most labels (English fallback).
CLOSED = "nisp-closed"
PARTLY_TRANSLATED = "partly-translated"
# Five pages of the NISP consultation that branch on the server (tests.factories).
PAGED = "nisp-paged"
ADMIN = ("organizer@example.org", "browser-test-password")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run under CI, but {reason}")
    pytest.skip(reason)


class _CloseDropped:
    """The live server's app, closing every response the server drops, and logging every
    request it is asked (method and path with query: what a browser really fetched).

    Werkzeug's development server closes a response only after writing it whole
    (serving.py, ``execute``): when Chromium hangs up mid-response (a font still loading as
    the test moves on), the response's file stays open, and ``filterwarnings = error`` makes
    the ResourceWarning an error in whichever test runs next.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.log: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        query = environ.get("QUERY_STRING")
        path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        self.log.append(f"{environ.get('REQUEST_METHOD')} {path}")
        return _Closing(self.app(environ, start_response))


class _Closing:
    def __init__(self, iterable: Any) -> None:
        self._iterable, self._closed = iterable, False

    def __iter__(self) -> Any:
        return iter(self._iterable)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if hasattr(self._iterable, "close"):
                self._iterable.close()

    def __del__(self) -> None:  # dropped by the server without close()
        self.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """consult on a free port with its own SQLite database holding the NISP consultation."""
    instance = tmp_path_factory.mktemp("instance")
    ensure_secret_key(instance)
    os.environ["CONSULT_INSTANCE_PATH"] = str(instance)
    app = create_app({"RATELIMIT_ENABLED": False})
    os.environ.pop("CONSULT_INSTANCE_PATH")
    with app.app_context():
        migrations.upgrade(db.database().engine)
        session = db.session()
        create_survey(session, builtin_definition(), SurveyState.open)
        create_survey(session, {**builtin_definition(), "slug": CLOSED}, SurveyState.closed)
        create_survey(session, small_definition(PARTLY_TRANSLATED), SurveyState.open)
        paged = create_survey(session, paged_definition(PAGED), SurveyState.open)
        # An invitation already used: the page a second click on it shows.
        [(used, used_token)] = invitations.create_invitations(
            session, paged, [invitations.Invitee()]
        )
        invitations.mark_used(session, used, None)
        create_user(session, ADMIN[0], Role.admin, ADMIN[1])
        session.commit()
    logged = _CloseDropped(app)
    server = make_server("127.0.0.1", 0, logged, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{server.server_port}",
        "app": app,
        "requests": logged.log,
        "used_invitation": used_token,
    }
    server.shutdown()
    db.database(app).engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (make test installs it)")
    if not shutil.which(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (make test installs Debian's chromium with apt-get)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    contexts = []

    def make(width: int = 360, height: int = 740, javascript: bool = True, **options: Any) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            accept_downloads=True,
            **options,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        _unavailable(f"{AXE} is missing (make test installs it with npm ci)")
    return AXE.read_text(encoding="utf-8")


def scripts_off_copy(page: Any, make_page: Any) -> Any:
    """The page as it stands, in a page that lets axe run: axe waits on timers, which a page
    loaded with JavaScript off never fires. The copy has the same URL, HTML and stylesheets;
    the page's own scripts are refused, so it stays as a browser without JavaScript shows it."""
    viewport = page.viewport_size
    copy = make_page(viewport["width"], viewport["height"], True)
    html, url = page.content(), page.url
    copy.route("**/*.js*", lambda route: route.abort())
    copy.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    copy.goto(url)
    return copy


def axe_violations(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now.

    Evaluated through the DevTools protocol, which the page's Content-Security-Policy (no
    inline or foreign script) does not govern: the page under test stays exactly as served.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
