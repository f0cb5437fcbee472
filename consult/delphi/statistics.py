"""Round statistics, from the libraries (numpy, scipy, statsmodels), never hand-written.

Definitions (also in docs/delphi.md and the workbook's Protocol sheet):
- Percentages of agree, disagree and each point are of the panellists who *rated* the item;
  "cannot judge" is counted apart and left out of every figure.
- Quantiles: ``numpy.quantile`` with the protocol's method; the default "linear" is Hyndman &
  Fan (1996) type 7. IQR = Q3 - Q1. SD is the sample SD (ddof = 1).
- Between two rounds, over the panellists who rated the item in both: % unchanged, % crossing
  from agree to disagree and back, weighted kappa with linear weights (statsmodels
  ``cohens_kappa(wt="linear")``, Cohen 1968, as Holey et al. 2007 use for Delphi stability),
  the Wilcoxon signed-rank test's two-sided p (scipy, zero differences dropped: "wilcox"), the
  exact McNemar test on agree/not (statsmodels ``mcnemar(exact=True)``: a binomial test on the
  discordant pairs), Δ% agree and ΔIQR of those paired answers. Stable: % unchanged and
  |Δ% agree| within the protocol's rule.
- Kendall's W for rankings: W = χ²_F / (m (n - 1)), χ²_F from scipy's Friedman test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from consult.delphi.protocol import Protocol


@dataclass(frozen=True)
class ItemStats:
    invited: int
    responded: int  # answered the round (rated or cannot judge)
    cannot_judge: int
    rated: int
    shares: dict[int, float]  # % per point, of those rating
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    mean: float | None
    sd: float | None
    agree: float | None
    disagree: float | None
    status: str


def quantiles(values: Sequence[int], method: str) -> tuple[float, float, float]:
    found = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75], method=method)  # type: ignore[call-overload]
    return float(found[0]), float(found[1]), float(found[2])


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole


def item_stats(
    values: Sequence[int], cannot_judge: int, invited: int, points: int, protocol: Protocol
) -> ItemStats:
    """One item's figures in one round: ``values`` are the ratings given (1..points)."""
    rated = len(values)
    if not rated:
        return ItemStats(invited, cannot_judge, cannot_judge, 0, {}, None, None, None, None,
                         None, None, None, None, protocol.status(None, None))  # fmt: skip
    array = np.asarray(values, dtype=float)
    counts = np.bincount(np.asarray(values, dtype=int), minlength=points + 1)
    q1, median, q3 = quantiles(values, protocol.quantile_method)
    agree = percent(int((array >= protocol.agree_from).sum()), rated)
    disagree = percent(int((array <= protocol.disagree_to).sum()), rated)
    return ItemStats(
        invited=invited, responded=rated + cannot_judge, cannot_judge=cannot_judge, rated=rated,
        shares={p: percent(int(counts[p]), rated) for p in range(1, points + 1)},
        median=median, q1=q1, q3=q3, iqr=q3 - q1, mean=float(array.mean()),
        sd=float(array.std(ddof=1)) if rated > 1 else None,
        agree=agree, disagree=disagree, status=protocol.status(agree, disagree),
    )  # fmt: skip


@dataclass(frozen=True)
class PairedStats:
    paired: int
    unchanged: float | None
    agree_to_disagree: float | None
    disagree_to_agree: float | None
    kappa: float | None
    wilcoxon_p: float | None
    mcnemar_p: float | None
    delta_agree: float | None
    delta_iqr: float | None
    stable: bool | None


def weighted_kappa(before: Sequence[int], after: Sequence[int], points: int) -> float | None:
    """Linear-weighted kappa over the full points × points table; None when undefined
    (every answer on one point in both rounds: no disagreement is possible by chance)."""
    table = np.zeros((points, points))
    np.add.at(table, (np.asarray(before) - 1, np.asarray(after) - 1), 1)
    used = (table.sum(axis=0) > 0) | (table.sum(axis=1) > 0)
    if used.sum() < 2:
        return None
    # statsmodels also computes a z value, whose variance is 0 on tiny tables: that division's
    # warning concerns a figure not used here.
    with np.errstate(divide="ignore", invalid="ignore"):
        from statsmodels.stats.inter_rater import cohens_kappa  # loaded on use, as below

        kappa = float(cohens_kappa(table, wt="linear", return_results=False))
    return None if np.isnan(kappa) else kappa


def wilcoxon_p(before: Sequence[int], after: Sequence[int]) -> float | None:
    """Two-sided p of the signed-rank test; None when nobody moved."""
    differences = np.asarray(after) - np.asarray(before)
    if not differences.any():
        return None
    from scipy import stats as sps  # loaded on use: scipy.stats costs 1 s at import

    return float(sps.wilcoxon(after, before, zero_method="wilcox").pvalue)


def mcnemar_p(before_agree: Any, after_agree: Any) -> float:
    """Exact McNemar p on agree / not agree (boolean arrays of the same panellists)."""
    b, a = np.asarray(before_agree), np.asarray(after_agree)
    table = [[int((b & a).sum()), int((b & ~a).sum())], [int((~b & a).sum()), int((~b & ~a).sum())]]
    from statsmodels.stats.contingency_tables import mcnemar

    return float(mcnemar(table, exact=True).pvalue)


def paired_stats(
    before: Sequence[int], after: Sequence[int], points: int, protocol: Protocol
) -> PairedStats:
    """Stability of one item between two rounds, over the same panellists' two ratings."""
    n = len(before)
    if not n:
        return PairedStats(0, None, None, None, None, None, None, None, None, None)
    b, a = np.asarray(before), np.asarray(after)
    unchanged = percent(int((b == a).sum()), n)
    pos_b = np.array([protocol.position(int(v)) for v in b])
    pos_a = np.array([protocol.position(int(v)) for v in a])
    delta_agree = percent(int((a >= protocol.agree_from).sum()) - int(
        (b >= protocol.agree_from).sum()), n)  # fmt: skip
    q1b, _m, q3b = quantiles(before, protocol.quantile_method)
    q1a, _m, q3a = quantiles(after, protocol.quantile_method)
    return PairedStats(
        paired=n, unchanged=unchanged,
        agree_to_disagree=percent(int(((pos_b == "agree") & (pos_a == "disagree")).sum()), n),
        disagree_to_agree=percent(int(((pos_b == "disagree") & (pos_a == "agree")).sum()), n),
        kappa=weighted_kappa(before, after, points), wilcoxon_p=wilcoxon_p(before, after),
        mcnemar_p=mcnemar_p(b >= protocol.agree_from, a >= protocol.agree_from),
        delta_agree=delta_agree, delta_iqr=(q3a - q1a) - (q3b - q1b),
        stable=unchanged >= protocol.stable_unchanged and abs(delta_agree) < protocol.stable_delta,
    )  # fmt: skip


@dataclass(frozen=True)
class AttritionStats:
    stayed: int
    left: int
    agree_stayed: float | None
    agree_left: float | None
    fisher_p: float | None  # Fisher's exact test, agree/not × stayed/left (scipy)


def attrition(stayed: Sequence[int], left: Sequence[int], protocol: Protocol) -> AttritionStats:
    """Round-1 ratings of those who stayed to the last round against those who left."""
    s = int(sum(v >= protocol.agree_from for v in stayed))
    d = int(sum(v >= protocol.agree_from for v in left))
    p = None
    if stayed and left:
        table = [[s, len(stayed) - s], [d, len(left) - d]]
        from scipy import stats as sps

        p = float(sps.fisher_exact(table).pvalue)
    return AttritionStats(
        stayed=len(stayed), left=len(left),
        agree_stayed=percent(s, len(stayed)) if stayed else None,
        agree_left=percent(d, len(left)) if left else None, fisher_p=p,
    )  # fmt: skip


def kendalls_w(ranks: Sequence[Sequence[int]]) -> float | None:
    """Kendall's W of m panellists' complete rankings of n items (rows: panellists;
    columns: each item's rank). None under 2 panellists or 3 items (Friedman needs both)."""
    matrix = np.asarray(ranks, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 3:
        return None
    m, n = matrix.shape
    if (matrix == matrix[:, :1]).all():  # every panellist tied every item: no order to agree on
        return None
    from scipy import stats as sps

    chi2 = sps.friedmanchisquare(*matrix.T).statistic
    return float(chi2 / (m * (n - 1)))
