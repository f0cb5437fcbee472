"""Respondents: /s/<slug> (public and group links), /i/<token> (invitations), /resume (saved
answers). Server-rendered HTML that works without JavaScript; the answering itself is shared
with interviewer entry in answering.py.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import public
from consult.collection import drafts, invitations
from consult.collection.answering import answer
from consult.collection.cache import Cached, cache, for_answering
from consult.collection.entry import entry_for, respondent_view, trust_cache
from consult.collection.pending import pending_uses
from consult.errors import render_error
from consult.extensions import csrf, limiter
from consult.forms import PostForm
from consult.i18n import content_language
from consult.surveys.models import StakeholderGroup, Survey

bp = Blueprint("take", __name__)


def _code_limit() -> str:
    """Invitation and resume codes: enough for a person, far too few for guessing."""
    return str(current_app.config["CODE_RATE_LIMIT"])


def _code_not_found(response: Response) -> bool:
    """Only failed look-ups count toward the limit: invitees behind one address (a village's
    shared connection, an office) are not slowed by each other's good codes."""
    return response.status_code == 404


def _cached(slug: str | None = None, survey_id: int | None = None) -> tuple[Cached, bool]:
    """The survey's read-only content, from the per-process cache (see collection/cache.py), and
    whether it was checked against the database (a respondent's POST skips that: entry.py).
    """
    db.defer_write_lock()  # answering takes SQLite's write lock only to store (answering.py)
    cached = cache().latest(slug=slug, survey_id=survey_id) if trust_cache() else None
    verified = cached is None
    if cached is None:
        cached = for_answering(db.session(), slug=slug, survey_id=survey_id)
    if cached is None:
        abort(404)
    content_language(cached.survey.languages, follow=True)
    return cached, verified


def _survey(slug: str) -> Survey:
    return _cached(slug)[0].survey


def _group(survey: Survey, group_id: int | None) -> StakeholderGroup | None:
    return next((g for g in survey.groups if g.id == group_id), None)


def _link_group(survey: Survey) -> StakeholderGroup | None:
    """The group of a group link (?group=code); an unknown code is ignored, not an error."""
    code = request.args.get("group", "")
    return next((grp for grp in survey.groups if grp.code == code), None)


@bp.route("/s/<slug>", methods=["GET", "POST"])
@public
@csrf.exempt  # the form checks its own token, so an expired one keeps the answers
@respondent_view
def respond(slug: str) -> ResponseReturnValue:
    cached, verified = _cached(slug)
    survey = cached.survey
    group = _link_group(survey)
    lang = content_language(survey.languages, follow=True)
    # url_for leaves out a None group.
    url_args = {"slug": slug, "group": group.code if group else None}
    return answer(entry_for(cached, "take.respond", lang, url_args, group=group, verified=verified))


@bp.route("/i/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
@limiter.limit(_code_limit, deduct_when=_code_not_found)
@respondent_view
def invitation(token: str) -> ResponseReturnValue:
    db.defer_write_lock()
    session = db.session()
    found = invitations.find_invitation(session, token)
    if found is None or not found.usable_on(date.today()):
        # Unknown, expired and revoked look the same: a wrong code reveals nothing.
        return render_error(404, _("This link is not valid, or it has expired."))
    cached, verified = _cached(survey_id=found.survey_id)
    survey = cached.survey
    lang = content_language(survey.languages, follow=True)
    if invitations.is_used(session, found, pending_uses()):
        return render_template("take/already.html", survey=survey), 409
    group = _group(survey, found.group_id)
    url_args = {"token": token}
    details = {"group": group, "invitation": found, "verified": verified}
    return answer(entry_for(cached, "take.invitation", lang, url_args, **details))


@bp.route("/resume/<code>", methods=["GET", "POST"])
@public
@csrf.exempt
@limiter.limit(_code_limit, deduct_when=_code_not_found)
@respondent_view
def resume(code: str) -> ResponseReturnValue:
    db.defer_write_lock()
    draft = drafts.find_draft(db.session(), code)
    if draft is None:
        return render_error(404, _("This resume code is not valid, or it has expired."))
    cached, verified = _cached(survey_id=draft.survey_id)
    survey = cached.survey
    lang = content_language(
        survey.languages, request.args.get("lang") or draft.language, follow=True
    )
    group = _group(survey, draft.group_id)
    details = {"group": group, "draft": draft, "verified": verified}
    return answer(entry_for(cached, "take.resume", lang, {"code": code}, **details))


@bp.route("/resume", methods=["GET", "POST"])
@public
@limiter.limit(_code_limit, methods=["POST"], deduct_when=_code_not_found)
def resume_code() -> ResponseReturnValue:
    """Type the code from a phone or a piece of paper; the code then goes into the address."""
    form = PostForm()
    typed = request.form.get("code", "")
    if form.validate_on_submit():
        code = drafts.normalise_code(typed)
        if drafts.find_draft(db.session(), code) is not None:
            return redirect(url_for("take.resume", code=code))
        return render_template(
            "take/resume.html", form=form, typed=typed,
            error=_("That code is not valid, or it has expired. Check it and try again."),
        ), 404  # fmt: skip
    return render_template("take/resume.html", form=form, typed=typed, error=None)


@bp.get("/s/<slug>/thanks")
@public
def thanks(slug: str) -> str:
    survey = _survey(slug)
    return render_template("take/thanks.html", survey=survey)
