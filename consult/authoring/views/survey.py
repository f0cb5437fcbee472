"""The builder's survey pages: create, overview, settings, lifecycle, duplicate, delete, preview."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult import db
from consult.accounts.access import admins_only, survey_roles
from consult.accounts.roles import ORGANIZERS
from consult.analysis import thresholds
from consult.authoring import surveys as authoring
from consult.authoring.views.common import (
    admin_survey,
    done,
    edit_url,
    failed,
    language_choices,
    overview,
    refused,
    texts_of,
    typed_form,
)
from consult.collection.answering import answer
from consult.collection.cache import Cached
from consult.collection.entry import entry_for
from consult.i18n import content_language
from consult.problems import Refusal
from consult.surveys.models import PUBLIC_PAGE, PUBLIC_QUOTES, Survey

# The settings form's fields about sharing results: the public page, its quotes, the wave.
SHARING = (PUBLIC_PAGE, PUBLIC_QUOTES, "previous_wave")


@admins_only
def new() -> ResponseReturnValue:
    values: dict[str, Any] = {
        "languages": ["en", "ur"], "default_language": "en", "k_min": "5", "anonymous": "1"
    }  # fmt: skip
    errors: dict[str, str] = {}
    languages = ["en", "ur"]
    if request.method == "POST":
        values = typed_form()
        languages = authoring.chosen_languages(values.get("default_language", ""),
                                               values["languages"])  # fmt: skip
        try:
            survey = authoring.new_survey(
                db.session(),
                slug=values.get("slug", "").strip(),
                languages=languages,
                title=texts_of("title", languages),
                anonymous=values.get("anonymous") == "1",
                k_min=values.get("k_min", ""),
            )
        except Refusal as error:
            failed()
            errors = error.by_field()
        else:
            return done(edit_url(survey))
    status = 400 if errors else 200
    return render_template(
        "admin/builder/new.html",
        values=values,
        errors=errors,
        languages=languages or ["en"],
        language_choices=language_choices(languages),
    ), status


@admin_survey
def edit(survey: Survey) -> str:
    return overview(survey)


@admin_survey
def settings(survey: Survey) -> ResponseReturnValue:
    form = request.form
    languages = authoring.chosen_languages(
        form.get("default_language", ""), form.getlist("languages")
    )
    try:
        authoring.update_survey(
            db.session(), survey, languages=languages,
            title=texts_of("title", languages + survey.languages),
            description=texts_of("description", languages + survey.languages),
            anonymous=form.get("anonymous") == "1", k_min=form.get("k_min", ""),
            opens_on=form.get("opens_on", ""), closes_on=form.get("closes_on", ""),
            analysis={name: form.get(name, "") for name in thresholds.RANGES},
            sharing={name: form.get(name, "") for name in SHARING},
        )  # fmt: skip
    except Refusal as error:
        return refused(survey, error, "settings")
    return done(edit_url(survey))


@admin_survey
def state(survey: Survey) -> ResponseReturnValue:
    if request.form.get("action") == "close" and request.form.get("confirm") != "yes":
        failed()
        return redirect(url_for("admin.close", slug=survey.slug))  # closing asks first
    try:
        authoring.change_state(db.session(), survey, request.form.get("action", ""))
    except Refusal as error:
        return refused(survey, error, "state")
    return done(edit_url(survey))


@admin_survey
def duplicate(survey: Survey) -> ResponseReturnValue:
    try:
        copied = authoring.duplicate_survey(
            db.session(), survey, request.form.get("new_slug", "").strip(),
            as_wave=request.form.get("as_wave") == "1",
        )  # fmt: skip
    except Refusal as error:
        failed()
        errors = {"new_slug": error.by_field().get("slug", "")}
        return overview(survey, typed_form(), errors, form="duplicate"), 400
    return done(edit_url(copied))


@admin_survey
def delete(survey: Survey) -> ResponseReturnValue:
    if request.form.get("confirm_slug", "") != survey.slug:
        failed()
        errors = {"confirm_slug": _("Type the survey's address to confirm.")}
        return overview(survey, errors=errors, form="delete"), 400
    try:
        authoring.delete_survey(db.session(), survey)
    except Refusal as error:
        return refused(survey, error, "delete")
    return done(url_for("admin.index"))


@survey_roles(*ORGANIZERS)
def preview(survey: Survey) -> ResponseReturnValue:
    """The respondent's page through the one answering flow, in any state; nothing is stored."""
    lang = content_language(survey.languages, follow=True)
    entry = entry_for(
        Cached(survey), "builder.preview", lang, {"slug": survey.slug},
        preview=True, allow_save=False,
    )  # fmt: skip
    return answer(entry)
