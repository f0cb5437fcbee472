"""The builder's lists of a whole survey: its recommendations (code, title and text in every
language) with the questions tagged by each, and the translation view. Each is one form saved
by one submit; row buttons work as in the question editor (views/rows.py)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult import db
from consult.authoring import recommendations, translations
from consult.authoring.common import Row
from consult.authoring.views import editor
from consult.authoring.views import rows as posted_rows
from consult.authoring.views.common import admin_survey, edit_url, failed
from consult.problems import Refusal
from consult.surveys.models import Survey
from consult.surveys.questions import question_type

Rows = list[tuple[int, Row]]


def _recommendations_page(
    survey: Survey, rows: Rows, tags: dict[str, str], errors: dict[str, str] | None = None,
    refusal: str = "",
) -> str:  # fmt: skip
    return render_template(
        "admin/builder/recommendations.html", survey=survey,
        rows=[row for _n, row in rows] or [Row(), Row()], tags=tags, errors=errors or {},
        refusal=refusal,
        taggable=[q for q in survey.ordered_questions() if question_type(q.type).has_answer],
        action_url=url_for("builder.recommendations_page", slug=survey.slug),
    )  # fmt: skip


@admin_survey
def recommendations_page(survey: Survey) -> ResponseReturnValue:
    if request.method == "GET":
        stored = list(enumerate(recommendations.rows_of(survey)))
        tags = {q.code: q.recommendation.code if q.recommendation else "" for q in survey.questions}
        return _recommendations_page(survey, stored, tags)
    form, langs = request.form, survey.languages
    rows = posted_rows.numbered(form, "c", lambda parts: posted_rows.list_row(parts, langs))
    tags = {name[4:]: value for name, value in form.items() if name.startswith("tag-")}
    action = form.get("action", "save")
    if action != "save":
        posted_rows.act(action, "c", rows, Row)
        return _recommendations_page(survey, rows, tags)
    try:
        recommendations.save_recommendations(db.session(), survey, [row for _n, row in rows], tags)
    except Refusal as error:
        failed()
        page = _recommendations_page(
            survey, rows, tags, error.by_field(), " ".join(error.general())
        )
        return page, error.status
    db.session().commit()
    if editor.wants_json():
        return jsonify(
            editor.saved_answer(url_for("builder.recommendations_page", slug=survey.slug))
        )
    return redirect(edit_url(survey) + "#h-structure")


@admin_survey
def translations_page(survey: Survey) -> ResponseReturnValue:
    """Every text missing a language, listed once however often it is used."""
    if request.method == "POST":
        typed = []
        for _number, parts in posted_rows.posted(request.form, "t"):
            keys = parts.get("keys", "").split()
            typed.append((keys, posted_rows.texts(parts, "text", survey.languages)))
        changed = translations.save_translations(db.session(), survey, typed)
        db.session().commit()
        flash(_("Texts translated: %(n)d.", n=changed))
        return redirect(url_for("builder.translations_page", slug=survey.slug))
    return render_template(
        "admin/builder/translations.html", survey=survey, missing=translations.missing(survey)
    )
