"""The study protocol: what counts as agreement, when an item has reached consensus, how
many rounds at most, how quantiles are computed and when an item is stable between rounds.

Set before round 1 and fixed when round 1 opens (rounds.open_round refuses changes after),
so no rule can be bent to the results. Every export shows it (workbook.py, sheet Protocol).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.problems import Problems

# numpy.quantile's methods offered; "linear" is Hyndman & Fan's type 7 (R's and Excel's
# default). Nearest-rank and interpolating methods can flip "IQR <= 1" on small panels, so the
# method is part of the protocol.
QUANTILE_METHODS = {
    "linear": "Hyndman-Fan type 7 (numpy 'linear', R default, Excel QUARTILE.INC)",
    "weibull": "Hyndman-Fan type 6 (numpy 'weibull', Minitab, SPSS, Excel QUARTILE.EXC)",
    "median_unbiased": "Hyndman-Fan type 8 (numpy 'median_unbiased')",
    "inverted_cdf": "Hyndman-Fan type 1 (numpy 'inverted_cdf', nearest rank)",
}


@dataclass(frozen=True)
class Protocol:
    # Agreement band on the rating scale: "agree" at or above agree_from, "disagree" at or
    # below disagree_to (5 points: 4-5 agree, 1-2 disagree, 3 neither).
    agree_from: int = 4
    disagree_to: int = 2
    # Consensus in: at least consensus_agree % agree and at most consensus_disagree % disagree;
    # consensus out mirrors it. Percentages are of those who rated (cannot-judge left out).
    consensus_agree: float = 75.0
    consensus_disagree: float = 15.0
    max_rounds: int = 3
    quantile_method: str = "linear"
    # Stable between two rounds: at least stable_unchanged % of the panellists who answered
    # both kept their rating, and % agree moved by less than stable_delta points.
    stable_unchanged: float = 85.0
    stable_delta: float = 10.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> Protocol:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (stored or {}).items() if k in known})

    def position(self, value: int) -> str:
        """'agree', 'disagree' or 'neither' for a rating."""
        if value >= self.agree_from:
            return "agree"
        if value <= self.disagree_to:
            return "disagree"
        return "neither"

    def status(self, agree: float | None, disagree: float | None) -> str:
        """'consensus in', 'consensus out' or 'no consensus' (percentages of those rating)."""
        if agree is None or disagree is None:
            return "no ratings"
        if agree >= self.consensus_agree and disagree <= self.consensus_disagree:
            return "consensus in"
        if disagree >= self.consensus_agree and agree <= self.consensus_disagree:
            return "consensus out"
        return "no consensus"

    def rows(self) -> list[tuple[str, str]]:
        """The protocol in words, for the study page and the Protocol sheet."""
        return [
            ("Agreement band", f"agree: rating >= {self.agree_from}; disagree: rating <= "
                               f"{self.disagree_to}; cannot-judge left out of percentages"),
            ("Consensus in", f">= {self.consensus_agree:g}% agree and <= "
                             f"{self.consensus_disagree:g}% disagree"),
            ("Consensus out", f">= {self.consensus_agree:g}% disagree and <= "
                              f"{self.consensus_disagree:g}% agree"),
            ("Maximum rounds", str(self.max_rounds)),
            ("Quantile method", QUANTILE_METHODS[self.quantile_method]),
            ("Stability rule", f">= {self.stable_unchanged:g}% of panellists answering both "
                               f"rounds unchanged and |change in % agree| < "
                               f"{self.stable_delta:g} points"),
        ]  # fmt: skip


NUMBERS: dict[str, tuple[type, float, float]] = {
    "agree_from": (int, 1, 11),
    "disagree_to": (int, 1, 11),
    "consensus_agree": (float, 50, 100),
    "consensus_disagree": (float, 0, 50),
    "max_rounds": (int, 2, 10),
    "stable_unchanged": (float, 50, 100),
    "stable_delta": (float, 0, 50),
}


def from_form(typed: dict[str, str], points: int) -> Protocol:
    """The protocol typed in the study page's form; a Refusal beside each field that is
    wrong (nothing is kept of a form with a problem)."""
    problems = Problems()
    found: dict[str, Any] = {}
    for name, (kind, low, high) in NUMBERS.items():
        text = typed.get(name, "").strip().replace(",", ".")
        try:
            number = kind(text)
            if not low <= number <= high:
                raise ValueError(text)
            found[name] = number
        except ValueError:
            problems.add(str(_l("A number from %(low)s to %(high)s.", low=f"{low:g}",
                                high=f"{high:g}")), name)  # fmt: skip
    method = typed.get("quantile_method", "")
    if method not in QUANTILE_METHODS:
        problems.add(str(_l("Choose one of the methods listed.")), "quantile_method")
    found["quantile_method"] = method
    agree, disagree = found.get("agree_from"), found.get("disagree_to")
    if agree is not None and agree > points:
        problems.add(str(_l("The scale has %(n)d points.", n=points)), "agree_from")
    if agree is not None and disagree is not None and disagree >= agree:
        problems.add(str(_l("The disagree band must end below the agree band.")), "disagree_to")
    problems.raise_any()
    return Protocol(**found)


def form_values(protocol: Protocol) -> dict[str, str]:
    return {
        k: (f"{v:g}" if isinstance(v, float) else str(v)) for k, v in protocol.as_dict().items()
    }
