"""Results: which themes each stakeholder group raises, with small cells suppressed.

A theme's share in a group is the share of the group's commenters on the question whose
comment carries the theme (reviewed themes where a comment was reviewed, the machine's
otherwise). A group with fewer than k commenters shows "<k" and no shares, and complementary
suppression hides the next smallest while the overall column could give a hidden one away
(summarising.suppress, the rule of every other figure). Comments behind a cell are listed
only for cells that are shown, sorted by text, never in the order they came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from consult.analysis.comments import comment_questions
from consult.analysis.filters import Filters
from consult.analysis.summarising import OVERALL, Cell, Status, Thresholds, suppress
from consult.analysis.themes.models import Source, Theme, ThemeAssignment, ThemeReview
from consult.analysis.themes.themes import survey_themes, themes_by_question
from consult.collection.models import Answer, Response
from consult.problems import Refusal
from consult.surveys.models import Question, Survey

NOT_GIVEN = ""  # commenters without a group (summarising.NOT_GIVEN)
NO_GROUP_PARAM = "__none__"  # NOT_GIVEN in a URL
PER_PAGE = 20


@dataclass
class ThemeRow:
    theme: Theme
    # Per unit (groups, then OVERALL): (share of commenters or None when not shown, count).
    shares: dict[str, float | None]
    counts: dict[str, int]


@dataclass
class ThemeTable:
    question: Question
    units: list[str]  # group codes (NOT_GIVEN if any), then OVERALL
    # Commenters per unit, with suppression applied (Cell.status says what may be shown).
    cells: dict[str, Cell]
    rows: list[ThemeRow] = field(default_factory=list)


def effective() -> Select[Any]:
    """(answer id, theme id) of every theme a comment carries: reviewed, else the machine's."""
    t, r = ThemeAssignment.__table__.c, ThemeReview.__table__.c
    return (
        select(t.answer_id, t.theme_id)
        .outerjoin(ThemeReview, r.answer_id == t.answer_id)
        .where(
            or_(
                and_(t.source == Source.reviewed, r.answer_id.is_not(None)),
                and_(t.source == Source.machine, r.answer_id.is_(None)),
            )
        )
    )


def _in_view(survey: Survey, filters: Filters) -> list[Any]:
    a, r = Answer.__table__.c, Response.__table__.c
    if not filters.active:
        return []
    return [a.response_id.in_(select(r.id).where(*filters.where(survey)))]


def theme_tables(
    session: Session, survey: Survey, filters: Filters | None = None
) -> list[ThemeTable]:
    """One table per comment question that has themes, in survey order."""
    filters = filters or Filters()
    k = Thresholds.of(survey).k
    themes = survey_themes(session, survey)
    tables = []
    for question in comment_questions(survey):
        applying = themes_by_question(survey, themes)[question.id]
        if applying:
            tables.append(_table(session, survey, question, applying, filters, k))
    return tables


def _codes(survey: Survey) -> dict[int | None, str]:
    found: dict[int | None, str] = {g.id: g.code for g in survey.groups}
    found[None] = NOT_GIVEN
    return found


def _table(
    session: Session,
    survey: Survey,
    question: Question,
    themes: list[Theme],
    filters: Filters,
    k: int,
) -> ThemeTable:
    a = Answer.__table__.c
    codes = _codes(survey)
    said = [a.question_id == question.id, func.trim(a.value) != "", *_in_view(survey, filters)]
    commenters: dict[str, int] = {}
    for gid, n in session.execute(
        select(a.group_id, func.count()).where(*said).group_by(a.group_id)
    ):
        commenters[codes.get(gid, NOT_GIVEN)] = commenters.get(codes.get(gid, NOT_GIVEN), 0) + n
    eff = effective().subquery()
    raised: dict[tuple[str, int], int] = {}
    stmt = (
        select(a.group_id, eff.c.theme_id, func.count())
        .join(eff, eff.c.answer_id == a.id)
        .where(*said)
        .group_by(a.group_id, eff.c.theme_id)
    )
    for gid, tid, n in session.execute(stmt):
        key = (codes.get(gid, NOT_GIVEN), tid)
        raised[key] = raised.get(key, 0) + n
    units = [g.code for g in survey.groups] + ([NOT_GIVEN] if commenters.get(NOT_GIVEN) else [])
    cells = suppress({u: {"n": float(commenters.get(u, 0))} for u in units}, k)
    total = sum(commenters.values())
    cells[OVERALL] = Cell(Status.empty if not total else Status.small if total < k else Status.ok,
                          float(total) if total >= k else None)  # fmt: skip
    table = ThemeTable(question, [*units, OVERALL], cells)
    for theme in themes:
        counts = {u: raised.get((u, theme.id), 0) for u in units}
        counts[OVERALL] = sum(counts.values())
        shares: dict[str, float | None] = {}
        for u in table.units:
            size = cells[u].n
            shares[u] = counts[u] / size if cells[u].shown and size else None
        table.rows.append(ThemeRow(theme, shares, counts))
    return table


@dataclass
class CommentPage:
    texts: list[str]
    total: int
    page: int
    pages: int


def cell_comments(
    session: Session,
    survey: Survey,
    question: Question,
    theme: Theme,
    unit: str,
    search: str = "",
    page: int = 1,
    filters: Filters | None = None,
) -> CommentPage:
    """The comments behind one shown cell, sorted by text, ``PER_PAGE`` at a time; Refusal
    for a cell that is not shown (a small or hidden group, or a theme of another question)."""
    filters = filters or Filters()
    themes = themes_by_question(survey, survey_themes(session, survey)).get(question.id, [])
    if theme.id not in {t.id for t in themes}:
        raise Refusal.at("theme", "This theme does not apply to this question.")
    table = _table(session, survey, question, themes, filters, Thresholds.of(survey).k)
    cell = table.cells.get(unit)
    if cell is None or not cell.shown:
        raise Refusal.at("group", "The comments of this group are not shown: it is too small.")
    a = Answer.__table__.c
    eff = effective().subquery()
    where = [a.question_id == question.id, eff.c.theme_id == theme.id, *_in_view(survey, filters)]
    if unit != OVERALL:
        gid = next((g.id for g in survey.groups if g.code == unit), None)
        where.append(a.group_id == gid if gid is not None else a.group_id.is_(None))
    if search.strip():
        where.append(func.lower(a.value).contains(search.strip().lower(), autoescape=True))
    base = select(a.value).join(eff, eff.c.answer_id == a.id).where(*where)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    texts = list(
        session.scalars(base.order_by(a.value).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    )
    return CommentPage(texts, total, page, pages)


@dataclass
class TopTheme:
    code: str
    label: str
    share: float  # of the recommendation's commenters
    count: int


def top_themes(
    session: Session, survey: Survey, lang: str, limit: int = 3
) -> dict[str, list[TopTheme]]:
    """For the policy brief: per recommendation code, its most raised themes (largest share of
    the recommendation's commenters first), none when it has fewer than k commenters."""
    found: dict[str, list[TopTheme]] = {}
    tables = theme_tables(session, survey)
    for rec in survey.recommendations:
        mine = [t for t in tables if t.question.recommendation_id == rec.id]
        total = sum(int(t.cells[OVERALL].n or 0) for t in mine if t.cells[OVERALL].shown)
        if not mine or not total:
            continue
        counts: dict[int, tuple[Theme, int]] = {}
        for table in mine:
            for row in table.rows:
                theme, n = counts.get(row.theme.id, (row.theme, 0))
                counts[row.theme.id] = (theme, n + row.counts[OVERALL])
        ranked = sorted(counts.values(), key=lambda x: (-x[1], x[0].position, x[0].code))
        found[rec.code] = [
            TopTheme(t.code, survey.text(t.label, lang) or t.code, n / total, n)
            for t, n in ranked[:limit]
            if n
        ]
    return found
