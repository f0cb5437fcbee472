"""Answering a survey, whichever way the respondent came: a public or group link, an
invitation, a resume code, or an interviewer entering answers. One flow, so every entry point
validates, stores and protects answers the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from consult import db
from consult.collection import drafts, invitations, skiplogic
from consult.collection.cache import StaleSurvey, current_key
from consult.collection.entry import Entry
from consult.collection.form import (
    FIELD_PREFIX,
    ResponseForm,
    field_name,
    response_form_class,
    unknown_fields,
)
from consult.collection.models import Channel, Draft
from consult.collection.responses import (
    DuplicateSubmission,
    QuotaFull,
    Submission,
    check_quota,
    new_nonce,
    submit,
)
from consult.errors import render_error
from consult.surveys.models import Question, QuestionRole, Survey
from consult.surveys.questions import question_type


def answer(entry: Entry) -> ResponseReturnValue:
    """Show, check, turn the page of, save or store the response form of ``entry``."""
    result = _answer(entry)
    if not entry.stored and not entry.verified:
        try:
            _check_current(entry)  # an error page or a new page: only from the current survey
        except DBAPIError:
            db.session().rollback()  # the database is failing: the page already says so
    return result


def _check_current(entry: Entry) -> None:
    if entry.cached is not None and current_key(db.session(), entry.survey.id) != entry.cached.key:
        raise StaleSurvey(entry.survey.slug)


def _answer(entry: Entry) -> ResponseReturnValue:
    survey = entry.survey
    if not entry.preview and not survey.accepting_answers():
        if request.method == "POST":
            return render_error(410)
        return render_template("take/closed.html", survey=survey), 410
    if entry.group is not None and _group_full(entry):
        return render_template("take/full.html", survey=survey, group=entry.group), 410

    consent = entry.channel == Channel.enumerator
    lang = g.content_language
    if entry.cached is not None:  # built once per survey version, language and mode
        form_class = entry.cached.get(
            ("form", lang, consent), lambda: response_form_class(survey, lang, consent)
        )
    else:
        form_class = response_form_class(survey, lang, consent)
    if request.method != "POST":
        formdata = MultiDict(_draft_items(entry.draft)) if entry.draft else None
        form = form_class(formdata=formdata, data=None if formdata else skiplogic.defaults(survey))
        form.nonce.data = new_nonce()
        return _render(entry, form)

    form = form_class()
    forged = unknown_fields(request.form.keys(), form)
    if forged:
        return render_error(
            400, _("The form contains answers to questions this survey does not have.")
        )
    group_question = _derived(entry, "group_question", _group_question)
    if entry.group is not None and group_question is not None:
        form[field_name(group_question)].data = entry.group.code  # the link decides the group
    if request.form.get("save") and entry.allow_save:
        return _save(entry, form)
    valid = form.validate()
    if _derived(
        entry, "has_rules", skiplogic.has_rules
    ):  # the server judges relevance, constraints
        _judged(form, skiplogic.judge(survey, form, lang))
        valid = not skiplogic.has_errors(form)
        if (
            _derived(entry, "branches", skiplogic.branches)
            and (turned := _turn_page(entry, form, valid)) is not None
        ):
            return turned
    if not valid:
        if form.csrf_token.errors or form.nonce.errors:
            # An expired session: keep every answer, give a fresh token, ask to submit again.
            form.csrf_token.errors = []
            form.form_errors.append(
                _("Your session expired. Your answers are kept: check them and submit again.")
            )
            form.nonce.data = form.nonce.data or new_nonce()
        return _render(entry, form), 400
    return _store(entry, form)


def _store(entry: Entry, form: ResponseForm) -> ResponseReturnValue:
    survey = entry.survey
    if entry.preview:
        return render_template("admin/builder/preview_done.html", survey=survey)
    answers = {}
    skipped: set[str] = getattr(form, "skipped", set())
    fields = form._fields
    storing = _derived(entry, "storing", lambda _survey: _storing(form))
    for question, qid, code, name, qtype in storing:
        if code in skipped:
            continue  # not relevant: not stored, whatever the page carried
        value = qtype.to_storage(question, fields[name].data)
        if value is not None:
            answers[qid] = value
    submission = Submission(
        answers=answers,
        language=g.content_language,
        channel=entry.channel,
        nonce=form.nonce.data,
        enumerator_id=entry.enumerator.id if entry.enumerator else None,
    )
    db.prepare_write()
    session = db.session()
    expected = entry.cached.key if entry.cached is not None else None
    try:
        submit(
            session,
            survey,
            submission,
            invitation=entry.invitation,
            draft=entry.draft,
            expected=expected or None,
        )
        session.commit()
        entry.stored = True
    except DuplicateSubmission:
        # The same form arrived twice (a double click, or Back and submit): the first counts.
        session.rollback()
    except (invitations.InvitationUsed, drafts.DraftGone):
        # The invitation was used, or these saved answers were submitted from another tab.
        session.rollback()
        return render_template("take/already.html", survey=survey), 409
    except QuotaFull:
        session.rollback()
        group_question = next(q for q in survey.questions if q.role == QuestionRole.group)
        form[field_name(group_question)].errors = [
            _(
                "We already have all the answers we need from this group. "
                "Thank you for your interest."
            )
        ]
        return _render(entry, form), 409
    except DBAPIError:
        # The database failed: say so, and keep every answer in the page to send again.
        session.rollback()
        form.form_errors.append(
            _(
                "We could not save your answers just now. "
                "They are still here: please try again in a minute."
            )
        )
        return _render(entry, form), 503
    if entry.enumerator is not None:
        flash(_("Saved. You can enter the next respondent's answers."))
    return redirect(entry.thanks_url)


def _derived(entry: Entry, name: str, build: Callable[[Survey], Any]) -> Any:
    """``build(survey)``, made once per cached survey version (the hot path reads no ORM
    attribute it need not: each costs a descriptor call)."""
    if entry.cached is None:
        return build(entry.survey)
    return entry.cached.get(name, lambda: build(entry.survey))


def _group_question(survey: Survey) -> Question | None:
    return next((q for q in survey.questions if q.role == QuestionRole.group), None)


def _storing(form: ResponseForm) -> list[tuple[Question, int, str, str, Any]]:
    """(question, id, code, field name, type) of every question with a field in ``form``."""
    return [(q, q.id, q.code, name, question_type(q.type)) for q, name in form.answerable]


def _save(entry: Entry, form: ResponseForm) -> ResponseReturnValue:
    """Save and continue later: keep what was typed on the server, hand out a resume code."""
    if not entry.verified:
        _check_current(entry)  # before anything is written
    try:
        validate_csrf(form.csrf_token.data)
    except ValidationError:
        form.form_errors.append(_("Your session expired. Your answers are kept: save them again."))
        return _render(entry, form), 400
    db.prepare_write()
    session = db.session()
    data = drafts.form_data(request.form, FIELD_PREFIX)
    try:
        if entry.invitation is not None and entry.draft is None:
            # The saved draft now stands for the invitation: anonymous drafts keep no link.
            invitations.mark_used(session, entry.invitation, None)
        draft, code = drafts.save_draft(
            session,
            entry.survey,
            data,
            g.content_language,
            entry.group,
            entry.invitation,
            entry.draft,
        )
        session.commit()
    except invitations.InvitationUsed:
        session.rollback()
        return render_template("take/already.html", survey=entry.survey), 409
    return render_template(
        "take/saved.html",
        survey=entry.survey,
        code=drafts.display_code(code) if code else None,
        raw_code=code,
        expires_on=draft.expires_on,
    )


def _group_full(entry: Entry) -> bool:
    if entry.group is None:
        return False
    try:
        check_quota(db.session(), entry.survey, entry.group.id)
    except QuotaFull:
        return True
    return False


def _draft_items(draft: Draft) -> list[tuple[str, str]]:
    return [(key, value) for key, values in draft.data.items() for value in values]


def _turn_page(entry: Entry, form: ResponseForm, valid: bool) -> ResponseReturnValue | None:
    """Pages without JavaScript: Next checks this page, Back never does; None means submit."""
    survey = entry.survey
    try:
        at = min(max(int(request.form.get("page_at", "0")), 0), len(survey.sections) - 1)
    except ValueError:
        at = 0
    step = {"next": 1, "back": -1}.get(request.form.get("page", ""), 0)
    form.page_index = at
    if step:
        # Moving between pages stores nothing, so an expired token can wait until Submit.
        form.csrf_token.errors = []
        section = survey.sections[at]
        if step > 0 and any(f.errors for q, f in form.answer_fields() if q.section is section):
            skiplogic.keep_errors(form, section)
            return _render(entry, form), 400
        target = skiplogic.next_page(survey, at, form.skipped, step)
        if target != at or step < 0:
            skiplogic.keep_errors(form, None)
            form.page_index = target
            return _render(entry, form)
    if not valid:
        failing = skiplogic.first_page_with_errors(survey, form)
        form.page_index = at if failing is None else failing
        skiplogic.keep_errors(form, survey.sections[form.page_index])
    return None


def _judged(form: ResponseForm, judgement: skiplogic.Judgement) -> None:
    """Keep what the server judged: which questions are skipped, and the values rules saw."""
    form.skipped = judgement.skipped
    form.rule_answers = judgement.answers


def _render(entry: Entry, form: ResponseForm) -> str:
    page = None
    sections = entry.survey.sections
    if _derived(entry, "branches", skiplogic.branches):
        if not hasattr(form, "skipped"):  # first view: judge what a draft already answered
            _judged(form, skiplogic.judge(entry.survey, form, g.content_language))
            skiplogic.keep_errors(form, None)
        if request.method == "POST":
            posted = list(request.form.items(multi=True))
        else:
            posted = _draft_items(entry.draft) if entry.draft else []
        shown = skiplogic.pages(entry.survey, form.skipped) or [0]
        index = getattr(form, "page_index", shown[0])
        failing = skiplogic.first_page_with_errors(entry.survey, form)
        if failing is not None and failing != index:  # e.g. the group is full: show its page
            index = failing
        page = skiplogic.page_at(
            entry.survey, index, form.skipped, [(k, v) for k, v in posted if k.startswith("q_")]
        )
        sections = [page.section]
    errors = [(question, fld) for question, fld in form.answer_fields() if fld.errors]
    return render_template(
        "take/respond.html",
        survey=entry.survey,
        form=form,
        entry=entry,
        fixed_group=entry.group,
        error_fields=errors,
        form_action=entry.action(),
        switch_url=entry.switch_url,
        allow_save=entry.allow_save,
        channel_label=entry.channel_label,
        sections=sections,
        step=page,
        skipped=skiplogic.hidden_on(page.section, form.skipped) if page else set(),
        live=skiplogic.live_rules([page.section], getattr(form, "rule_answers", {}))
        if page
        else None,
        question_type=question_type,
        field_name=field_name,
    )
