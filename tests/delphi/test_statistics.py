"""The statistics module on small hand-checked cases and its edges (nobody moved, one point
only, too few panellists for Kendall's W)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from consult.delphi.protocol import Protocol
from consult.delphi.statistics import item_stats, kendalls_w, paired_stats, quantiles

P = Protocol()


def test_quantile_methods_differ_on_a_small_panel():
    values = [1, 2, 4, 5]
    assert quantiles(values, "linear") == (1.75, 3.0, 4.25)
    assert quantiles(values, "inverted_cdf") == (1.0, 2.0, 4.0)


def test_item_stats_and_the_consensus_rule():
    stats = item_stats([5, 5, 4, 4, 4, 4, 3, 5], cannot_judge=1, invited=10, points=5, protocol=P)
    assert stats.responded == 9 and stats.rated == 8
    assert stats.agree == pytest.approx(87.5) and stats.disagree == 0
    assert stats.status == "consensus in"
    out = item_stats([1, 1, 2, 2, 2, 1, 3, 1], 0, 8, 5, P)
    assert out.status == "consensus out"


def test_nobody_moved():
    same = [4, 4, 5, 2]
    paired = paired_stats(same, same, 5, P)
    assert paired.unchanged == 100 and paired.wilcoxon_p is None and paired.mcnemar_p == 1.0
    assert paired.kappa == pytest.approx(1.0) and paired.stable is True
    one_point = paired_stats([4, 4], [4, 4], 5, P)
    assert one_point.kappa is None


def test_crossings_each_way():
    paired = paired_stats([5, 5, 1, 1, 3], [1, 5, 5, 1, 3], 5, P)
    assert paired.agree_to_disagree == 20 and paired.disagree_to_agree == 20
    assert paired.delta_agree == 0 and paired.stable is False


def test_kendalls_w_against_its_formula():
    rng = np.random.default_rng(3)
    ratings = rng.integers(1, 6, size=(12, 5))
    ranks = [list(rankdata(row)) for row in ratings]
    m, n = len(ranks), len(ranks[0])
    sums = np.asarray(ranks).sum(axis=0)
    s = ((sums - sums.mean()) ** 2).sum()
    ties = sum((c**3 - c).sum() for c in (np.unique(r, return_counts=True)[1] for r in ratings))
    w = 12 * s / (m**2 * (n**3 - n) - m * ties)
    assert kendalls_w(ranks) == pytest.approx(w)
    assert kendalls_w([[1, 2, 3]]) is None


def test_degenerate_panels_give_no_figure_rather_than_a_warning():
    assert kendalls_w([[2, 2, 2], [2, 2, 2]]) is None
    single = paired_stats([4], [5], 5, P)
    assert single.paired == 1 and single.unchanged == 0
    assert item_stats([], 2, 5, 5, P).status == "no ratings"
