"""Anonymous surveys' invitation uses waiting outside the database (collection/pending.py), in
both stores, and their recording in batches (collection/tasks.py)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.collection import invitations
from consult.collection.models import InvitationUse
from consult.collection.pending import STALE, FileUses, PendingUses, RedisUses
from consult.collection.tasks import record_pending_uses
from consult.surveys.models import Survey, SurveyState
from tests import factories

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["file", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PendingUses]:
    if request.param == "file":
        yield FileUses(tmp_path / "uses.sqlite")
        return
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS}: {error}")
    found = RedisUses(REDIS, prefix=f"test-pending-{secrets.token_hex(4)}")
    yield found
    for key in found.redis.scan_iter(f"{found.prefix}:*"):
        found.redis.delete(key)


def _waiting(session: Session, survey: Survey, store: PendingUses, n: int) -> list[int]:
    """n invitations of ``survey`` used and confirmed, as answering leaves them."""
    made = invitations.create_invitations(
        session, survey, [invitations.Invitee(group=survey.groups[0])] * n
    )
    for invitation, _token in made:
        assert store.claim(invitation.id, survey.id, invitation.group_id)
        store.confirm(invitation.id)
    return [invitation.id for invitation, _token in made]


def _recorded(session: Session, ids: list[int]) -> list[InvitationUse]:
    return list(session.scalars(select(InvitationUse).where(InvitationUse.invitation_id.in_(ids))))


def test_a_claim_is_exclusive_until_released(store: PendingUses) -> None:
    assert store.claim(101, 7, 3)
    assert not store.claim(101, 7, 3)  # a second tab, a second request
    assert store.holds(101) and store.confirmed(7) == []  # claimed, not yet confirmed
    store.release(101)  # storing the response failed
    assert not store.holds(101)
    assert store.claim(101, 7, 3)
    store.confirm(101)
    assert store.confirmed(7) == [(101, 3)] and 7 in store.surveys()


def test_a_crashed_request_s_claim_is_released_but_a_confirmed_use_stays(
    store: PendingUses,
) -> None:
    assert store.claim(201, 8, None) and store.claim(202, 8, None)
    store.confirm(202)
    assert store.release_stale(now=time.time() + STALE + 1) == 1
    assert not store.holds(201) and store.holds(202)


def test_uses_are_recorded_only_a_batch_at_a_time(
    app: Flask, session: Session, store: PendingUses
) -> None:
    survey = factories.small(session)
    assert survey.anonymous
    first = _waiting(session, survey, store, 4)
    with app.app_context():
        assert record_pending_uses(store, 5) == 0  # four would narrow the guess to four
        assert _recorded(session, first) == [] and all(store.holds(i) for i in first)
        last = _waiting(session, survey, store, 1)
        assert record_pending_uses(store, 5) == 5
    uses = _recorded(session, first + last)
    assert len(uses) == 5 and all(use.response_id is None for use in uses)
    assert not any(store.holds(i) for i in first + last) and store.confirmed(survey.id) == []


def test_a_closed_survey_lets_fewer_than_a_batch_go_unrecorded(
    app: Flask, session: Session, store: PendingUses
) -> None:
    survey = factories.small(session)
    waiting = _waiting(session, survey, store, 3)
    survey.state = SurveyState.closed
    session.flush()
    with app.app_context():
        assert record_pending_uses(store, 5) == 0
    assert _recorded(session, waiting) == [] and store.confirmed(survey.id) == []
