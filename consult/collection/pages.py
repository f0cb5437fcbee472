"""Pages of a survey with skip logic, as the answering flow shows them (without JavaScript):
which questions the server judged not to apply, which page is shown (page 2 of 5), where Next
and Back go; a language switch that keeps every answer; the error summary, kept short.

The flow keeps what it worked out in a PageState, never on the WTForms form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g, request

from consult.collection import skiplogic
from consult.collection.form import ResponseForm
from consult.surveys.models import Question, Survey

# The name of the language switcher's buttons on a page of answers: each posts the form to the
# page's URL in its language, which redraws the page there; nothing is judged.
SWITCH = "switch"
# More errors than this are summarised by message and section, not one line each.
SHORT_SUMMARY = 4


@dataclass
class PageState:
    """What the server judged about the form being answered."""

    # Whether the rules were judged for this form yet (a first view judges a draft's answers).
    judged: bool = False
    # Codes of the questions that do not apply: not shown, not required, not stored.
    skipped: set[str] = field(default_factory=set)
    # Values by code as the rules saw them (for the browser's live rules).
    rule_answers: dict[str, str | None] = field(default_factory=dict)
    # The page to show (its section's position); None: the first page that applies.
    index: int | None = None

    def judge(self, survey: Survey, form: ResponseForm, lang: str) -> None:
        judgement = skiplogic.judge(survey, form, lang)
        self.judged, self.skipped, self.rule_answers = True, judgement.skipped, judgement.answers


def posted_page(survey: Survey) -> tuple[int, int]:
    """(the page the form was posted from, the step asked: 1 Next, -1 Back, 0 Submit)."""
    try:
        at = min(max(int(request.form.get("page_at", "0")), 0), len(survey.sections) - 1)
    except ValueError:
        at = 0
    # "enter": Enter pressed in a text box (the page's hidden default button), as Next.
    return at, {"next": 1, "enter": 1, "back": -1}.get(request.form.get("page", ""), 0)


def switching_language() -> bool:
    """The form was posted by the language switcher: show it again, answers kept, in the
    language of the URL it was posted to."""
    return SWITCH in request.form


def stay(survey: Survey, form: ResponseForm, paged: bool) -> PageState:
    """The state of a page redrawn in another language: the same page, its answers, no errors
    (nothing was submitted, so nothing is judged but which questions apply)."""
    state = PageState()
    if paged:
        state.judge(survey, form, g.content_language)
        state.index = posted_page(survey)[0]
    skiplogic.keep_errors(form, None)
    form.form_errors.clear()
    return state


def turn(survey: Survey, form: ResponseForm, state: PageState, valid: bool) -> int | None:
    """Next checks this page, Back never does. Returns the HTTP status of the page to show
    again (200 a new page, 400 this page with its errors), or None to go on and submit."""
    at, step = posted_page(survey)
    state.index = at
    if step:
        # Moving between pages stores nothing, so an expired token can wait until Submit.
        form.csrf_token.errors = []
        section = survey.sections[at]
        if step > 0 and any(f.errors for q, f in form.answer_fields() if q.section is section):
            skiplogic.keep_errors(form, section)
            return 400
        target = skiplogic.next_page(survey, at, state.skipped, step)
        if target != at or step < 0:
            skiplogic.keep_errors(form, None)
            state.index = target
            return 200
    if not valid:
        failing = skiplogic.first_page_with_errors(survey, form)
        state.index = at if failing is None else failing
        skiplogic.keep_errors(form, survey.sections[state.index])
    return None


def shown(
    survey: Survey, form: ResponseForm, state: PageState, draft_items: list[tuple[str, str]]
) -> dict[str, Any]:
    """What the template needs to draw the page of a survey with skip logic."""
    if not state.judged:  # a first view: judge what a draft already answered
        state.judge(survey, form, g.content_language)
        skiplogic.keep_errors(form, None)
    posted = list(request.form.items(multi=True)) if request.method == "POST" else draft_items
    first = (skiplogic.pages(survey, state.skipped) or [0])[0]
    index = first if state.index is None else state.index
    failing = skiplogic.first_page_with_errors(survey, form)
    if failing is not None and failing != index:  # e.g. the group is full: show its page
        index = failing
    carried = [(k, v) for k, v in posted if k.startswith("q_")]
    page = skiplogic.page_at(survey, index, state.skipped, carried)
    shown_pages = skiplogic.pages(survey, state.skipped) or [0]
    number = shown_pages.index(index) + 1 if index in shown_pages else 1
    conditional = skiplogic.conditional_here(page.section, state.skipped)
    return {
        "sections": [page.section],
        "step": page,
        # "Page 2 of 5": the pages that apply, as the answers so far decide.
        "position": (number, max(len(shown_pages), number)),
        "skipped": skiplogic.hidden_on(page.section, state.skipped),
        # Shown before it is known whether they apply: no required mark yet, and a note.
        "pending": conditional & state.skipped,
        "conditions": skiplogic.notes(survey, page.section, conditional, g.content_language),
        "live": skiplogic.live_rules([page.section], state.rule_answers),
        "narrowed": skiplogic.narrowed([page.section], state.rule_answers),
    }


@dataclass
class SummaryLink:
    """One line of the error summary: a link to the first field it concerns."""

    question: Question
    field: Any
    # How many questions of the section share the message (more than one: the line names the
    # section, the field links to the first of them).
    count: int = 1


def error_summary(form: ResponseForm) -> list[tuple[str, list[SummaryLink]]]:
    """The error summary: (message, links) in page order.

    A few errors are listed one by one. More are grouped: each message once, with one link per
    section holding questions that have it (the NISP form sent back empty is two lines of
    messages and eight links, not fifteen entries over three screens).
    """
    failing = [(q, f) for q, f in form.answer_fields() if f.errors]
    grouped: dict[str, list[SummaryLink]] = {}
    for question, fld in failing:
        links = grouped.setdefault(str(fld.errors[0]), [])
        grouping = len(failing) > SHORT_SUMMARY
        if grouping and links and links[-1].question.section is question.section:
            links[-1].count += 1
        else:
            links.append(SummaryLink(question, fld))
    return list(grouped.items())
