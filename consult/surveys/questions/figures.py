"""Arithmetic the question types share when they summarise answers (see ``summarise``).

A tally maps a stored value to how many respondents gave it. Counts may be fractional: the
group-weighted overall gives each respondent the weight that makes every group count equally,
so every statistic here accepts weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# A stored value → number of respondents who gave it (or their total weight).
Tally = Mapping[str, float]
# A statistic's name → its value: n, mean, median, q1, q3, iqr, agree, disagree,
# pct:<option>, rank:<item>, borda:<item>.
Figures = dict[str, float]

# Float sums of weights are compared with this tolerance (a weighted 50% is 0.4999999...).
_EPS = 1e-9


def weighted_quantile(pairs: list[tuple[float, float]], p: float) -> float:
    """The p-quantile of values with weights, by the averaged inverted CDF (Hyndman-Fan type 2).

    The smallest value whose cumulative share reaches p; where the share meets p exactly, the
    mean of that value and the next. With whole weights this is numpy's
    ``quantile(..., method="averaged_inverted_cdf")`` of the expanded data: the median of
    1, 2, 3, 4 is 2.5, and of 1, 2, 2 it is 2.
    """
    ordered = sorted((v, w) for v, w in pairs if w > 0)
    total = sum(w for _, w in ordered)
    cumulative = 0.0
    for index, (value, weight) in enumerate(ordered):
        cumulative += weight
        share = cumulative / total
        if abs(share - p) <= _EPS and index + 1 < len(ordered):
            return (value + ordered[index + 1][0]) / 2
        if share > p - _EPS:
            return value
    return ordered[-1][0]


def numeric_figures(pairs: Iterable[tuple[float, float]]) -> Figures:
    """n, mean, median, quartiles and IQR of (value, weight) pairs."""
    pairs = [(v, w) for v, w in pairs if w > 0]
    n = sum(w for _, w in pairs)
    if not n:
        return {"n": 0.0}
    q1 = weighted_quantile(pairs, 0.25)
    q3 = weighted_quantile(pairs, 0.75)
    return {
        "n": n,
        "mean": sum(v * w for v, w in pairs) / n,
        "median": weighted_quantile(pairs, 0.5),
        "q1": q1,
        "q3": q3,
        "iqr": q3 - q1,
    }


def shares(tally: Tally, options: list[str]) -> Figures:
    """n (answers that are one of ``options``) and ``pct:<option>`` as shares from 0 to 1."""
    n = sum(tally.get(code, 0.0) for code in options)
    figures: Figures = {"n": n}
    if n:
        figures.update({f"pct:{code}": tally.get(code, 0.0) / n for code in options})
    return figures
