"""The summary figures as JSON: the workbook's numbers (analysis/summarising.py), counted the
same way and suppressed the same way (cells under k show no count and no figure)."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.analysis.summarising import Cell, Result, frames, summarise


def summary_figures(session: Session, survey: Any, filters: Filters) -> dict[str, Any]:
    summary = summarise(frames(session, survey, filters), survey)
    return {
        "total": int(summary.total),
        "k": summary.thresholds.k,
        "groups": list(summary.groups),
        "regions": list(summary.regions),
        "questions": [_result(result) for result in summary.results],
    }


def _result(result: Result) -> dict[str, Any]:
    divergence = result.divergence
    return {
        "code": result.question.code,
        "type": result.question.type,
        "by_group": {unit: _cell(cell) for unit, cell in result.by_group.items()},
        "by_region": {unit: _cell(cell) for unit, cell in result.by_region.items()},
        "consensus": dict(result.consensus),
        "divergence": None
        if divergence is None
        else {
            "spread": _number(divergence.spread),
            "sd": _number(divergence.sd),
            "split": divergence.split,
            "groups": divergence.groups,
        },  # fmt: skip
    }


def _cell(cell: Cell) -> dict[str, Any]:
    """A unit's figures; a small or hidden cell says only that (no n, no figure)."""
    shown = cell.shown
    return {
        "status": str(cell.status),
        "n": _number(cell.n) if shown else None,
        "figures": {k: _figure(v) for k, v in cell.figures.items()} if shown else {},
    }


def _figure(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _figure(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_figure(v) for v in value]
    return _number(value)


def _number(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return int(number) if number.is_integer() else number
