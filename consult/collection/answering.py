"""Answering a survey, whichever way the respondent came: a public or group link, an
invitation, a resume code, or an interviewer entering answers. One flow, so every entry point
validates, stores and protects answers the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Response,
    after_this_request,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import validate_csrf
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from consult import db
from consult.collection import computed, devices, drafts, invitations, pages, skiplogic, timing
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
from consult.collection.pages import PageState
from consult.collection.pending import PendingUses, pending_uses
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

GROUP_FULL = _l(
    "We already have all the answers we need from this group. Thank you for your interest."
)
NOT_SAVED = _l(
    "We could not save your answers just now. They are still here: please try again in a minute."
)


def answer(entry: Entry) -> ResponseReturnValue:
    """Show, check, turn the page of, save or store the response form of ``entry``."""
    try:
        result = _answer(entry)
    except (DBAPIError, SATimeoutError):
        if entry.form is None or request.method != "POST":
            raise  # no form yet: the application's handler keeps the posted answers
        # The database failed after the form was read: show it again with every answer.
        db.discard_session()
        entry.form.form_errors.append(str(NOT_SAVED))
        return _render(entry, entry.form, entry.state or PageState()), 503
    if not entry.stored and not entry.verified:
        try:
            _check_current(entry)  # an error page or a new page: only from the current survey
        except (DBAPIError, SATimeoutError):
            db.discard_session()  # the database is failing: the page already says so
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
        form.nonce.data = timing.stamped_nonce(new_nonce())
        _remember_device(survey, entry.channel)
        return _render(entry, form, PageState())
    return _posted(entry, form_class())


def _remember_device(survey: Survey, channel: str) -> None:
    """Give this browser a device cookie with the page, if the survey keeps devices."""
    if not devices.tracked(survey, channel):
        return
    if devices.cookie_value(request.cookies.get(devices.COOKIE)) is not None:
        return
    value = devices.new_device()

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            devices.COOKIE, value, max_age=devices.MAX_AGE, path="/", secure=request.is_secure,
            httponly=True, samesite="Lax",
        )  # fmt: skip
        return response


def _posted(entry: Entry, form: ResponseForm) -> ResponseReturnValue:
    """A posted form: refused if forged, saved for later, a page turned, or stored."""
    if unknown_fields(request.form.keys(), form):
        return render_error(
            400, _("The form contains answers to questions this survey does not have.")
        )
    group_question = _derived(entry, "group_question", _group_question)
    if entry.group is not None and group_question is not None:
        form[field_name(group_question)].data = entry.group.code  # the link decides the group
    if pages.switching_language():  # the same page in another language, every answer kept
        paged = _derived(entry, "branches", skiplogic.branches)
        return _render(entry, form, pages.stay(entry.survey, form, paged))
    state = PageState()
    entry.form, entry.state = form, state
    if request.form.get("save") and entry.allow_save:
        return _save(entry, form, state)
    valid = form.validate()
    if _derived(entry, "has_rules", skiplogic.has_rules):  # the server judges the rules
        state.judge(entry.survey, form, g.content_language)
        valid = not skiplogic.has_errors(form)
        if _derived(entry, "branches", skiplogic.branches):
            status = pages.turn(entry.survey, form, state, valid)
            if status is not None:
                return _render(entry, form, state), status
    if not valid:
        if form.csrf_token.errors or form.nonce.errors:
            # An expired session: keep every answer, give a fresh token, ask to submit again.
            form.csrf_token.errors = []
            form.form_errors.append(
                _("Your session expired. Your answers are kept: check them and submit again.")
            )
            form.nonce.data = form.nonce.data or timing.stamped_nonce(new_nonce())
        return _render(entry, form, state), 400
    if entry.preview:
        return render_template("admin/builder/preview_done.html", survey=entry.survey)
    return _store(entry, form, state)


def _submission(entry: Entry, form: ResponseForm, state: PageState) -> Submission:
    """The validated answers in storage form, leaving out what does not apply."""
    answers = {}
    fields = form._fields
    storing = _derived(entry, "storing", lambda _survey: _storing(form))
    for question, qid, code, name, qtype in storing:
        if code in state.skipped:
            continue  # not relevant: not stored, whatever the page carried
        value = qtype.to_storage(question, fields[name].data)
        if value is not None:
            answers[qid] = value
    if _derived(entry, "computed", computed.has_computed):  # calculations, start and end times
        now = computed.moment(entry.survey, form.nonce.data)
        answers |= computed.computed_answers(entry.survey, state.rule_answers, now, state.skipped)
    return Submission(
        answers=answers,
        language=g.content_language,
        channel=entry.channel,
        nonce=form.nonce.data,
        enumerator_id=entry.enumerator.id if entry.enumerator else None,
        duration_s=timing.duration(form.nonce.data),
        device_hash=devices.device_hash(
            entry.survey,
            entry.channel,
            request.cookies.get(devices.COOKIE),
            str(current_app.config.get("SECRET_KEY") or ""),
        ),  # fmt: skip
    )


def _store(entry: Entry, form: ResponseForm, state: PageState) -> ResponseReturnValue:
    survey = entry.survey
    submission = _submission(entry, form, state)
    session = db.session()
    expected = entry.cached.key if entry.cached is not None else None
    claimed = _anonymous_use(entry)
    try:
        if claimed is not None:  # spent apart from the response's transaction (pending.py)
            invitations.claim_anonymously(session, claimed, entry.invitation)  # type: ignore[arg-type]
        db.prepare_write()  # SQLite: waits for the write lock, at most the busy timeout
        invitation = None if claimed is not None else entry.invitation
        submit(session, survey, submission, invitation=invitation, draft=entry.draft,
               expected=expected or None)  # fmt: skip
        session.commit()
        entry.stored = True
    except DuplicateSubmission:
        # The same form arrived twice (a double click, or Back and submit): the first counts.
        _give_back(session, claimed, entry)
    except (invitations.InvitationUsed, drafts.DraftGone):
        # The invitation was used, or these saved answers were submitted from another tab.
        _give_back(session, None, entry)  # a refused claim is not ours to release
        return render_template("take/already.html", survey=survey), 409
    except QuotaFull:
        _give_back(session, claimed, entry)
        group_question = next(q for q in survey.questions if q.role == QuestionRole.group)
        form[field_name(group_question)].errors = [str(GROUP_FULL)]
        return _render(entry, form, state), 409
    except (DBAPIError, SATimeoutError):
        # The database failed: say so, and keep every answer in the page to send again.
        _give_back(session, claimed, entry, discard=True)
        form.form_errors.append(str(NOT_SAVED))
        return _render(entry, form, state), 503
    except BaseException:
        _give_back(session, claimed, entry)
        raise
    if claimed is not None:
        claimed.confirm(entry.invitation_id)
    if entry.enumerator is not None:
        flash(_("Saved. You can enter the next respondent's answers."))
    return redirect(entry.thanks_url)


def _anonymous_use(entry: Entry) -> PendingUses | None:
    """The pending store, when this submission spends an anonymous survey's invitation."""
    if entry.invitation is None or not entry.survey.anonymous or entry.draft is not None:
        return None
    return pending_uses()


def _give_back(
    session: Any, claimed: PendingUses | None, entry: Entry, discard: bool = False
) -> None:
    """Undo a refused or failed store: the transaction, and the invitation's claim."""
    if claimed is not None and entry.invitation is not None:
        claimed.release(entry.invitation_id)
    if discard:
        db.discard_session()
    else:
        session.rollback()


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


def _save(entry: Entry, form: ResponseForm, state: PageState) -> ResponseReturnValue:
    """Save and continue later: keep what was typed on the server, hand out a resume code."""
    if not entry.verified:
        _check_current(entry)  # before anything is written
    try:
        validate_csrf(form.csrf_token.data)
    except ValidationError:
        form.form_errors.append(_("Your session expired. Your answers are kept: save them again."))
        return _render(entry, form, state), 400
    db.prepare_write()
    session = db.session()
    data = drafts.form_data(request.form, FIELD_PREFIX)
    claimed = _anonymous_use(entry)
    try:
        if claimed is not None:  # the saved draft now stands for the invitation (no link kept)
            invitations.claim_anonymously(session, claimed, entry.invitation)  # type: ignore[arg-type]
        elif entry.invitation is not None and entry.draft is None:
            invitations.mark_used(session, entry.invitation, None)
    except invitations.InvitationUsed:
        session.rollback()
        return render_template("take/already.html", survey=entry.survey), 409
    try:
        draft, code = drafts.save_draft(
            session, entry.survey, data, g.content_language, entry.group, entry.invitation,
            entry.draft,
        )  # fmt: skip
        session.commit()
    except BaseException:
        _give_back(session, claimed, entry)
        raise
    if claimed is not None:
        claimed.confirm(entry.invitation_id)
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


def _render(entry: Entry, form: ResponseForm, state: PageState) -> str:
    survey = entry.survey
    page: dict[str, Any] = {"sections": survey.sections, "step": None, "skipped": set(),
                            "live": None, "narrowed": {}}  # fmt: skip
    if _derived(entry, "branches", skiplogic.branches):
        draft_items = _draft_items(entry.draft) if entry.draft else []
        page = pages.shown(survey, form, state, draft_items)
    errors = [(question, fld) for question, fld in form.answer_fields() if fld.errors]
    return render_template(
        "take/respond.html",
        survey=survey,
        form=form,
        entry=entry,
        fixed_group=entry.group,
        error_fields=errors,
        summary=pages.error_summary(form),
        form_action=entry.action(),
        switch_url=entry.switch_url,
        allow_save=entry.allow_save,
        channel_label=entry.channel_label,
        question_type=question_type,
        field_name=field_name,
        **page,
    )
