"""Surveys: the list a token may read, one survey, its definition, its XLSForm, its figures."""

from __future__ import annotations

import io
from typing import Any

from flask import send_file
from werkzeug.wrappers import Response

from consult import db
from consult.accounts import tokens
from consult.accounts.audit import Action, record
from consult.accounts.roles import INTERVIEWERS, MEMBERS, ORGANIZERS, STAFF
from consult.analysis.filters import Filters
from consult.api import schemas
from consult.api.summary import summary_figures
from consult.api.views.auth import current_token, token_only, token_survey
from consult.api.views.blueprint import bp
from consult.authoring.dumping import dump_survey
from consult.spreadsheets.workbooks import XLSX
from consult.surveys.models import Survey


def survey_out(survey: Survey) -> dict[str, Any]:
    return {
        "slug": survey.slug, "title": dict(survey.title), "state": str(survey.state),
        "anonymous": survey.anonymous, "languages": list(survey.languages),
        "accepting_answers": survey.accepting_answers(),
    }  # fmt: skip


@bp.route("/surveys", methods=["GET"])
@bp.response(200, schemas.SurveyList)
@bp.alt_response(401, schema=schemas.Error)
@token_only
def surveys() -> dict[str, Any]:
    """The surveys this token may read."""
    found = tokens.surveys_for_token(db.session(), current_token())
    return {"surveys": [survey_out(s) for s in found]}


@bp.route("/surveys/<slug>", methods=["GET"])
@bp.response(200, schemas.SurveyOut)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*MEMBERS)
def survey(survey: Survey) -> dict[str, Any]:
    """One survey (any member: the list shows every survey its user has a part in)."""
    return survey_out(survey)


@bp.route("/surveys/<slug>/definition", methods=["GET"])
@bp.response(200, schemas.Definition)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*INTERVIEWERS)
def definition(survey: Survey) -> dict[str, Any]:
    """The survey as a definition: the JSON form of consult/data/*.yaml.

    Interviewers too: they see every question when they enter answers on the web, and a
    program that sends responses needs the questions' and choices' codes."""
    return dump_survey(survey)


@bp.route("/surveys/<slug>/form.xlsx", methods=["GET"])
@bp.response(200, {"format": "binary", "type": "string"}, content_type=XLSX)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*ORGANIZERS)
def xlsform(survey: Survey) -> Response:
    """The survey as an XLSForm (the same file as the builder's download)."""
    from consult.authoring.xlsform.write import write_xlsform  # openpyxl: loaded when asked

    book = io.BytesIO()
    write_xlsform(survey, book)
    book.seek(0)
    return send_file(book, mimetype=XLSX, as_attachment=True, download_name=f"{survey.slug}.xlsx")


@bp.route("/surveys/<slug>/summary", methods=["GET"])
@bp.response(200, schemas.SummaryOut)
@bp.alt_response(404, schema=schemas.Error)
@token_survey(*STAFF)
@bp.arguments(schemas.SummaryQuery, location="query", as_kwargs=True)
def summary(survey: Survey, **query: Any) -> dict[str, Any]:
    """The summary workbook's figures (groups under k suppressed, as in the workbook)."""
    session = db.session()
    filters = Filters(channel=query.get("channel"), since=query.get("since"),
                      until=query.get("until"))  # fmt: skip
    record(session, current_token().user, Action.export, survey, target="api summary")
    figures = summary_figures(session, survey, filters)
    session.commit()
    return figures
