"""Lists of people uploaded for invitations, and the counts organizers see."""

from __future__ import annotations

import pytest

from consult.collection import invitations
from consult.distribution import invitation_lists
from consult.problems import Refusal
from tests import factories


def test_groups_are_read_by_code_or_by_label_in_any_language(session):
    survey = factories.small(session)
    media, academia = survey.groups
    rows = [["Ali", "ali@example.org", "", "media"], ["Sara", "", "0300", "تعلیمی و تحقیقی حلقے"],
            ["Nida", "", "", ""]]  # fmt: skip
    found = invitation_lists.invitees_from_sheet(
        survey, ["name", "email", "phone", "group"], rows, default=media
    )
    assert [(i.name, i.contact, i.group) for i in found] == [
        ("Ali", "ali@example.org", media),
        ("Sara", "0300", academia),
        ("Nida", None, media),  # no group in the row: the default
    ]


def test_every_bad_row_is_named_and_nothing_is_made(session):
    survey = factories.small(session)
    rows = [["A", "nobody"], ["B", ""], ["C", "media"]]
    with pytest.raises(Refusal) as refused:
        invitation_lists.invitees_from_sheet(survey, ["name", "group"], rows, default=None)
    messages = refused.value.messages()
    assert any("row 2" in m and "'nobody'" in m for m in messages)
    assert any("row 3" in m and "no default group" in m for m in messages)
    assert not any("row 4" in m for m in messages)


def test_a_list_without_known_columns_is_refused(session):
    survey = factories.small(session)
    with pytest.raises(Refusal, match="name the columns"):
        invitation_lists.invitees_from_sheet(survey, ["who", "where"], [["a", "b"]], None)


def test_counts_per_group(session):
    survey = factories.small(session)
    media, academia = survey.groups
    made = invitations.create_invitations(
        session,
        survey,
        [invitations.Invitee(group=media)] * 3 + [invitations.Invitee(group=academia)],
    )
    invitations.mark_used(session, made[0][0], None)
    invitations.revoke(session, made[1][0])
    counts = {c.group: c for c in invitation_lists.invitation_counts(session, survey, "en")}
    assert (counts["Media"].made, counts["Media"].used, counts["Media"].revoked) == (3, 1, 1)
    assert (counts["Academia"].made, counts["Academia"].used) == (1, 0)
