"""Figures per question × group and × province, checked against answers worked out by hand."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis import summarising
from consult.analysis.comments import open_answers
from consult.analysis.filters import Filters
from consult.analysis.summarising import OVERALL, WEIGHTED, Status, Thresholds
from consult.surveys.models import Survey
from consult.surveys.questions.figures import weighted_quantile
from tests import factories, known_answers


@pytest.fixture
def nisp(session) -> Survey:
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    return survey


def _summary(session, survey, filters=None, thresholds=None):
    return summarising.summarise(summarising.frames(session, survey, filters), survey, thresholds)


def _question(survey, code):
    return next(q for q in survey.questions if q.code == code)


def test_agreement_matrix_matches_the_hand_worked_figures(session, nisp):
    summary = _summary(session, nisp)
    result = summary.result(_question(nisp, "coordination_agree"))
    cells = result.by_group
    assert summary.total == 30
    assert cells["media"].get("agree") == pytest.approx(5 / 8)
    assert cells["media"].get("disagree") == pytest.approx(2 / 8)
    assert cells["media"].get("mean") == pytest.approx(3.5)
    assert (cells["media"].get("q1"), cells["media"].get("median")) == (2.5, 4)
    assert (cells["media"].get("q3"), cells["media"].get("iqr")) == (4.5, 2.0)
    assert cells["academia"].get("agree") == pytest.approx(6 / 7)
    assert cells["academia"].get("mean") == pytest.approx(31 / 7)
    assert cells["academia"].get("iqr") == 1
    assert cells["community"].get("agree") == pytest.approx(1 / 6)
    assert cells["community"].get("disagree") == pytest.approx(4 / 6)
    assert cells[OVERALL].get("agree") == pytest.approx(18 / 30)
    assert cells[WEIGHTED].get("agree") == pytest.approx((5 / 8 + 6 / 7 + 1 / 6) / 3)
    assert cells[OVERALL].n == 30
    assert result.consensus["academia"] == "agree"
    assert result.consensus["media"] is None and result.consensus[OVERALL] is None


def test_a_group_of_four_has_no_figures_and_its_neighbour_is_hidden_too(session, nisp):
    result = _summary(session, nisp).result(_question(nisp, "coordination_agree"))
    scholars = result.by_group["religious_scholars"]
    assert scholars.status == Status.small
    assert scholars.n is None and scholars.figures == {} and scholars.get("agree") is None
    # Overall minus the groups shown would give the four scholars away: civil society (5, the
    # smallest group shown) is hidden with them.
    civil = result.by_group["civil_society"]
    assert civil.status == Status.hidden and civil.figures == {} and civil.n == 5
    assert result.by_group["security"].status == Status.empty


def test_suppression_covers_every_question_and_the_province_breakdown(session, nisp):
    summary = _summary(session, nisp)
    answered = [r for r in summary.results if r.by_group[OVERALL].status == Status.ok]
    assert len(answered) == 15  # province, sources, 12 scales, ranking
    for result in answered:
        assert not result.by_group["religious_scholars"].figures, result.question.code
        assert result.by_region["kp"].status == Status.small  # the scholars' province
        assert not result.by_region["kp"].figures
    assert summary.small_groups == {"religious_scholars"}


def test_divergence_flags_where_groups_split(session, nisp):
    summary = _summary(session, nisp)
    split = summary.result(_question(nisp, "coordination_agree")).divergence
    assert split is not None and split.groups == 3
    assert split.spread == pytest.approx(31 / 7 - 13 / 6)
    assert split.split
    calm = summary.result(_question(nisp, "monitoring_agree")).divergence
    assert calm is not None and calm.spread == 0 and not calm.split


def test_ranking_mean_rank_and_borda_points(session, nisp):
    result = _summary(session, nisp).result(_question(nisp, "priority_ranking"))
    cells = result.by_group
    assert cells["media"].get("rank:coordination") == 1
    assert cells["media"].get("borda:coordination") == 40
    assert cells["academia"].get("rank:coordination") == pytest.approx(11 / 7)
    assert cells["academia"].get("borda:coordination") == 31
    assert cells["community"].get("borda:coordination") == 0
    assert cells[OVERALL].get("rank:coordination") == pytest.approx(87 / 30)
    assert cells[WEIGHTED].get("rank:coordination") == pytest.approx((1 + 11 / 7 + 6) / 3)
    # Six items: the mean ranks of one respondent set always add up to 1 + 2 + … + 6.
    total = sum(cells[OVERALL].get(f"rank:{code}") for code in known_answers.ITEMS)
    assert total == pytest.approx(21)


def test_multi_select_shares_of_each_option(session, nisp):
    cells = _summary(session, nisp).result(_question(nisp, "information_sources")).by_group
    assert cells["media"].get("pct:tv") == 1
    assert cells["media"].get("pct:radio") == pytest.approx(4 / 8)
    assert cells["media"].get("pct:newspapers") == 0


def test_consensus_thresholds_come_from_the_survey_settings(session, nisp):
    nisp.settings = {"analysis": {"consensus_share": 0.6, "consensus_iqr": 2}}
    result = _summary(session, nisp).result(_question(nisp, "coordination_agree"))
    assert result.consensus["media"] == "agree"  # 62.5% with IQR 2
    assert result.consensus[OVERALL] is None  # 60% agree, but the IQR is 5 - 2 = 3
    assert Thresholds.of(nisp).consensus_share == 0.6


def test_k_comes_from_the_survey(session, nisp):
    nisp.k_min = 4
    cells = _summary(session, nisp).result(_question(nisp, "coordination_agree")).by_group
    assert cells["religious_scholars"].get("agree") == pytest.approx(1 / 4)
    assert cells["civil_society"].get("agree") == 1


def test_filters_by_language_and_days(session, nisp):
    urdu = _summary(session, nisp, Filters(language="ur"))
    assert urdu.total == 3 + 3 + 2 + 2 + 2  # every third response of each group
    assert _summary(session, nisp, Filters(channel="paper")).total == 0
    today = date.today()
    assert _summary(session, nisp, Filters(since=today, until=today)).total == 30


def test_a_survey_without_responses_has_empty_figures(session):
    survey = factories.nisp(session)
    summary = _summary(session, survey)
    assert summary.total == 0 and summary.first is None
    result = summary.result(_question(survey, "coordination_agree"))
    assert result.by_group[OVERALL].status == Status.empty
    assert result.divergence is None
    assert list(open_answers(session, summary)) == []


def test_a_group_of_one_is_small(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    summary = _summary(session, survey, Filters(language="ur"))
    media = summary.result(_question(survey, "coordination_agree")).by_group["media"]
    assert media.status == Status.small  # 3 of 8 media responses are in Urdu


def test_comments_of_a_small_group_lose_the_group_and_are_sorted_by_text(session, nisp):
    summary = _summary(session, nisp)
    listed = [(q.code, group, text) for q, group, text in open_answers(session, summary)]
    scholars = [row for row in listed if "district" in row[2]]
    assert scholars == [("coordination_comment", None, "Only three of us in this district")]
    media = [text for _, group, text in listed if group == "media"]
    assert media == sorted(known_answers.COMMENTS["media"])
    groups = [group for _, group, _ in listed]
    assert groups.index("media") < groups.index("academia")  # survey order, then unnamed


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 7), st.integers(1, 5)), min_size=1, max_size=12),
    st.sampled_from([0.25, 0.5, 0.75]),
)
def test_weighted_quantile_equals_numpy_on_whole_weights(pairs, p):
    expanded = [value for value, weight in pairs for _ in range(weight)]
    expected = np.quantile(expanded, p, method="averaged_inverted_cdf")
    assert weighted_quantile([(v, float(w)) for v, w in pairs], p) == pytest.approx(expected)


def test_weighted_figures_equal_the_figures_of_equal_sized_groups(session):
    """Group-weighting by hand: duplicate the smaller group until sizes match."""
    survey = factories.small(session)
    rng = random.Random(4)
    from consult.collection.responses import Submission, submit

    q = {question.code: question for question in survey.questions}
    for group, count in (("media", 6), ("academia", 12)):
        for _ in range(count):
            answers = {
                q["group"].id: group,
                q["colour"].id: "red",
                q["agree"].id: str(rng.randint(1, 5)),
                q["rank"].id: "alpha beta gamma",
            }
            submit(session, survey, Submission(answers=answers, language="en"))
    cells = _summary(session, survey).result(q["agree"]).by_group
    media, academia = cells["media"], cells["academia"]
    assert cells[WEIGHTED].get("agree") == pytest.approx(
        (media.get("agree") + academia.get("agree")) / 2
    )
    assert cells[WEIGHTED].get("mean") == pytest.approx(
        (media.get("mean") + academia.get("mean")) / 2
    )
