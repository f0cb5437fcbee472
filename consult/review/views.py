"""Response review for organizers: the list with flags and filters, one response, exclusion."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS
from consult.collection.models import Channel
from consult.collection.models import Response as StoredResponse
from consult.collection.responses import response_count
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal
from consult.review import flags, responses
from consult.review.models import Flag
from consult.review.tasks import check_survey
from consult.surveys.models import Survey

bp = Blueprint("review", __name__, url_prefix="/admin/surveys/<slug>/review")

# Larger surveys are checked by a background job.
CHECK_INLINE = 20_000
FILTER_ARGS = ("flag", "state", "channel", "q")


def _filters() -> responses.ReviewFilters:
    args = request.args
    flag = args.get("flag") or None
    if flag not in {None, "any", *(f.value for f in Flag)}:
        flag = None
    state = args.get("state") if args.get("state") in ("excluded", "included") else None
    channel = args.get("channel") if args.get("channel") in {c.value for c in Channel} else None
    search = (args.get("q") or "").strip()[:200] or None
    return responses.ReviewFilters(flag, state, channel, search)


@bp.get("/")
@survey_roles(*ORGANIZERS)
def page(survey: Survey) -> str:
    sess = db.session()
    number = max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    filters = _filters()
    rows, total = responses.listing(sess, survey, filters, number)
    return render_template(
        "review/list.html",
        survey=survey,
        rows=rows,
        total=total,
        number=number,
        pages=max(1, -(-total // responses.PAGE)),
        filters=filters,
        flag_kinds=[f.value for f in Flag],
        channels=[c.value for c in Channel],
        counts=flags.flag_counts(sess, survey),
        excluded=responses.excluded_count(sess, survey),
        when=lambda r: responses.when(r, survey),
        query={k: v for k, v in request.args.items() if k in FILTER_ARGS and v},
        form=PostForm(),
        logout_form=PostForm(),
    )


@bp.post("/check")
@survey_roles(*ORGANIZERS)
def check(survey: Survey) -> Response:
    PostForm()
    sess = db.session()
    if response_count(sess, survey) > CHECK_INLINE:
        check_survey(survey.id, current_user.id)
        flash(_("The checks run in the background: reload this page in a few minutes."))
    else:
        counts = flags.scan(sess, survey)
        record(sess, current_user, Action.quality_checked, survey,
               details={str(k): v for k, v in counts.items()})  # fmt: skip
        sess.commit()
        flash(_("The responses are checked."))
    return redirect(url_for("review.page", slug=survey.slug))


def _response(survey: Survey, public_id: str) -> StoredResponse:
    found = responses.find(db.session(), survey, public_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<public_id>")
@survey_roles(*ORGANIZERS)
def response(survey: Survey, public_id: str) -> tuple[str, int]:
    return _response_page(survey, _response(survey, public_id))


def _response_page(
    survey: Survey, found: StoredResponse, status: int = 200, errors: dict[str, str] | None = None
) -> tuple[str, int]:
    sess = db.session()
    lang = content_language(survey.languages, request.args.get("lang") or None)
    return render_template(
        "review/response.html",
        survey=survey,
        response=found,
        answers=responses.answers(sess, survey, found, lang),
        flags=responses.flags_of(sess, found),
        when=responses.when(found, survey),
        errors=errors or {},
        typed=request.form,
        form=PostForm(),
        logout_form=PostForm(),
    ), status


@bp.post("/<public_id>/exclude")
@survey_roles(*ORGANIZERS)
def exclude(survey: Survey, public_id: str) -> ResponseReturnValue:
    PostForm()
    found = _response(survey, public_id)
    sess = db.session()
    try:
        responses.exclude(sess, current_user, survey, found, request.form.get("reason", ""))
    except Refusal as refusal:
        sess.rollback()
        return _response_page(survey, _response(survey, public_id), 400, refusal.by_field())
    sess.commit()
    flash(_("The response is left out of figures and exports (it is kept)."))
    return redirect(url_for("review.response", slug=survey.slug, public_id=public_id))


@bp.post("/<public_id>/include")
@survey_roles(*ORGANIZERS)
def include(survey: Survey, public_id: str) -> Response:
    PostForm()
    responses.include(db.session(), current_user, survey, _response(survey, public_id))
    db.session().commit()
    flash(_("The response counts again."))
    return redirect(url_for("review.response", slug=survey.slug, public_id=public_id))


@bp.post("/<public_id>/delete")
@survey_roles(*ORGANIZERS)
def delete(survey: Survey, public_id: str) -> ResponseReturnValue:
    """Admins only, after ticking the confirmation: the response and its answers go for good."""
    PostForm()
    if not current_user.is_admin:
        abort(403)
    found = _response(survey, public_id)
    if request.form.get("confirm") != "yes":
        errors = {"confirm": _("Tick the box to confirm: a deleted response cannot come back.")}
        return _response_page(survey, found, 400, errors)
    responses.remove(db.session(), current_user, survey, found)
    db.session().commit()
    flash(_("The response is deleted."))
    return redirect(url_for("review.page", slug=survey.slug))
