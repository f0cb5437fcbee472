"""Repeated waves: the same questions asked again later, and how each group's stance moved.

A survey names the survey it repeats (``Survey.previous_wave_id``). Each wave is summarised on
its own, small cells suppressed by its own k rule (summarising.py); then, per recommendation ×
stakeholder group (matched by question and group code), the change in % agree between the two
waves and its 95% interval: Newcombe's hybrid score interval for a difference of two
independent proportions (statsmodels ``confint_proportions_2indep(method="newcomb")``). The
waves are different people (anonymous surveys keep no link between them), so the proportions
are independent. A change is "beyond noise" when its interval excludes 0.

A cell suppressed (small or hidden) in EITHER wave shows no change: the change of a small cell
is as telling as its figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.analysis.summarising import OVERALL, Cell, Result, Status, Summary, summarise
from consult.problems import Refusal
from consult.surveys.models import Survey
from consult.surveys.questions import question_type

CONFIDENCE = 0.95


def codes(survey: Survey) -> set[str]:
    return {q.code for q in survey.questions}


def code_gaps(earlier: Survey, later: Survey) -> tuple[list[str], list[str]]:
    """Question codes of the earlier wave missing from the later one, and the reverse."""
    before, after = codes(earlier), codes(later)
    return sorted(before - after), sorted(after - before)


def check_previous(session: Session, survey: Survey, slug: str) -> Survey | None:
    """The survey ``slug`` names as ``survey``'s earlier wave (None for an empty slug); refused
    when unknown, the survey itself, a later wave of it, or not asking the same questions."""
    slug = slug.strip()
    if not slug:
        return None
    earlier = session.scalar(select(Survey).where(Survey.slug == slug))
    if earlier is None:
        raise Refusal.at("previous_wave", str(_l("No survey has this address.")))
    seen: set[int] = {survey.id}
    step: Survey | None = earlier
    while step is not None:
        if step.id in seen:
            message = _l("A survey cannot be a wave of itself or of one of its later waves.")
            raise Refusal.at("previous_wave", str(message))
        seen.add(step.id)
        step = session.get(Survey, step.previous_wave_id) if step.previous_wave_id else None
    missing_later, missing_earlier = code_gaps(earlier, survey)
    if missing_later or missing_earlier:
        message = _l(
            "A wave asks the same questions. Missing here: %(here)s. Missing in %(slug)s:"
            " %(there)s.",
            here=", ".join(missing_later) or "–",
            slug=earlier.slug,
            there=", ".join(missing_earlier) or "–",
        )
        raise Refusal.at("previous_wave", str(message))
    return earlier


@dataclass
class Change:
    """One recommendation × group across two waves; figures None when not shown."""

    unit: str  # a group code or OVERALL
    earlier: Cell
    later: Cell
    change: float | None = None  # later − earlier % agree, as a proportion (0.1 = 10 points)
    low: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        return self.change is not None

    @property
    def beyond_noise(self) -> bool:
        """The interval excludes 0: more than chance between two samples would give."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass
class ChangeRow:
    recommendation_code: str
    label: dict[str, str]
    question_code: str
    question_label: dict[str, str]
    changes: list[Change]


@dataclass
class WaveComparison:
    earlier: Survey
    later: Survey
    earlier_summary: Summary
    later_summary: Summary
    units: list[str]  # group codes in both waves, then OVERALL
    rows: list[ChangeRow] = field(default_factory=list)
    missing_later: list[str] = field(default_factory=list)  # asked before, not now
    missing_earlier: list[str] = field(default_factory=list)  # asked now, not before


def agreeing(cell: Cell) -> tuple[int, int] | None:
    """(respondents who agree, respondents) of a shown cell; None for a suppressed one."""
    share, n = cell.get("agree"), cell.n
    if share is None or not n:
        return None
    return round(share * n), round(n)


def interval(later: tuple[int, int], earlier: tuple[int, int]) -> tuple[float, float]:
    """Newcombe's 95% interval for later − earlier proportion (statsmodels, loaded on use)."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        later[0], later[1], earlier[0], earlier[1],
        method="newcomb", compare="diff", alpha=1 - CONFIDENCE,
    )  # fmt: skip
    return float(low), float(high)


def change(unit: str, earlier: Cell, later: Cell) -> Change:
    found = Change(unit, earlier, later)
    before, after = agreeing(earlier), agreeing(later)
    if before is None or after is None:
        return found  # suppressed (or empty) in either wave: no change figure
    found.change = after[0] / after[1] - before[0] / before[1]
    found.low, found.high = interval(after, before)
    return found


def compare(earlier: Summary, later: Summary) -> WaveComparison:
    """Each recommendation's agreement scales of ``later`` against the same codes in
    ``earlier``, per group in both waves and overall."""
    known = {g.code for g in earlier.survey.groups}
    units = [g.code for g in later.survey.groups if g.code in known] + [OVERALL]
    before = {r.question.code: r for r in earlier.results}
    missing_later, missing_earlier = code_gaps(earlier.survey, later.survey)
    comparison = WaveComparison(
        earlier.survey, later.survey, earlier, later, units, [], missing_later, missing_earlier
    )
    for rec in later.survey.recommendations:
        for result in _scales(later, rec.id):
            old = before.get(result.question.code)
            if old is None:
                continue
            changes = [
                change(unit, old.by_group.get(unit, Cell(Status.empty)), result.by_group[unit])
                for unit in units
            ]
            question = result.question
            comparison.rows.append(
                ChangeRow(rec.code, rec.label, question.code, question.label, changes)
            )
    return comparison


def _scales(summary: Summary, recommendation_id: int) -> list[Result]:
    return [
        r
        for r in summary.results
        if r.question.recommendation_id == recommendation_id
        and question_type(r.question.type).agreement
    ]


def previous_wave(session: Session, survey: Survey) -> Survey | None:
    return session.get(Survey, survey.previous_wave_id) if survey.previous_wave_id else None


def wave_comparison(
    session: Session, survey: Survey, later: Summary | None = None
) -> WaveComparison | None:
    """``survey`` against its previous wave, every response of each (None: no previous wave).

    Filters of the results page do not apply: dates and channels of one wave mean nothing in
    the other. ``later``: ``survey``'s summary without filters, when the caller has it.
    """
    from consult.analysis import recount
    from consult.analysis.filters import Filters

    earlier = previous_wave(session, survey)
    if earlier is None:
        return None
    if later is None:
        later = summarise(recount.counted(session, survey, Filters()), survey)
    return compare(summarise(recount.counted(session, earlier, Filters()), earlier), later)
