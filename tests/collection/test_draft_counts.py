"""Saved but unsubmitted responses are counted on the survey page: how many, and when they
expire; never their answers."""

from __future__ import annotations

from datetime import date, timedelta

from consult.accounts.roles import Role
from consult.collection.drafts import draft_counts, save_draft
from tests import factories

SECRET_ANSWER = "a draft's words never leave it"


def test_drafts_are_counted_with_their_expiry(session):
    survey = factories.small(session)
    other = factories.small(session, slug="other")
    today = date(2026, 12, 4)
    data = {"q_comment": [SECRET_ANSWER]}
    for days_ago in (0, 0, 25, 40):  # saved then; 30 days to live (the default)
        save_draft(session, survey, data, "en", None, None, today=today - timedelta(days=days_ago))
    save_draft(session, other, data, "en", None, None, today=today)
    counts = draft_counts(session, survey, today=today)
    # The one saved 40 days ago has expired; the one saved 25 days ago expires within 7.
    assert (counts.waiting, counts.soon) == (3, 1)
    assert counts.first_expiry == today + timedelta(days=5)
    assert counts.last_expiry == today + timedelta(days=30)
    empty = draft_counts(session, factories.small(session, slug="none"), today=today)
    assert (empty.waiting, empty.first_expiry) == (0, None)


def test_the_survey_page_shows_the_counts_and_no_content(client, session):
    survey = factories.small(session)
    save_draft(session, survey, {"q_comment": [SECRET_ANSWER]}, "en", None, None)
    account = factories.user(session, Role.organizer, survey=survey)
    factories.login(client, account)
    page = client.get(f"/admin/surveys/{survey.slug}").get_data(as_text=True)
    expiry = (date.today() + timedelta(days=30)).isoformat()
    assert "1 saved but not submitted" in page and expiry in page
    assert SECRET_ANSWER not in page
