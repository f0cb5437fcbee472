"""The panellist's round page: ``/d/<token>``, a fresh single-use link per round.

Works without JavaScript, in each of the survey's languages (Urdu right to left); a rating
that crosses between agree and disagree asks for a reason, checked on the server.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from consult import db
from consult.accounts.access import public
from consult.collection.invitations import InvitationUsed, find_invitation, is_used
from consult.delphi import rankings, respond, rounds
from consult.delphi.panelpage import RoundPage, round_page
from consult.errors import render_error
from consult.extensions import csrf
from consult.forms import PostForm
from consult.i18n import content_language
from consult.problems import Refusal

bp = Blueprint("delphi_take", __name__)


def _render(page: RoundPage, lang: str, values: dict[str, str], typed: dict[str, str],
            errors: dict[str, str], status: int = 200) -> tuple[str, int]:  # fmt: skip
    ranks = typed if typed else page.rank_values
    return render_template(
        "delphi/answer.html", rp=page, survey=page.round.survey, lang=lang, values=values,
        typed=typed, ranks=ranks, errors=errors, form=PostForm(), cannot=respond.CANNOT,
    ), status  # fmt: skip


@bp.route("/d/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # checked below, so that an expired form comes back with its answers
def answer(token: str) -> ResponseReturnValue:
    session = db.session()
    fresh = request.method == "GET" or PostForm().validate_on_submit()
    found = find_invitation(session, token)
    link = rounds.round_link(session, found) if found is not None else None
    if not fresh and link is None:
        return render_error(400, _("This form has expired. Go back, reload the page and "
                                   "submit it again."))  # fmt: skip
    if found is None or link is None or not found.usable_on(date.today()):
        # Unknown, expired (the round closed) and revoked look the same.
        return render_error(404, _("This link is not valid, or it has expired."))
    round_, pkey = link
    survey = round_.survey
    lang = content_language(survey.languages, request.args.get("lang") or None, follow=True)
    if not round_.is_open or not survey.accepting_answers():
        return render_template("take/closed.html", survey=survey), 410
    if is_used(session, found):
        return render_template("take/already.html", survey=survey), 409
    page = round_page(session, round_, pkey, found.group_id, lang)
    if request.method == "GET":
        return _render(page, lang, page.previous_values, {}, {})
    inputs = respond.read(request.form, page.codes)
    values = {code: given.value for code, given in inputs.items()}
    typed = request.form.to_dict()
    if not fresh:  # the page's form expired: the same answers, with a fresh form to send
        expired = {"csrf_token": _("This page was open a long time. Check your answers and send "
                                   "them again.")}  # fmt: skip
        return _render(page, lang, values, typed, expired, 400)
    ranked = {q: rankings.read(request.form, q) for q in page.rankings}
    try:
        respond.check(inputs, len(page.items[0].options()), page.protocol, page.previous, ranked)
        respond.store(session, round_, found, pkey, inputs, lang, ranked)
    except Refusal as refusal:
        session.rollback()
        return _render(page, lang, values, typed, refusal.by_field(), 400)
    except (InvitationUsed, IntegrityError):
        session.rollback()
        return render_template("take/already.html", survey=survey), 409
    session.commit()
    return redirect(url_for("delphi_take.thanks", lang=lang))


# A database fault or a rate limit answers with a page that keeps every posted answer.
answer.keeps_answers = True


@bp.get("/d/thanks")
@public
def thanks() -> str:
    return render_template("delphi/thanks.html")
