"""Controlled feedback: what a panellist sees beside each item from round 2 on.

The previous round's distribution (a small bar chart drawn on the server as SVG), median and
interquartile band, the panellist's own previous answer, and approved comments grouped by
position — for the whole panel and for the panellist's own stakeholder group, whose figures
and comments are left out when fewer than k of the group rated the item. No consensus
verdict is shown: labels such as "consensus reached" push panellists toward the majority.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consult.delphi.answers import RoundAnswers
from consult.delphi.protocol import Protocol

# The chart's drawing box, in SVG user units (it scales to the screen's width).
WIDTH, HEIGHT, GAP = 200, 60, 4
POSITIONS = ("agree", "neither", "disagree", "cannot_judge")


@dataclass(frozen=True)
class Bar:
    point: int
    percent: float
    x: float
    y: float
    width: float
    height: float
    own: bool  # the panellist's previous answer


@dataclass(frozen=True)
class Distribution:
    n: int
    bars: list[Bar]
    median: float
    q1: float
    q3: float

    def x(self, value: float) -> float:
        """Where a value (1..points) sits on the chart: the middle of its bar."""
        step = WIDTH / len(self.bars)
        return (value - 0.5) * step


@dataclass
class ItemFeedback:
    code: str
    overall: Distribution | None
    group: Distribution | None
    group_suppressed: bool  # the own group rated it, but fewer than k did
    previous: int | None  # the own previous rating
    previous_cannot_judge: bool
    comments: dict[str, list[str]] = field(default_factory=dict)
    group_comments: dict[str, list[str]] = field(default_factory=dict)


def distribution(
    values: list[int], points: int, method: str, own: int | None
) -> Distribution | None:
    if not values:
        return None
    n = len(values)
    step = WIDTH / points
    bars = []
    for point in range(1, points + 1):
        share = 100.0 * values.count(point) / n
        height = HEIGHT * share / 100.0
        bars.append(Bar(point, share, (point - 1) * step + GAP / 2, HEIGHT - height,
                        step - GAP, height, own == point))  # fmt: skip
    # numpy's quantiles, loaded here rather than at import: every `consult` command and page
    # would otherwise pay numpy's start-up for this one chart (docs/performance.md).
    from consult.delphi.statistics import quantiles

    q1, median, q3 = quantiles(values, method)
    return Distribution(n, bars, median, q1, q3)


def _by_position(
    comments: list[tuple[str, str | None, int | None, str]], code: str, protocol: Protocol,
    group: str | None, only_group: bool,
) -> dict[str, list[str]]:  # fmt: skip
    grouped: dict[str, list[str]] = {p: [] for p in POSITIONS}
    for item, their_group, rating, text in comments:
        if item != code or (only_group and their_group != group):
            continue
        position = "cannot_judge" if rating is None else protocol.position(rating)
        grouped[position].append(text)
    return {p: texts for p, texts in grouped.items() if texts}


def item_feedback(
    previous: RoundAnswers, pkey: str, group: str | None, codes: list[str], points: int,
    protocol: Protocol, k: int,
) -> dict[str, ItemFeedback]:  # fmt: skip
    """The feedback on each item for the panellist ``pkey`` of group ``group``."""
    own = previous.ratings.get(pkey, {})
    members = {key for key, g in previous.groups.items() if g == group} if group else set()
    found = {}
    for code in codes:
        mine = own.get(code)
        group_values = previous.values(code, members) if group else []
        shown = len(group_values) >= k
        found[code] = ItemFeedback(
            code=code,
            overall=distribution(previous.values(code), points, protocol.quantile_method, mine),
            group=distribution(group_values, points, protocol.quantile_method, mine)
            if shown else None,
            group_suppressed=bool(group) and not shown,
            previous=mine,
            previous_cannot_judge=code in own and mine is None,
            comments=_by_position(previous.comments, code, protocol, group, False),
            group_comments=_by_position(previous.comments, code, protocol, group, True)
            if shown else {},
        )  # fmt: skip
    return found
