"""Save and continue later; what happens when the database fails."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from consult.collection import drafts, invitations
from consult.collection.models import Draft, InvitationUse, Response
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import form_tokens

CODE = re.compile(r'class="resume-code"[^>]*><strong>([0-9A-Z-]+)</strong>')


def count(session, model=Response) -> int:
    return session.scalar(select(func.count()).select_from(model))


def save_halfway(client, url="/s/small", **changes):
    data = {
        **form_tokens(client, url),
        "q_group": "media",
        "q_name": "Half done",
        "save": "1",
        **changes,
    }
    response = client.post(url, data=data)
    assert response.status_code == 200, response.status_code
    return CODE.search(response.get_data(as_text=True)).group(1)


def test_save_then_resume_in_another_browser_and_finish(app, client, session):
    factories.small(session)
    code = save_halfway(client)
    assert count(session, Draft) == 1 and count(session) == 0
    other = app.test_client()  # a new browser: nothing but the code
    page = other.get(f"/resume/{code.lower()}").get_data(as_text=True)
    assert 'value="Half done"' in page
    assert 'name="q_group" value="media" checked' in page
    url = f"/resume/{code}"
    data = {**form_tokens(other, url), **factories.valid_small_answers(), "q_name": "Now finished"}
    assert other.post(url, data=data).status_code == 302
    assert count(session) == 1 and count(session, Draft) == 0  # the draft is gone with the submit
    assert other.get(url).status_code == 404


def test_code_typed_on_the_resume_page(client, session):
    factories.small(session)
    code = save_halfway(client)
    tokens = form_tokens(client, "/resume")
    typed = code.replace("-", " ").lower().replace("0", "o")  # as a person may type it
    response = client.post("/resume", data={**tokens, "code": typed})
    assert response.status_code == 302 and response.location.endswith(code.replace("-", ""))
    wrong = client.post("/resume", data={**tokens, "code": "ZZZZ-ZZZZ-ZZZZ"})
    assert wrong.status_code == 404
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in wrong.get_data(as_text=True)


def test_saving_again_updates_the_same_draft(client, session):
    factories.small(session)
    code = save_halfway(client)
    url = f"/resume/{code}"
    data = {**form_tokens(client, url), "q_name": "Changed", "save": "1"}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "same code or link" in page
    assert count(session, Draft) == 1
    assert session.scalar(select(Draft)).data["q_name"] == ["Changed"]


def test_resume_after_the_survey_closed_is_refused(client, session):
    survey = factories.small(session)
    code = save_halfway(client)
    survey.close()
    session.flush()
    response = client.get(f"/resume/{code}")
    assert response.status_code == 410


def test_unknown_and_expired_codes_look_the_same(client, session):
    factories.small(session)
    code = save_halfway(client)
    draft = session.scalar(select(Draft))
    from datetime import date, timedelta

    draft.expires_on = date.today() - timedelta(days=1)
    session.flush()
    expired = client.get(f"/resume/{code}")
    unknown = client.get(f"/resume/{drafts.new_code()}")
    assert expired.status_code == unknown.status_code == 404
    assert expired.get_data(as_text=True) == unknown.get_data(as_text=True)


def test_anonymous_draft_from_an_invitation_keeps_no_link(client, session):
    survey = factories.small(session)
    [(invitation, token)] = invitations.create_invitations(
        session, survey, [invitations.Invitee(group=survey.groups[1])]
    )
    code = save_halfway(client, f"/i/{token}")
    draft = session.scalar(select(Draft))
    assert draft.invitation_id is None and draft.group.code == "academia"
    # The invitation is spent (it waits outside the database for a batch: pending.py).
    assert session.get(InvitationUse, invitation.id) is None
    assert client.get(f"/i/{token}").status_code == 409
    url = f"/resume/{code}"
    assert (
        client.post(
            url, data={**form_tokens(client, url), **factories.valid_small_answers()}
        ).status_code
        == 302
    )
    stored = session.scalar(select(Response))
    assert stored.group.code == "academia"
    assert session.get(InvitationUse, invitation.id) is None  # nothing links the two


def test_database_failure_on_submit_keeps_every_answer(app, client, session, monkeypatch):
    factories.small(session)
    url = "/s/small"
    data = {**form_tokens(client, url), **factories.valid_small_answers()}

    def fail(*_args, **_kwargs):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    from sqlalchemy.orm import Session

    monkeypatch.setattr(Session, "commit", fail)
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "We could not save your answers just now" in page
    assert 'value="Ayesha"' in page and "More coordination." in page
    monkeypatch.undo()
    assert count(session) == 0


def test_saving_is_refused_on_a_closed_survey(client, session):
    survey = factories.small(session)
    tokens = form_tokens(client, "/s/small")
    survey.state = SurveyState.closed
    session.flush()
    response = client.post("/s/small", data={**tokens, "q_name": "x", "save": "1"})
    assert response.status_code == 410
    assert count(session, Draft) == 0


def test_identified_draft_from_an_invitation_links_the_final_response(client, session):
    survey = factories.small(session, anonymous=False)
    [(invitation, token)] = invitations.create_invitations(session, survey, [invitations.Invitee()])
    code = save_halfway(client, f"/i/{token}")
    assert session.scalar(select(Draft)).invitation_id == invitation.id
    url = f"/resume/{code}"
    data = {**form_tokens(client, url), **factories.valid_small_answers()}
    assert client.post(url, data=data).status_code == 302
    stored = session.scalar(select(Response))
    assert session.get(InvitationUse, invitation.id).response_id == stored.id
