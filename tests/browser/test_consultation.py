"""A whole consultation from the browser: an admin invites an organizer by e-mail (a real SMTP
server in the test process), the organizer signs up, sees only the survey given to them, sends
20 invitations and a reminder, reviews the responses, leaves out a flagged speeder, and the
results page shows the figures with and without it; the audit trail lists every step."""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from itsdangerous import TimestampSigner
from werkzeug.serving import make_server

from consult import create_app, db, jobs, migrations
from consult.accounts.roles import Role
from consult.accounts.users import create_user
from consult.authoring.definitions import builtin_definition, create_survey
from consult.collection import timing
from consult.collection.pending import pending_uses
from consult.collection.synthetic import as_formdata, fake_answers
from consult.collection.tasks import record_pending_uses
from consult.config import ensure_secret_key
from consult.surveys.loading import survey_by_slug
from consult.surveys.models import SurveyState
from tests.browser.conftest import ARTIFACTS, axe_violations
from tests.browser.test_respond import RECOMMENDATIONS
from tests.conftest import MailServer

pytestmark = pytest.mark.browser

ADMIN = ("chief@example.org", "chief admin passphrase")
ORGANIZER = "organizer.new@example.org"
SURVEY, OTHER = "nisp-consultation", "other-consultation"
INPUT = re.compile(r'name="(csrf_token|nonce)" type="hidden" value="([^"]+)"')


@pytest.fixture
def consultation(tmp_path, smtp: MailServer) -> Iterator[dict[str, Any]]:
    """consult on a free port: its own SQLite instance, jobs run at once, mail to ``smtp``."""
    saved = (jobs.huey.storage_class, jobs.huey.storage_kwargs, jobs.huey._immediate, jobs.huey.app)
    ensure_secret_key(tmp_path)
    os.environ["CONSULT_INSTANCE_PATH"] = str(tmp_path)
    app = create_app({"RATELIMIT_ENABLED": False, "JOBS_IMMEDIATE": True, "MAIL_URL": smtp.url,
                      "MAIL_FROM": "consult@example.org"})  # fmt: skip
    os.environ.pop("CONSULT_INSTANCE_PATH")
    with app.app_context():
        migrations.upgrade(db.database().engine)
        session = db.session()
        create_survey(session, builtin_definition(), SurveyState.open)
        create_survey(session, {**builtin_definition(), "slug": OTHER}, SurveyState.open)
        create_user(session, ADMIN[0], Role.admin, ADMIN[1])
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": url, "app": app}
    server.shutdown()
    db.database(app).engine.dispose()
    jobs.huey.configure(saved[0], saved[2], **saved[1])
    jobs.huey.app = saved[3]


def _sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/auth/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')


def _answer_over_http(context, app, link: str, seed: int, minutes: float) -> int:
    """An invitee who took ``minutes`` over the form: their nonce carries when it was handed
    out (back-dated here: a test cannot wait ten minutes per respondent)."""
    page = context.request.get(link)
    fields = dict(INPUT.findall(page.text()))
    raw = fields["nonce"].split(".")[0]
    with app.app_context():
        survey = survey_by_slug(db.session(), SURVEY)
        answers = as_formdata(survey, fake_answers(survey, random.Random(seed)))

        class Earlier(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(time.time() - minutes * 60)

        nonce = Earlier(app.secret_key, salt=timing.SALT).sign(raw).decode()
    body = urlencode([("csrf_token", fields["csrf_token"]), ("nonce", nonce), *answers])
    response = context.request.post(
        link, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )  # fmt: skip
    return response.status


def _answer_quickly(page) -> None:
    """Everything the invitation leaves to answer (its link fixes the group), in seconds."""
    page.check('input[name="q_province"][value="sindh"]')
    for code in RECOMMENDATIONS:
        page.check(f'input[name="q_{code}_agree"][value="1"]')
        page.check(f'input[name="q_{code}_feasible"][value="1"]')
    for rank, code in enumerate(RECOMMENDATIONS, start=1):
        page.select_option(f'select[name="q_priority_ranking-{code}"]', str(rank))


def test_a_consultation_run_from_the_browser(consultation, smtp, page_factory, tmp_path):
    url, app = consultation["url"], consultation["app"]

    # 1. The admin invites an organizer for the NISP consultation only.
    admin = page_factory(width=1280, height=900)
    _sign_in(admin, url, *ADMIN)
    admin.goto(f"{url}/admin/team/")
    admin.fill('input[name="email"]', ORGANIZER)
    admin.select_option('select[name="role"]', "organizer")
    admin.locator("label.choice", has_text=SURVEY).locator('input[name="survey"]').check()
    admin.click('button:has-text("Invite")')
    assert admin.locator(".new-signup-link").is_visible()
    [invitation] = smtp.to(ORGANIZER)
    link = re.search(r"http://\S+/auth/sign-up/\S+", invitation.get_content()).group(0)

    # 2. The organizer signs up from the link and sees only that survey.
    organizer = page_factory(width=1280, height=900)
    organizer.goto(link)
    organizer.fill('input[name="password"]', "lantern river morning")
    organizer.fill('input[name="confirm"]', "lantern river morning")
    organizer.click('button:has-text("Create my account")')
    assert organizer.url.endswith("/admin/")
    listed = organizer.locator("table.surveys tbody tr")
    listed.first.wait_for()  # the list, loaded (count() does not wait)
    assert listed.count() == 1 and SURVEY in listed.inner_text()
    assert OTHER not in organizer.content()

    # 3. Twenty invitations by e-mail, from a list.
    people = tmp_path / "people.csv"
    rows = "".join(f"Invitee {n},invitee{n}@example.org,media\n" for n in range(20))
    people.write_text("name,email,group\n" + rows, encoding="utf-8")
    organizer.goto(f"{url}/admin/surveys/{SURVEY}")
    organizer.click("text=Invitations by e-mail, with reminders")
    organizer.set_input_files('input[name="file"]', str(people))
    organizer.click('button:has-text("Send the invitations")')
    assert organizer.locator('td[data-state="sent"]').inner_text() == "20"
    links = {m["To"]: re.search(r"http://\S+/i/\S+", m.get_content()).group(0)
             for m in smtp.messages if m["To"].startswith("invitee")}  # fmt: skip
    assert len(links) == 20

    # Twelve answer: eleven took about ten minutes, one rushed through in the browser.
    respondents = page_factory()
    for n in range(11):
        status = _answer_over_http(respondents.context, app, links[f"invitee{n}@example.org"],
                                   seed=n, minutes=8 + n * 0.4)  # fmt: skip
        assert status == 302
    speeder = page_factory(width=1280, height=900)
    speeder.goto(links["invitee11@example.org"])
    _answer_quickly(speeder)
    speeder.click('button:has-text("Submit")')
    speeder.wait_for_url(re.compile(r"/thanks"))

    # 4. The worker records the waiting invitation uses, a batch at a time (the survey is
    # anonymous: collection/pending.py); then a reminder goes to the eight who have not answered.
    with app.app_context():
        assert record_pending_uses(pending_uses(), 5) == 12
    smtp.messages.clear()
    organizer.goto(f"{url}/admin/surveys/{SURVEY}/mail/")
    assert "8 people can get a reminder now" in organizer.content()
    organizer.click('button:has-text("Send a reminder now")')
    reminded = sorted(m["To"] for m in smtp.messages)
    assert reminded == sorted(f"invitee{n}@example.org" for n in range(12, 20))

    # 5. Review: the checks flag the speeder, who is left out with a reason.
    organizer.goto(f"{url}/admin/surveys/{SURVEY}")
    organizer.click("text=Review responses: quality flags, leaving responses out")
    organizer.click('button:has-text("Check the responses now")')
    assert organizer.locator('.flag-count[data-flag="speeding"] strong').inner_text() == "1"
    organizer.select_option('select[name="flag"]', "speeding")
    organizer.click('form.filters button:has-text("Show")')
    organizer.locator("table.review tbody a").first.click()
    assert "against a median of" in organizer.content()
    organizer.screenshot(path=str(ARTIFACTS / "review-response.png"), full_page=True)
    organizer.fill('input[name="reason"]', "answered the whole consultation in seconds")
    organizer.click('button:has-text("Leave out of figures and exports")')
    assert organizer.locator(".excluded-note").is_visible()

    # 6. The results page: figures without the speeder by default, and with it beside them.
    organizer.goto(f"{url}/admin/surveys/{SURVEY}/results")
    assert organizer.locator("strong.total").first.inner_text() == "11"
    notice = organizer.locator("section.exclusion")
    assert "leave out the 1 response excluded after review" in notice.inner_text()
    assert "With them: 12 responses." in notice.inner_text()
    assert notice.locator("table.compare tbody tr").count() == 6
    notice.screenshot(path=str(ARTIFACTS / "results-with-without.png"))
    organizer.click("text=Show the figures with them")
    assert organizer.locator("strong.total").first.inner_text() == "12"

    # 7. The audit trail lists every step.
    admin.goto(f"{url}/admin/audit/")
    actions = admin.locator("table.audit td.action").all_inner_texts()
    for step in ("account invited", "account created", "sign-in", "invitations sent",
                 "reminders sent", "quality checked", "response excluded"):  # fmt: skip
        assert step in actions, f"{step} missing from {actions}"
    assert ORGANIZER in admin.locator("table.audit").inner_text()
    admin.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_staff_and_invitee_pages_pass_axe(consultation, smtp, page_factory, axe_source, lang):
    """The new pages, in English and Urdu: no serious or critical accessibility violation."""
    url = consultation["url"]
    page = page_factory(width=360, height=740)
    _sign_in(page, url, *ADMIN)
    paths = ["/admin/team/", "/account", "/admin/audit/", f"/admin/surveys/{SURVEY}/mail/",
             f"/admin/surveys/{SURVEY}/review/", f"/admin/surveys/{SURVEY}/close",
             f"/admin/surveys/{SURVEY}", "/admin/"]  # fmt: skip
    found = {}
    for path in paths:
        page.goto(f"{url}{path}{'&' if '?' in path else '?'}lang={lang}")
        found[path] = axe_violations(page, axe_source)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"staff-{name}-{lang}-360.png"), full_page=True)
    visitor = page_factory(width=360, height=740)
    visitor.goto(f"{url}/u/1-000000000000000000000000?lang={lang}")  # an invitee's page
    found["unsubscribe"] = axe_violations(visitor, axe_source)
    assert {path: v for path, v in found.items() if v} == {}
