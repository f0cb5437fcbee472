"""The results page: the recommendation × group matrix, a chart per question, filters."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from consult import db
from consult.accounts.access import may, survey_roles
from consult.accounts.roles import ORGANIZERS, STAFF
from consult.analysis.filters import FILTER_ARGS, Filters, parse_filters
from consult.collection.models import Channel
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.checks import matrix_gaps
from consult.surveys.models import Survey

bp = Blueprint("results", __name__, url_prefix="/admin/surveys")


@bp.get("/<slug>/results")
@survey_roles(*STAFF)
def page(survey: Survey) -> tuple[str, int]:
    # Loaded on first use: pandas and openpyxl would slow every `consult` command's start.
    from consult.analysis import page as results_page
    from consult.analysis import summarising

    lang = content_language(survey.languages, request.args.get("lang") or None)
    errors: list[str] = []
    try:
        filters = parse_filters(request.args, survey.languages)
    except Refusal as refusal:
        filters, errors = Filters(), refusal.messages()
    from consult.analysis.exclusion import compare

    figures = summarising.summarise(summarising.frames(db.session(), survey, filters), survey)
    view = results_page.build(figures, lang)
    comparison = compare(db.session(), survey, figures, lang)
    query = {k: v for k, v in request.args.items() if k in FILTER_ARGS}
    return render_template(
        "results/page.html",
        survey=survey,
        summary=figures,
        view=view,
        comparison=comparison,
        filters=filters,
        errors=errors,
        query=query,
        base_query={k: v for k, v in query.items() if k != "excluded"},
        channels=[c.value for c in Channel],
        may_export=may(ORGANIZERS),
        matrix_gaps=matrix_gaps(survey),
        logout_form=PostForm(),
    ), 400 if errors else 200
