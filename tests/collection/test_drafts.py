"""Save and resume: codes people can type, drafts found only while unexpired, one response per
draft, and expired drafts purged."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from consult.collection import drafts
from consult.collection.models import Draft
from tests import factories


def test_codes_are_read_as_people_type_them():
    code = drafts.new_code()
    assert len(code) == drafts.CODE_LENGTH and set(code) <= set(drafts.ALPHABET)
    shown = drafts.display_code(code)
    assert shown.count("-") == 2
    typed = shown.lower().replace("-", " ")
    assert drafts.normalise_code(typed) == code
    assert drafts.normalise_code("o1l-i") == "0111"  # O reads as 0, I and L as 1
    assert drafts.code_hash(shown) == drafts.code_hash(code)


def test_a_draft_is_found_by_its_code_until_it_expires(session):
    survey = factories.small(session)
    group = survey.groups[0]
    today = date(2026, 12, 4)
    draft, code = drafts.save_draft(
        session, survey, {"q_name": ["Ayesha"]}, "ur", group, None, today=today
    )
    assert code is not None and draft.code_hash != code  # only the hash is stored
    assert draft.expires_on == today + timedelta(days=drafts.DEFAULT_DAYS)
    assert drafts.find_draft(session, code, today=today) is draft
    assert drafts.find_draft(session, code.lower(), today=draft.expires_on) is draft
    assert drafts.find_draft(session, code, today=draft.expires_on + timedelta(days=1)) is None
    assert drafts.find_draft(session, "SHORT", today=today) is None


def test_saving_again_updates_the_draft_and_gives_no_new_code(session):
    survey = factories.small(session)
    draft, code = drafts.save_draft(session, survey, {"q_name": ["A"]}, "en", None, None)
    again, new_code = drafts.save_draft(session, survey, {"q_name": ["B"]}, "ur", None, None, draft)
    assert again is draft and new_code is None
    assert draft.data == {"q_name": ["B"]} and draft.language == "ur"
    assert drafts.find_draft(session, code) is draft


def test_a_draft_yields_one_response_only(session):
    survey = factories.small(session)
    draft, _code = drafts.save_draft(session, survey, {}, "en", None, None)
    assert drafts.take_draft(session, draft) is None  # no invitation kept
    with pytest.raises(drafts.DraftGone):
        drafts.take_draft(session, draft)


def test_anonymous_drafts_keep_no_link_to_the_invitation(session):
    from consult.collection import invitations

    survey = factories.small(session)
    ((invitation, _token),) = invitations.create_invitations(
        session, survey, [invitations.Invitee(group=survey.groups[0])]
    )
    draft, _code = drafts.save_draft(session, survey, {}, "en", None, invitation)
    assert draft.invitation_id is None


def test_expired_drafts_are_purged(session):
    survey = factories.small(session)
    today = date(2026, 12, 4)
    old, _ = drafts.save_draft(session, survey, {}, "en", None, None, today=today - timedelta(60))
    fresh, _ = drafts.save_draft(session, survey, {}, "en", None, None, today=today)
    assert drafts.purge_expired(session, today=today) == 1
    session.expire_all()
    remaining = set(session.scalars(select(Draft.id).where(Draft.survey_id == survey.id)))
    assert remaining == {fresh.id} and old.id not in remaining


def test_form_data_keeps_only_answer_fields():
    from werkzeug.datastructures import MultiDict

    posted = MultiDict([("q_tools", "pen"), ("q_tools", "radio"), ("csrf_token", "x")])
    assert drafts.form_data(posted, "q_") == {"q_tools": ["pen", "radio"]}


def test_expired_drafts_are_purged_nightly_and_on_demand(app, runner, session):
    from consult.collection.tasks import purge_expired_drafts
    from consult.jobs import huey

    survey = factories.small(session)
    long_ago = date.today() - timedelta(days=90)
    for _ in range(2):
        drafts.save_draft(session, survey, {}, "en", None, None, today=long_ago)
    drafts.save_draft(session, survey, {}, "en", None, None)
    session.commit()
    result = runner.invoke(args=["purge-drafts"])
    assert result.exit_code == 0 and "Purged 2 expired drafts." in result.output
    drafts.save_draft(session, survey, {}, "en", None, None, today=long_ago)
    session.commit()
    with app.app_context():
        assert purge_expired_drafts.call_local() == 1
    nightly = huey.read_periodic(datetime(2026, 12, 5, 3, 17))  # as the worker reads it
    assert any(task.name.endswith("purge_expired_drafts") for task in nightly)
