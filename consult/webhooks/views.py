"""The webhook page of a survey (organizers and admins): address, secret, log, test, resume."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.roles import ORGANIZERS
from consult.forms import PostForm
from consult.problems import Refusal
from consult.surveys.models import Survey
from consult.webhooks import hooks, payloads, settings, tasks  # noqa: F401 - hooks: signals
from consult.webhooks.models import Webhook

bp = Blueprint("webhooks", __name__, url_prefix="/admin/surveys/<slug>/webhook")


def _page(survey: Survey, status: int = 200, errors: dict[str, str] | None = None
          ) -> tuple[str, int]:  # fmt: skip
    session = db.session()
    webhook = settings.webhook_of(session, survey)
    return render_template(
        "webhooks/page.html",
        survey=survey,
        webhook=webhook,
        log=settings.log(session, webhook) if webhook else [],
        errors=errors or {},
        typed=request.form.get("url") if errors else (webhook.url if webhook else ""),
        pause_after=current_app.config["WEBHOOKS_PAUSE_AFTER"],
        form=PostForm(),
        logout_form=PostForm(),
    ), status


def _webhook(survey: Survey) -> Webhook | None:
    return settings.webhook_of(db.session(), survey)


@bp.get("")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> tuple[str, int]:
    return _page(survey)


@bp.post("")
@survey_roles(*ORGANIZERS)
def save(survey: Survey) -> ResponseReturnValue:
    PostForm()
    session = db.session()
    try:
        settings.save(session, current_user, survey, request.form.get("url", ""),
                      current_app.config)  # fmt: skip
    except Refusal as refusal:
        session.rollback()
        return _page(survey, 400, refusal.by_field())
    session.commit()
    flash(_("The webhook address is saved."))
    return redirect(url_for("webhooks.page", slug=survey.slug))


@bp.post("/test")
@survey_roles(*ORGANIZERS)
def test(survey: Survey) -> Response:
    PostForm()
    webhook = _webhook(survey)
    if webhook is not None:
        delivery_id, body = payloads.envelope(survey, payloads.PING, {"test": True})
        tasks.deliver(webhook.id, payloads.PING, delivery_id, body.decode(), retry=False)
        flash(_("A test is on its way: its attempt appears in the log below (reload the page)."))
    return redirect(url_for("webhooks.page", slug=survey.slug))


@bp.post("/resume")
@survey_roles(*ORGANIZERS)
def resume(survey: Survey) -> Response:
    PostForm()
    webhook = _webhook(survey)
    if webhook is not None:
        settings.resume(db.session(), current_user, survey, webhook)
        db.session().commit()
        flash(_("The webhook is sending again."))
    return redirect(url_for("webhooks.page", slug=survey.slug))


@bp.post("/secret")
@survey_roles(*ORGANIZERS)
def secret(survey: Survey) -> Response:
    PostForm()
    webhook = _webhook(survey)
    if webhook is not None:
        settings.new_secret(db.session(), current_user, survey, webhook)
        db.session().commit()
        flash(_("A new secret is made: the old one no longer signs."))
    return redirect(url_for("webhooks.page", slug=survey.slug))


@bp.post("/remove")
@survey_roles(*ORGANIZERS)
def remove(survey: Survey) -> Response:
    PostForm()
    webhook = _webhook(survey)
    if webhook is not None:
        settings.remove(db.session(), current_user, survey, webhook)
        db.session().commit()
        flash(_("The webhook is removed: nothing more is sent."))
    return redirect(url_for("webhooks.page", slug=survey.slug))
