"""Response counts for the survey page and the monitor: by group, province, channel and day."""

from __future__ import annotations

from consult.collection.models import Channel
from consult.distribution import monitoring
from tests import factories


def _fill(session, survey):
    factories.answered(session, survey, {"group": "media", "colour": "red"})
    factories.answered(session, survey, {"group": "media", "colour": "blue"}, channel=Channel.paper)
    factories.answered(session, survey, {"group": "academia", "colour": "red"})
    factories.answered(session, survey, {"colour": "green"})  # no group given
    factories.answered(session, survey, {"group": "media"})  # no province given


def test_counts_by_group_province_and_channel(session):
    survey = factories.small(session)
    _fill(session, survey)
    counts = monitoring.response_counts(session, survey, "en", not_given="–")
    assert counts.total == 5
    assert counts.by_group == [("Media", 3), ("Academia", 1), ("–", 1)]
    assert counts.by_region == [("Red", 2), ("Green", 1), ("Blue", 1), ("–", 1)]
    assert dict(counts.by_channel) == {"web": 4, "paper": 1}


def test_the_board_crosses_groups_with_provinces_channels_and_days(session):
    survey = factories.small(session)
    survey.groups[0].target, survey.groups[0].quota = 6, 10
    _fill(session, survey)
    board = monitoring.board(session, survey, "ur", "–")
    assert board.total == 5
    media = board.groups[0]
    assert (media.label, media.count, media.target, media.percent) == ("میڈیا", 3, 6, 50)
    assert board.cross["میڈیا"] == {"red": 1, "blue": 1, "": 1}
    assert board.by_channel["میڈیا"] == {"web": 2, "paper": 1}
    assert sum(n for _day, n in board.by_day) == 5
    assert board.groups[-1].label == "–"  # responses without a group are shown, not lost


def test_an_empty_survey_counts_nothing(session):
    survey = factories.small(session)
    counts = monitoring.response_counts(session, survey, "en", not_given="–")
    assert counts.total == 0 and counts.by_region == [("Red", 0), ("Green", 0), ("Blue", 0)]
    board = monitoring.board(session, survey, "en", "–")
    assert board.total == 0 and "–" not in board.cross
