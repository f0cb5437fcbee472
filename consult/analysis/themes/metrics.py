"""How well proposed themes agree with reviewed ones: multi-label F1, as the UK's ThemeFinder
reports it (per response, averaged), micro F1 (over every theme given), and a bootstrap 95%
interval over the comments. The same figures on the review page and in bench/themes.py.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

# Two expert reviewers agree with each other at this per-response F1 (ThemeFinder's evaluation).
HUMAN_F1 = 0.75
# An interval is shown from this many reviewed comments on.
INTERVAL_FROM = 30
Pair = tuple[Collection[str], Collection[str]]  # (proposed, reviewed) for one comment


def f1(proposed: Collection[str], reviewed: Collection[str]) -> float:
    """F1 of one comment's proposed themes against its reviewed ones; 1 when both are empty."""
    p, r = set(proposed), set(reviewed)
    if not p and not r:
        return 1.0
    hits = len(p & r)
    return 2 * hits / (len(p) + len(r))


def per_response(pairs: Sequence[Pair]) -> float:
    """The mean of each comment's F1 (ThemeFinder's figure)."""
    return sum(f1(p, r) for p, r in pairs) / len(pairs) if pairs else 0.0


def micro(pairs: Sequence[Pair]) -> float:
    """F1 over all themes given: 2·hits / (proposed + reviewed); 1 when nothing either side."""
    hits = proposed = reviewed = 0
    for p, r in pairs:
        hits += len(set(p) & set(r))
        proposed += len(set(p))
        reviewed += len(set(r))
    return 2 * hits / (proposed + reviewed) if proposed + reviewed else 1.0


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float | None  # the 95% interval, when there are enough comments
    high: float | None
    n: int


def bootstrap(pairs: Sequence[Pair], kind: str = "response", rounds: int = 2000) -> Estimate:
    """Per-response (``kind="response"``) or micro F1, with a percentile bootstrap 95% interval
    over the comments from INTERVAL_FROM comments on (below that, the figure alone).

    Each comment's hits and set sizes are counted once; the resamples only add them up, so
    thousands of reviewed comments take milliseconds. Seeded: the same pairs, the same interval.
    """
    import numpy as np

    n = len(pairs)
    value = per_response(pairs) if kind == "response" else micro(pairs)
    if n < INTERVAL_FROM:
        return Estimate(value, None, None, n)
    each = np.array([f1(p, r) for p, r in pairs])
    hits = np.array([len(set(p) & set(r)) for p, r in pairs], dtype=float)
    sizes = np.array([len(set(p)) + len(set(r)) for p, r in pairs], dtype=float)
    draw = np.random.default_rng(18)
    found: list[np.ndarray] = []
    for start in range(0, rounds, 250):
        idx = draw.integers(0, n, size=(min(250, rounds - start), n))
        if kind == "response":
            found.append(each[idx].mean(axis=1))
        else:
            total = sizes[idx].sum(axis=1)
            found.append(np.where(total > 0, 2 * hits[idx].sum(axis=1) / np.maximum(total, 1), 1.0))
    low, high = np.percentile(np.concatenate(found), [2.5, 97.5])
    return Estimate(value, float(low), float(high), n)
