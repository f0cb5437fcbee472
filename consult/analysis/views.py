"""The results page (matrix, a chart per question, responses over time, filters) and every
voice on the web (the open comments, paged and searchable; organizers star quotes)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import may, may_open, survey_roles
from consult.accounts.roles import ORGANIZERS, STAFF
from consult.analysis import page as results_page
from consult.analysis import process_page, recount, summarising, waves
from consult.analysis import voices as comments
from consult.analysis.comments import comment_questions
from consult.analysis.delivery import support_and_delivery
from consult.analysis.exclusion import compare
from consult.analysis.filters import Filters, parse_filters, province_codes
from consult.analysis.themes.results_views import results_part
from consult.analysis.timeline import per_day, timeline
from consult.collection.models import Channel
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.checks import matrix_gaps
from consult.surveys.models import Question, QuestionRole, Survey
from consult.tracking.services import status_labels

bp = Blueprint("results", __name__, url_prefix="/admin/surveys")


def _filters(survey: Survey) -> tuple[Filters, list[str]]:
    """The filters of the request, or none and the messages saying why."""
    try:
        return parse_filters(request.args, survey), []
    except Refusal as refusal:
        return Filters(), refusal.messages()


def _choices(survey: Survey, lang: str) -> dict[str, list[tuple[str, str]]]:
    """(code, label) of every filter's options, in the page's language."""
    region = next((q for q in survey.questions if q.role == QuestionRole.region), None)
    labels = dict(region.options()) if region is not None else {}
    return {
        "group": [(g.code, survey.text(g.label, lang)) for g in survey.groups],
        "province": [(c, survey.text(labels[c], lang)) for c in province_codes(survey)],
        "channel": [(c.value, c.value) for c in Channel],
    }


@bp.get("/<slug>/results")
@survey_roles(*STAFF)
def page(survey: Survey) -> tuple[str, int]:
    lang = content_language(survey.languages, request.args.get("lang") or None)
    filters, errors = _filters(survey)
    session = db.session()
    # Counted again only when the responses have changed since (recount.py).
    figures = summarising.summarise(recount.counted(session, survey, filters), survey)
    steps = timeline(per_day(session, survey, filters), figures.thresholds.k)
    query = filters.query()
    # An earlier wave's figures only for those who may open that survey too.
    sees_previous = may_open(survey.previous_wave_id, STAFF)
    unfiltered = None if filters.active or filters.with_excluded else figures
    comparison = waves.wave_comparison(session, survey, unfiltered) if sees_previous else None
    columns, delivered = process_page.delivery_rows(
        survey, support_and_delivery(session, figures), figures.thresholds.k, lang,
        status_labels(),
    )  # fmt: skip
    return render_template(
        "results/page.html",
        survey=survey,
        summary=figures,
        view=results_page.build(figures, lang),
        comparison=compare(session, survey, figures, lang),
        timeline=steps,
        comment_questions=comment_questions(survey),
        theme_parts=results_part(session, survey, lang, filters),
        filters=filters,
        errors=errors,
        query=query,
        base_query={k: v for k, v in query.items() if k != "excluded"},
        choices=_choices(survey, lang),
        may_export=may(ORGANIZERS),
        waves=process_page.waves_view(comparison, lang) if comparison else None,
        previous_unseen=survey.previous_wave_id is not None and not sees_previous,
        delivery_columns=columns,
        delivery=delivered,
        tracking_link=url_for("tracking.page", slug=survey.slug) if may(ORGANIZERS) else None,
        matrix_gaps=matrix_gaps(survey),
        logout_form=PostForm(),
    ), 400 if errors else 200


def _question(survey: Survey, raw: str | None) -> Question | None:
    """The comment question named in the query string (its code), or None for all."""
    return next((q for q in comment_questions(survey) if q.code == raw), None) if raw else None


def _secret() -> bytes:
    key = current_app.config["SECRET_KEY"]
    return key.encode() if isinstance(key, str) else bytes(key)


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 7 else 1


@bp.get("/<slug>/comments")
@survey_roles(*STAFF)
def voices(survey: Survey) -> tuple[str, int]:
    lang = content_language(survey.languages, request.args.get("lang") or None)
    filters, errors = _filters(survey)
    session = db.session()
    question = _question(survey, request.args.get("question"))
    search = request.args.get("q", "")[: comments.SEARCH_LIMIT]
    starred = request.args.get("starred") == "1"
    view = comments.comment_view(session, survey, filters)
    found = comments.voices(
        session,
        view,
        _secret(),
        question,
        search,
        _page_number(request.args.get("page")),
        starred,
    )
    here = {
        **filters.query(),
        **({"question": question.code} if question else {}),
        **({"q": search} if search else {}),
        **({"starred": "1"} if starred else {}),
    }
    return render_template(
        "results/comments.html",
        survey=survey,
        found=found,
        view=view,
        question=question,
        questions=comment_questions(survey),
        search=search,
        starred=starred,
        filters=filters,
        errors=errors,
        query=filters.query(),
        here=here,
        unstarred={key: value for key, value in here.items() if key != "starred"},
        extra_fields={k: v for k, v in here.items() if k in ("question", "q", "starred")},
        group_names={g.code: survey.text(g.label, lang) for g in survey.groups},
        choices=_choices(survey, lang),
        may_star=may(ORGANIZERS),
        star_form=PostForm(),
        logout_form=PostForm(),
    ), 400 if errors else 200


@bp.post("/<slug>/comments/star")
@survey_roles(*ORGANIZERS)
def star(survey: Survey) -> Response:
    """Star or unstar one comment as a quote for the brief, then back to the same list."""
    # The CSRF token is checked before this runs (CSRFProtect, for every POST).
    back = request.form.get("back", "")
    target = back if back.startswith("?") and "\n" not in back else ""
    question = _question(survey, request.form.get("question"))
    session = db.session()
    try:
        if question is None:
            raise Refusal.at("question", _("This question has no comments."))
        on = request.form.get("on") == "1"
        comments.star(session, survey, question, request.form.get("comment", ""), _secret(), on)
    except Refusal as refusal:
        session.rollback()
        flash(" ".join(refusal.messages()))
    else:
        session.commit()
        flash(_("Starred as a quote for the brief.") if on else _("No longer a quote."))
    return redirect(url_for("results.voices", slug=survey.slug) + target)
