"""Figures with and without the responses left out after review, side by side.

The results page counts without them by default (and says so); when a survey has any, it also
shows the respondents and each recommendation's overall % agree the other way, so that an
organizer sees what leaving them out changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from consult.analysis import recount, summarising
from consult.analysis.filters import Filters, excluded_count
from consult.analysis.page import shown
from consult.analysis.summarising import OVERALL, Summary
from consult.surveys.models import Survey


@dataclass
class Comparison:
    excluded: int  # responses left out after review, in the whole survey
    with_excluded: bool  # what the page's own figures do
    other_total: int  # respondents the other way
    # (recommendation, % agree on the page, % agree the other way), first agreement block
    rows: list[tuple[str, str, str]]


def compare(session: Session, survey: Survey, summary: Summary, lang: str) -> Comparison | None:
    """None when nothing is excluded: the two ways give the same figures."""
    excluded = excluded_count(session, survey)
    if not excluded:
        return None
    filters: Filters = summary.filters
    other_filters = replace(filters, with_excluded=not filters.with_excluded, none_excluded=False)
    other = summarising.summarise(recount.counted(session, survey, other_filters), survey)
    k = summary.thresholds.k
    rows = []
    blocks, other_blocks = summary.blocks(), other.blocks()
    if blocks and other_blocks:
        for (rec, result), (_rec, result2) in zip(blocks[0], other_blocks[0], strict=False):
            rows.append((
                survey.text(rec.label, lang),
                shown(result.by_group[OVERALL], "agree", k).text,
                shown(result2.by_group[OVERALL], "agree", k).text,
            ))  # fmt: skip
    return Comparison(excluded, filters.with_excluded, other.total, rows)
