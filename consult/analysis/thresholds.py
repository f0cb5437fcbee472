"""The analysis thresholds a survey may set (analysis.Thresholds), from a form or a definition.

Stored in ``Survey.settings["analysis"]``; a threshold not set keeps the default. The consensus
share is a fraction when stored and in a definition, a percentage in the settings form.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.problems import Problems
from consult.surveys.models import Survey

# Name → (lowest, highest), as stored.
RANGES = {"consensus_share": (0.5, 1.0), "consensus_iqr": (0.0, 10.0), "split_spread": (0.0, 10.0)}
PERCENT = {"consensus_share"}  # typed in the form as a percentage


def check(name: str, value: Any) -> float | None:
    """``value`` as stored for threshold ``name``, or None when it is no number in range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = RANGES[name]
    return float(value) if low <= value <= high else None  # NaN is never in range


def from_form(typed: dict[str, str], problems: Problems) -> dict[str, float]:
    """The stored settings from the form's fields (an empty field keeps the default); a
    problem beside each field that is not a number in range."""
    found: dict[str, float] = {}
    for name, (low, high) in RANGES.items():
        text = typed.get(name, "").strip().replace(",", ".").rstrip("%").strip()
        if not text:
            continue
        scale = 100 if name in PERCENT else 1
        try:
            number = check(name, round(float(text) / scale, 6))
        except ValueError:
            number = None
        if number is None:
            bounds = {"low": f"{low * scale:g}", "high": f"{high * scale:g}"}
            problems.add(str(_l("A number from %(low)s to %(high)s.", **bounds)), name)
        else:
            found[name] = number
    return found


def form_values(survey: Survey) -> dict[str, str]:
    """The settings form's fields for what ``survey`` has set (percentages as such)."""
    stored = survey.settings.get("analysis") or {}
    return {
        name: f"{float(stored[name]) * (100 if name in PERCENT else 1):g}"
        for name in RANGES
        if name in stored
    }
