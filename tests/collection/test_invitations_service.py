"""Single-use invitations: random tokens stored only as hashes, one use each, revocable."""

from __future__ import annotations

from datetime import date

import pytest

from consult.collection import invitations
from consult.collection.models import Invitation
from tests import factories


def _make(session, survey, count=1, **kwargs):
    invitees = [invitations.Invitee(group=survey.groups[0], **kwargs)] * count
    return invitations.create_invitations(session, survey, invitees)


def test_tokens_are_random_and_only_their_hash_is_stored(session):
    survey = factories.small(session)
    made = _make(session, survey, count=3)
    tokens = [token for _, token in made]
    assert len(set(tokens)) == 3 and all(len(t) >= 20 for t in tokens)
    for invitation, token in made:
        assert invitation.token_hash == invitations.token_hash(token)
        assert token not in (invitation.token_hash, invitation.name or "")


def test_a_token_finds_its_invitation_and_nothing_else_does(session):
    survey = factories.small(session)
    ((invitation, token),) = _make(session, survey)
    assert invitations.find_invitation(session, token) is invitation
    assert (
        invitations.find_invitation(session, token[:-1] + ("A" if token[-1] != "A" else "B"))
        is None
    )
    assert invitations.find_invitation(session, "short") is None
    assert invitations.find_invitation(session, "x" * 65) is None


def test_an_invitation_is_used_once(session):
    survey = factories.small(session)
    ((invitation, _token),) = _make(session, survey)
    assert not invitations.is_used(session, invitation)
    invitations.mark_used(session, invitation, None)
    assert invitations.is_used(session, invitation)
    with pytest.raises(invitations.InvitationUsed):
        invitations.mark_used(session, invitation, None)
    assert invitations.is_used(session, invitation)  # the refused second use changed nothing


def test_revoked_and_expired_invitations_cannot_be_used(session):
    survey = factories.small(session)
    ((invitation, _),) = invitations.create_invitations(
        session, survey, [invitations.Invitee()], expires_on=date(2026, 12, 31)
    )
    assert invitation.usable_on(date(2026, 12, 31))
    assert not invitation.usable_on(date(2027, 1, 1))
    invitations.revoke(session, invitation)
    assert not invitation.usable_on(date(2026, 12, 1))


def test_an_invitation_is_loaded_through_its_survey(session):
    survey = factories.small(session)
    other = factories.small(session, slug="other")
    ((invitation, _),) = _make(session, survey)
    assert invitations.invitation_in_survey(session, survey, invitation.id) is invitation
    assert invitations.invitation_in_survey(session, other, invitation.id) is None
    assert isinstance(invitation, Invitation)
