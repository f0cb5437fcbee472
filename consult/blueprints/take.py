"""Respondents take a survey at /s/<slug>: server-rendered HTML that works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import db
from ..extensions import csrf
from ..forms import ResponseForm, field_name, response_form_class, unknown_fields
from ..models import Channel, Question, QuestionRole, StakeholderGroup, Survey
from ..questions import question_type
from ..security import public
from ..services.responses import DuplicateSubmission, Submission, new_nonce, submit
from .errors import render_error

bp = Blueprint("take", __name__, url_prefix="/s")


def _survey(slug: str) -> Survey:
    survey = db.session().scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        abort(404)
    # The content language: the interface language if the survey is written in it.
    lang = str(get_locale())
    g.content_language = lang if lang in survey.languages else survey.default_language
    return survey


def _link_group(survey: Survey) -> StakeholderGroup | None:
    """The group of a group link (?group=code); an unknown code is ignored, not an error."""
    code = request.args.get("group", "")
    return next((grp for grp in survey.groups if grp.code == code), None)


def _link_args(survey: Survey) -> dict[str, str]:
    """Query arguments that must survive the POST and the redirect: language and group."""
    args = {"lang": g.content_language}
    group = _link_group(survey)
    if group is not None:
        args["group"] = group.code
    return args


@bp.route("/<slug>", methods=["GET", "POST"])
@public
@csrf.exempt  # the form checks its own token, so an expired one keeps the answers (see below)
def respond(slug: str) -> Response | str | tuple[str, int]:
    survey = _survey(slug)
    if not survey.is_open:
        return render_error(410) if request.method == "POST" else _closed(survey)
    lang = g.content_language
    group = _link_group(survey)
    form: ResponseForm = response_form_class(survey, lang)()
    if request.method != "POST":
        form.nonce.data = new_nonce()
        return _render(survey, form, group)

    forged = unknown_fields(request.form.keys(), form)
    if forged:
        return render_error(
            400, _("The form contains answers to questions this survey does not have.")
        )
    group_question = _group_question(survey)
    if group is not None and group_question is not None:
        form[field_name(group_question)].data = group.code  # the link decides the group
    if not form.validate():
        if form.csrf_token.errors or form.nonce.errors:
            # An expired session: keep every answer, give a fresh token, ask to submit again.
            form.csrf_token.errors = []
            form.form_errors.append(
                _("Your session expired. Your answers are kept: check them and submit again.")
            )
            form.nonce.data = form.nonce.data or new_nonce()
        return _render(survey, form, group), 400

    answers = {}
    for question, field in form.answer_fields():
        value = question_type(question.type).to_storage(question, field.data)
        if value is not None:
            answers[question.id] = value
    submission = Submission(
        answers=answers, language=lang, channel=Channel.web, nonce=form.nonce.data
    )
    session = db.session()
    try:
        submit(session, survey, submission)
        session.commit()
    except DuplicateSubmission:
        # The same form arrived twice (a double click, or Back and submit): the first counts.
        session.rollback()
    return redirect(url_for("take.thanks", slug=survey.slug, lang=lang))


@bp.get("/<slug>/thanks")
@public
def thanks(slug: str) -> str:
    survey = _survey(slug)
    return render_template("take/thanks.html", survey=survey)


def _group_question(survey: Survey) -> Question | None:
    return next((q for q in survey.questions if q.role == QuestionRole.group), None)


def _closed(survey: Survey) -> tuple[str, int]:
    return render_template("take/closed.html", survey=survey), 410


def _render(survey: Survey, form: ResponseForm, group: StakeholderGroup | None) -> str:
    errors = [(question, field) for question, field in form.answer_fields() if field.errors]
    return render_template(
        "take/respond.html",
        survey=survey,
        form=form,
        fixed_group=group,
        error_fields=errors,
        link_args=_link_args(survey),
        sections=survey.sections,
        question_type=question_type,
        field_name=field_name,
    )
