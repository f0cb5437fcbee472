"""The scale matrix editor: a page of statements on one scale (their points, from a preset or
typed), each statement with its text in every language and its recommendation, in one form.
Buttons work as in the question editor (views/rows.py): nothing typed is lost."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from consult import db
from consult.authoring import choices, matrices, presets
from consult.authoring.common import Row
from consult.authoring.content import questions_of
from consult.authoring.copies import free_code
from consult.authoring.views import editor
from consult.authoring.views import rows as posted_rows
from consult.authoring.views.common import admin_survey, edit_url, failed, section_of
from consult.problems import Refusal
from consult.surveys.models import Section, Survey

Rows = list[tuple[int, Row]]


def _blank(survey: Survey) -> tuple[dict[str, str], Rows, Rows]:
    code = free_code("statements", {s.code for s in survey.sections})
    labels = presets.points(presets.DEFAULT, survey.languages) or []
    points = [Row(label=label) for label in labels]
    return (
        {"code": code, "preset": presets.DEFAULT},
        list(enumerate(points)),
        [(0, Row()), (1, Row())],
    )


def _of(survey: Survey, section: Section) -> tuple[dict[str, str], Rows, Rows]:
    mine = questions_of(survey, section)
    values = {"code": section.code, "preset": ""}
    values |= {f"title-{k}": v for k, v in (section.title or {}).items()}
    values |= {f"intro-{k}": v for k, v in (section.intro or {}).items()}
    values["required"] = "1" if mine and all(q.required for q in mine) else ""
    points = choices.rows_of(mine[0]) if mine else []
    return (
        values,
        list(enumerate(points)),
        list(enumerate(matrices.statement_rows(survey, section))),
    )


def _posted(survey: Survey) -> tuple[dict[str, str], Rows, Rows]:
    form, langs = request.form, survey.languages
    values = {k: v for k, v in form.items() if k != "csrf_token" and not posted_rows.is_row_name(k)}
    points = posted_rows.numbered(form, "c", lambda parts: posted_rows.list_row(parts, langs))
    statements = posted_rows.numbered(form, "s", lambda p: posted_rows.list_row(p, langs))
    return values, points, statements


def _page(
    survey: Survey, section: Section | None, state: tuple[dict[str, str], Rows, Rows],
    errors: dict[str, str] | None = None, refusal: str = "",
) -> str:  # fmt: skip
    values, points, statements = state
    action = (
        url_for("builder.matrix", slug=survey.slug, section=section.code)
        if section is not None
        else url_for("builder.new_matrix", slug=survey.slug)
    )
    return render_template(
        "admin/builder/matrix.html", survey=survey, section=section, values=values,
        rows=[row for _n, row in points], statements=[row for _n, row in statements],
        errors=errors or {}, refusal=refusal, presets=presets.presets(),
        preset_points={p.key: p.points for p in presets.presets()}, action_url=action,
    )  # fmt: skip


def _act(survey: Survey, action: str, state: tuple[dict[str, str], Rows, Rows]) -> Any:
    values, points, statements = state
    if posted_rows.act(action, "c", points, Row) or posted_rows.act(action, "s", statements, Row):
        return state
    labels = presets.points(values.get("preset", ""), survey.languages)
    if action == "preset" and labels is not None:
        was = [row.was for _n, row in points]
        points = [
            (at, Row(was=was[at] if at < len(was) else "", label=label))
            for at, label in enumerate(labels)
        ]
    return values, points, statements


def _save(survey: Survey, section: Section | None) -> ResponseReturnValue:
    state = _posted(survey)
    action = request.form.get("action", "save")
    if action != "save":
        return _page(survey, section, _act(survey, action, state))
    values, points, statements = state
    langs = survey.languages
    data = matrices.MatrixInput(
        code=values.get("code", "").strip(),
        title={lang: values.get(f"title-{lang}", "") for lang in langs},
        intro={lang: values.get(f"intro-{lang}", "") for lang in langs},
        points=[row for _n, row in points], statements=[row for _n, row in statements],
        required=values.get("required") == "1",
    )  # fmt: skip
    try:
        saved = matrices.save_matrix(db.session(), survey, data, section)
    except Refusal as error:
        failed()
        general = " ".join(error.general())
        return _page(survey, section, state, error.by_field(), general), error.status
    db.session().commit()
    if editor.wants_json():
        url = url_for("builder.matrix", slug=survey.slug, section=saved.code)
        return jsonify(editor.saved_answer(url))
    return redirect(edit_url(survey) + f"#page-{saved.code}")


@admin_survey
def new_matrix(survey: Survey) -> ResponseReturnValue:
    if request.method == "GET":
        return _page(survey, None, _blank(survey))
    return _save(survey, None)


@admin_survey
def matrix(survey: Survey, section: str) -> ResponseReturnValue:
    found = section_of(survey, section)
    mine = questions_of(survey, found)
    if mine and not mine[0].settings.get("matrix"):
        abort(404)  # an ordinary page: edited on its own page
    if request.method == "GET":
        return _page(survey, found, _of(survey, found))
    return _save(survey, found)
