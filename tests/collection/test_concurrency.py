"""Twenty submissions of one invitation at once: one response, nineteen clean refusals.

These tests commit for real (threads need their own connections), so they make their own
survey and delete it afterwards.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from consult import create_app
from consult.collection import drafts, invitations
from consult.collection.models import Response
from consult.surveys.models import Survey
from tests import factories
from tests.conftest import form_tokens

THREADS = 20


@pytest.fixture
def committed_survey(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    with Session(engine) as session:
        survey = factories.small(session, slug="concurrency")
        [(_inv, token)] = invitations.create_invitations(
            session, survey, [invitations.Invitee(group=survey.groups[0])]
        )
        _draft, code = drafts.save_draft(session, survey, {"q_name": ["x"]}, "en", None, None)
        session.commit()
        survey_id = survey.id
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app, token, survey_id, code
    with Session(engine) as session:
        session.execute(delete(Survey).where(Survey.id == survey_id))
        session.commit()
    from consult import db

    db.database(app).engine.dispose()


def test_one_invitation_from_twenty_tabs_at_once_stores_one_response(committed_survey, engine):
    app, token, survey_id, _code = committed_survey
    statuses = _race(app, f"/i/{token}?lang=en", THREADS)
    assert Counter(statuses) == {302: 1, 409: THREADS - 1}
    with Session(engine) as session:
        stored = session.scalar(
            select(func.count(Response.id)).where(Response.survey_id == survey_id)
        )
    assert stored == 1


def test_one_resume_code_finished_in_five_tabs_at_once_stores_one_response(
    committed_survey, engine
):
    app, _token, survey_id, code = committed_survey
    statuses = _race(app, f"/resume/{code}", 5)
    # The winner stores; a tab that arrives while it stores gets 409, one that arrives after it
    # finds the spent code unknown (404, like any wrong code). Never a second response or a 5xx.
    assert statuses.count(302) == 1 and len(statuses) == 5
    assert set(statuses) <= {302, 404, 409}
    with Session(engine) as session:
        stored = session.scalar(
            select(func.count(Response.id)).where(Response.survey_id == survey_id)
        )
    assert stored == 1


def _race(app, url, count):
    """``count`` clients load the form, then all submit at the same moment."""
    clients = [app.test_client() for _ in range(count)]
    forms = [{**form_tokens(c, url), **factories.valid_small_answers()} for c in clients]
    start = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def post(client, data):
        start.wait()
        status = client.post(url, data=data).status_code
        with lock:
            statuses.append(status)

    threads = [
        threading.Thread(target=post, args=pair) for pair in zip(clients, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses
