"""The theme × stakeholder group tables of the results, and the comments behind each cell.

``results_part`` gives what ``templates/themes/_results.html`` needs, so the results page can
include the tables (consult/analysis/views.py); ``/results/themes`` shows them on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.roles import STAFF
from consult.analysis.filters import FILTER_ARGS, Filters, parse_filters
from consult.analysis.page import Shown, heat, unit_label
from consult.analysis.summarising import OVERALL, Status, Thresholds
from consult.analysis.themes import tables
from consult.analysis.themes.themes import find_theme, theme_label
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.models import Survey

bp = Blueprint("theme_results", __name__, url_prefix="/admin/surveys/<slug>/results/themes")


@dataclass
class Column:
    unit: str  # group code, "__none__" or OVERALL: the comments link's `group`
    label: str
    n: str  # commenters, or "<k" / "hidden"


@dataclass
class Row:
    code: str
    label: str
    cells: list[tuple[Shown, str | None]]  # the share, and the unit to link to (None: no link)


@dataclass
class Part:
    caption: str
    question: str
    columns: list[Column]
    rows: list[Row]


def _n(cell: Any, k: int) -> str:
    """Commenters of a unit: "<k" for a small group (a hidden one's size shows, as elsewhere)."""
    return f"<{k}" if cell.status == Status.small else f"{int(cell.n or 0):,}"


def _not_shown(cell: Any, k: int) -> str:
    if cell.status == Status.small:
        return f"<{k}"
    return _("hidden") if cell.status == Status.hidden else "–"


def results_part(
    session: Session, survey: Survey, lang: str, filters: Filters | None = None
) -> list[Part]:
    """The tables, worded and formatted for the page."""
    k = Thresholds.of(survey).k
    parts = []
    for table in tables.theme_tables(session, survey, filters):
        columns = [
            Column(
                tables.NO_GROUP_PARAM if u == tables.NOT_GIVEN else u,
                unit_label(survey, u, lang),
                _n(table.cells[u], k),
            )
            for u in table.units
        ]
        rows = []
        for row in table.rows:
            cells: list[tuple[Shown, str | None]] = []
            for u in table.units:
                share = row.shares[u]
                if share is None:
                    cells.append((Shown(_not_shown(table.cells[u], k)), None))
                else:
                    unit = tables.NO_GROUP_PARAM if u == tables.NOT_GIVEN else u
                    cells.append((Shown(f"{100 * share:.0f}%", share, heat(share)),
                                  unit if row.counts[u] else None))  # fmt: skip
            rows.append(Row(row.theme.code, theme_label(survey, row.theme, lang), cells))
        question = table.question
        caption = f"{question.code} — {survey.text(question.label, lang)}"
        parts.append(Part(caption, question.code, columns, rows))
    return parts


def _filters(survey: Survey) -> Filters:
    try:
        return parse_filters(request.args, survey)
    except Refusal:
        return Filters()


@bp.get("")
@survey_roles(*STAFF)
def page(survey: Survey) -> str:
    lang = content_language(survey.languages, request.args.get("lang") or None)
    return render_template(
        "themes/results.html",
        survey=survey,
        theme_parts=results_part(db.session(), survey, lang, _filters(survey)),
        query={k: v for k, v in request.args.items() if k in FILTER_ARGS},
        logout_form=PostForm(),
    )


@bp.get("/comments")
@survey_roles(*STAFF)
def comments(survey: Survey) -> tuple[str, int]:
    """The comments behind one cell: paged, searchable, sorted by text."""
    session = db.session()
    lang = content_language(survey.languages, request.args.get("lang") or None)
    question = next((q for q in survey.questions if q.code == request.args.get("question")), None)
    group = request.args.get("group", OVERALL)
    unit = tables.NOT_GIVEN if group == tables.NO_GROUP_PARAM else group
    search = request.args.get("q", "")[:200]
    if question is None and not request.args.get("question"):
        return render_template(
            "themes/comments.html", survey=survey, found=None, logout_form=PostForm(),
            errors=[_("Choose a share in a themes table to read the comments behind it.")],
        ), 200  # fmt: skip
    try:
        if question is None:
            abort(404)
        theme = find_theme(session, survey, request.args.get("theme", ""))
        found = tables.cell_comments(
            session, survey, question, theme, unit, search,
            request.args.get("page", 1, type=int), _filters(survey),
        )  # fmt: skip
    except Refusal as refusal:
        return render_template(
            "themes/comments.html", survey=survey, errors=refusal.messages(), found=None,
            logout_form=PostForm(),
        ), 404  # fmt: skip
    return render_template(
        "themes/comments.html",
        survey=survey,
        errors=[],
        found=found,
        question=question,
        theme=theme,
        theme_name=theme_label(survey, theme, lang),
        group=group,
        group_name=unit_label(survey, unit, lang),
        search=search,
        query={k: v for k, v in request.args.items() if k in FILTER_ARGS},
        logout_form=PostForm(),
    ), 200
