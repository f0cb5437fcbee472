"""A live consult server on 127.0.0.1 and headless Debian Chromium driven by Playwright.

The browser is Debian's /usr/bin/chromium (installed by `make test`); a browser is never
downloaded. Where it cannot be had the tests skip and say why, except under CI=true, where
they must run.
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

from consult import create_app, db
from consult.config import ensure_secret_key
from consult.models import Role, SurveyState
from consult.services import migrations
from consult.services.definitions import builtin_definition, create_survey
from consult.services.users import create_user

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
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
        create_user(session, ADMIN[0], Role.admin, ADMIN[1])
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
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

    def make(width: int = 360, height: int = 740, javascript: bool = True) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
