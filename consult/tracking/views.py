"""The implementation page of a survey: per recommendation, its owner, status, progress, KPIs
and evidence, edited by organizers. Each form posts on its own; a refused one comes back with
its messages beside the fields and what was typed, and nothing saved."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.roles import ORGANIZERS
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.models import Recommendation, Survey
from consult.tracking import services
from consult.tracking.models import Evidence, Kpi

bp = Blueprint("tracking", __name__, url_prefix="/admin/surveys")


def _recommendation(survey: Survey, code: str) -> Recommendation:
    found = next((r for r in survey.recommendations if r.code == code), None)
    if found is None:
        abort(404)
    return found


def _page(survey: Survey, failed: str = "", errors: dict[str, str] | None = None) -> str:
    session = db.session()
    lang = content_language(survey.languages, request.args.get("lang") or None)
    found = services.tracked(session, survey)
    items = [
        {
            "rec": rec,
            "delivery": found.delivery(rec),
            "kpis": found.kpis.get(rec.id, []),
            "evidence": found.links.get(rec.id, []),
        }
        for rec in survey.recommendations
    ]
    return render_template(
        "tracking/page.html",
        survey=survey,
        lang=lang,
        items=items,
        statuses=services.status_labels(),
        failed=failed,
        errors=errors or {},
        typed=request.form.to_dict() if failed else {},
        logout_form=PostForm(),
    )


@bp.get("/<slug>/implementation")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> str:
    return _page(survey)


def _saved(survey: Survey, anchor: str) -> Response:
    db.session().commit()
    flash(_("Saved."))
    return redirect(url_for("tracking.page", slug=survey.slug) + "#" + anchor)


def _refused(survey: Survey, failed: str, refusal: Refusal) -> tuple[str, int]:
    db.session().rollback()
    errors = {p.field or "form": p.message for p in refusal.problems}
    return _page(survey, failed, errors), 400


@bp.post("/<slug>/implementation/<recommendation>/delivery")
@survey_roles(*ORGANIZERS)
def delivery(survey: Survey, recommendation: str) -> Any:
    rec = _recommendation(survey, recommendation)
    form = request.form
    try:
        services.save_delivery(
            db.session(), current_user, survey, rec,
            owner=form.get("owner", ""), status=form.get("status", ""),
            progress=form.get("progress", ""),
        )  # fmt: skip
    except Refusal as refusal:
        return _refused(survey, f"delivery-{rec.code}", refusal)
    return _saved(survey, f"rec-{rec.code}")


@bp.post("/<slug>/implementation/<recommendation>/kpi")
@survey_roles(*ORGANIZERS)
def add_kpi(survey: Survey, recommendation: str) -> Any:
    rec = _recommendation(survey, recommendation)
    form = request.form
    try:
        services.add_kpi(
            db.session(), current_user, survey, rec,
            name=form.get("name", ""), unit=form.get("unit", ""),
            baseline=form.get("baseline", ""), target=form.get("target", ""),
        )  # fmt: skip
    except Refusal as refusal:
        return _refused(survey, f"kpi-{rec.code}", refusal)
    return _saved(survey, f"rec-{rec.code}")


@bp.post("/<slug>/implementation/<recommendation>/evidence")
@survey_roles(*ORGANIZERS)
def add_evidence(survey: Survey, recommendation: str) -> Any:
    rec = _recommendation(survey, recommendation)
    form = request.form
    try:
        services.add_evidence(
            db.session(), current_user, survey, rec,
            url=form.get("url", ""), label=form.get("label", ""),
        )  # fmt: skip
    except Refusal as refusal:
        return _refused(survey, f"evidence-{rec.code}", refusal)
    return _saved(survey, f"rec-{rec.code}")


@bp.post("/<slug>/implementation/actual")
@survey_roles(*ORGANIZERS)
def add_actual(survey: Survey) -> Any:
    session, form = db.session(), request.form
    try:
        kpi = services.owned(session, survey, Kpi, form.get("kpi", ""))
        services.add_actual(
            session, current_user, survey, kpi,
            measured_on=form.get("measured_on", ""), value=form.get("value", ""),
        )  # fmt: skip
    except Refusal as refusal:
        return _refused(survey, f"actual-{form.get('kpi', '')}", refusal)
    return _saved(survey, f"kpi-{kpi.id}")


@bp.post("/<slug>/implementation/remove")
@survey_roles(*ORGANIZERS)
def remove(survey: Survey) -> Any:
    session, form = db.session(), request.form
    raw = form.get("id", "")
    try:
        thing: Kpi | Evidence
        if form.get("kind") == "kpi":
            thing = services.owned(session, survey, Kpi, raw)
        else:
            thing = services.owned(session, survey, Evidence, raw)
        services.remove(session, current_user, survey, thing)
    except Refusal as refusal:
        return _refused(survey, "remove", refusal)
    return _saved(survey, "top")
