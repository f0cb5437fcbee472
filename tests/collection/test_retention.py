"""Retention: past its date a survey keeps no responses, drafts or invitations once the job has
run, and the audit trail says so; `consult purge SLUG` does the same at once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from consult.accounts.audit import AuditEvent
from consult.accounts.roles import Role
from consult.collection import drafts, invitations
from consult.collection.models import Answer, Draft, Invitation, InvitationUse, Response
from consult.collection.retention import RETENTION, held
from consult.collection.synthetic import add_fake_responses
from consult.collection.tasks import run_retention
from tests import factories
from tests.conftest import form_tokens


def _fill(session, survey):
    list(add_fake_responses(session, survey, 25, seed=1))
    made = invitations.create_invitations(session, survey, [invitations.Invitee()] * 3)
    invitations.mark_used(session, made[0][0], None)
    drafts.save_draft(session, survey, {"q_name": ["x"]}, "en", None, None)
    session.flush()


def _count(session, model, survey):
    return session.scalar(
        select(func.count()).select_from(model).where(model.survey_id == survey.id)
    )


def test_the_job_empties_a_survey_past_its_date_and_only_that_one(app, session):
    past = factories.small(session, slug="past")
    kept = factories.small(session, slug="kept")
    for survey in (past, kept):
        _fill(session, survey)
    past.settings = {**past.settings, RETENTION: (date.today() - timedelta(days=1)).isoformat()}
    kept.settings = {**kept.settings, RETENTION: date.today().isoformat()}  # the last day kept
    session.flush()
    with app.app_context():
        assert run_retention() == 1
    session.expire_all()
    assert held(session, past) == {"responses": 0, "drafts": 0, "invitations": 0}
    assert held(session, kept) == {"responses": 25, "drafts": 1, "invitations": 3}
    past_responses = select(Response.id).where(Response.survey_id == past.id)
    assert not session.scalar(select(func.count()).where(Answer.response_id.in_(past_responses)))
    assert session.scalar(select(func.count()).select_from(InvitationUse)) == 1  # kept's
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "responses purged"))
    assert event.survey_slug == "past" and event.actor is None
    assert event.detail == {"why": "retention date passed", "responses": 25, "drafts": 1,
                            "invitations": 3}  # fmt: skip
    with app.app_context():
        assert run_retention() == 0  # nothing left to do


def test_consult_purge(runner, session):
    survey = factories.small(session)
    _fill(session, survey)
    result = runner.invoke(args=["purge", survey.slug, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Deleted 25 responses, 1 drafts, 3 invitations" in result.output
    session.expire_all()
    for model in (Response, Draft, Invitation):
        assert _count(session, model, survey) == 0


def test_the_survey_page_announces_the_date_and_admins_set_it(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.admin))
    url = f"/admin/surveys/{survey.slug}"
    page = client.get(url).get_data(as_text=True)
    # One form, in the page's body: not in its <title>, <head> or header (as a merge once left it).
    assert page.count('name="retention"') == 1
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<section" not in title and page.index('name="retention"') > page.index("<main")
    day = (date.today() + timedelta(days=90)).isoformat()
    client.post(f"{url}/retention", data={**form_tokens(client, url), "retention": day})
    assert f"will be deleted after {day}" in client.get(url).get_data(as_text=True)
    past = {**form_tokens(client, url), "retention": "2001-01-01"}
    client.post(f"{url}/retention", data=past)
    assert "The date is in the past" in client.get(url).get_data(as_text=True)
