"""The results page: the recommendation × group matrix, a chart per question, filters."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from consult import db
from consult.accounts.access import may, survey_roles
from consult.accounts.roles import ORGANIZERS, STAFF
from consult.analysis.filters import FILTER_ARGS, Filters, parse_filters
from consult.analysis.themes.results_views import results_part
from consult.collection.models import Channel
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.models import Survey

bp = Blueprint("results", __name__, url_prefix="/admin/surveys")


@bp.get("/<slug>/results")
@survey_roles(*STAFF)
def page(survey: Survey) -> tuple[str, int]:
    # Loaded on first use: pandas and openpyxl would add ~0.4 s to every `consult` command.
    from consult.analysis import page as results_page
    from consult.analysis import summarising

    lang = content_language(survey.languages, request.args.get("lang") or None)
    errors: list[str] = []
    try:
        filters = parse_filters(request.args, survey.languages)
    except Refusal as refusal:
        filters, errors = Filters(), refusal.messages()
    figures = summarising.summarise(summarising.frames(db.session(), survey, filters), survey)
    view = results_page.build(figures, lang)
    theme_parts = results_part(db.session(), survey, lang, filters)  # issue 18: the theme tables
    query = {k: v for k, v in request.args.items() if k in FILTER_ARGS}
    return render_template(
        "results/page.html",
        survey=survey,
        summary=figures,
        view=view,
        theme_parts=theme_parts,
        filters=filters,
        errors=errors,
        query=query,
        channels=[c.value for c in Channel],
        may_export=may(ORGANIZERS),
        logout_form=PostForm(),
    ), 400 if errors else 200
