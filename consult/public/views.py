"""``/p/<slug>``: the public page of a survey, in the survey's languages (``?lang=ur``)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from consult import db
from consult.accounts.access import public
from consult.i18n import content_language
from consult.public.page import is_public, public_page
from consult.surveys.models import Survey

bp = Blueprint("public_page", __name__)


@bp.get("/p/<slug>")
@public
def page(slug: str) -> str:
    session = db.session()
    survey = session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not is_public(survey):
        abort(404)  # off looks the same as unknown: nothing learnt from trying addresses
    lang = content_language(survey.languages, request.args.get("lang") or None, follow=True)
    return render_template(
        "public/page.html", survey=survey, public=public_page(session, survey, lang)
    )
