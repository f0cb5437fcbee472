"""The builder's pages (sections): add, edit, move and delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from consult import db
from consult.authoring import content, copies, sections
from consult.authoring.views.common import (
    admin_survey,
    done,
    edit_url,
    failed,
    move_step,
    overview,
    refused,
    section_of,
    texts_of,
    typed_form,
)
from consult.problems import Refusal
from consult.surveys.models import Section, Survey


@admin_survey
def add_section(survey: Survey) -> ResponseReturnValue:
    try:
        section = sections.add_section(db.session(), survey, request.form.get("code", "").strip())
    except Refusal as error:
        failed()
        errors = {"section-code": error.by_field()["code"]}
        return overview(survey, typed_form(), errors, form="add_section"), 400
    return done(url_for("builder.section", slug=survey.slug, section=section.code))


@admin_survey
def section(survey: Survey, section: str) -> ResponseReturnValue:
    found = section_of(survey, section)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        **{f"title-{k}": v for k, v in (found.title or {}).items()},
        **{f"intro-{k}": v for k, v in (found.intro or {}).items()},
    }
    mine = content.questions_of(survey, found)
    values["appearance"] = "table-list" if mine and mine[0].settings.get("matrix") else ""
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            sections.update_section(
                db.session(), survey, found, texts_of("title", survey.languages),
                texts_of("intro", survey.languages), values.get("appearance", ""),
            )  # fmt: skip
        except Refusal as error:
            failed()
            errors = error.by_field()
        else:
            return done(edit_url(survey))
    return render_template(
        "admin/builder/section.html", survey=survey, section=found, values=values, errors=errors
    ), (400 if errors else 200)


def _section_action(
    survey: Survey, code: str, action: Callable[[Any, Survey, Section], Any]
) -> ResponseReturnValue:
    found = section_of(survey, code)
    try:
        result = action(db.session(), survey, found)
    except Refusal as error:
        return refused(survey, error)
    shown = result if isinstance(result, Section) else found
    return done(edit_url(survey) + f"#page-{shown.code}")


@admin_survey
def move_section(survey: Survey, section: str) -> ResponseReturnValue:
    step = move_step()
    return _section_action(survey, section, lambda s, v, x: sections.move_section(s, v, x, step))


@admin_survey
def duplicate_section(survey: Survey, section: str) -> ResponseReturnValue:
    return _section_action(survey, section, copies.duplicate_section)


@admin_survey
def delete_section(survey: Survey, section: str) -> ResponseReturnValue:
    return _section_action(survey, section, sections.delete_section)
