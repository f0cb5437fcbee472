"""Relevance (skip logic), constraints and their messages: checked when a survey is defined, and
judged on the server when a respondent answers (the browser may help, never decides).

Answers are the stored values by question code. Questions are judged in order, so relevance
may use earlier answers; a question that is not relevant is not shown, not required, and its
answer is not stored. Constraints are judged once every answer is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.db import utcnow
from consult.surveys.cascades import allowed_codes, live_filter
from consult.surveys.codes import field_base, field_name
from consult.surveys.conditions import describe
from consult.surveys.expressions import ExpressionError, evaluate, parse, references, truthy
from consult.surveys.models import Question, Section, Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.base import REQUIRED_MESSAGE
from consult.surveys.questions.choice import UNKNOWN_CHOICE
from consult.surveys.questions.computed import Moment

CONSTRAINT_FAILED = _l("This answer is not allowed here. Please check it.")
THEN_REQUIRED = _l("Then an answer is required.")


# ---------------------------------------------------------------- checks when defining a survey


# ---------------------------------------------------------------- judging an answered form


def has_rules(survey: Survey) -> bool:
    keys = ("relevant", "constraint", "required_message", "calculation", "choice_filter")
    return any(key in q.settings for q in survey.questions for key in keys)


def branches(survey: Survey) -> bool:
    """Skip logic: sections become pages that branch on the server."""
    return any("relevant" in q.settings or "choice_filter" in q.settings for q in survey.questions)


def defaults(survey: Survey) -> dict[str, Any] | None:
    """The first view's answers given by ``default`` settings, by field name (None: none)."""
    found: dict[str, Any] = {}
    for question in survey.questions:
        value = question.settings.get("default")
        if value is None or value == "":
            continue
        found[field_name(question.code)] = question_type(question.type).default_formdata(str(value))
    return found or None


def rule_value(question: Question, value: str | None) -> str | None:
    """The value expressions see (choice codes without the "other" text: the type says)."""
    return question_type(question.type).rule_value(value)


@dataclass
class Judgement:
    # Codes of the questions that are not relevant: not shown, not required, not stored.
    skipped: set[str] = field(default_factory=set)
    # Values by code as expressions see them (irrelevant and invalid answers are None).
    answers: dict[str, str | None] = field(default_factory=dict)


def judge(survey: Survey, form: Any, lang: str) -> Judgement:
    """After ``form.validate()``: drop what relevance hides, add constraint errors, and give the
    survey's own required messages."""
    fields = dict(form.answer_fields()) if hasattr(form, "answer_fields") else {}
    by_question = {q.id: f for q, f in fields.items()}
    result = Judgement()
    for question in survey.ordered_questions():
        fld = by_question.get(question.id)
        if not _relevant(question, result.answers):
            result.skipped.add(question.code)
            result.answers[question.code] = None
            if fld is not None:
                fld.errors = []
            continue
        if fld is None:
            qtype = question_type(question.type)
            if qtype.computed:  # a calculation later rules may use
                when = Moment(None, utcnow(), survey.anonymous)
                result.answers[question.code] = qtype.compute(question, result.answers, when)
            continue
        value = None
        if not fld.errors:
            try:
                value = question_type(question.type).to_storage(question, fld.data)
            except (ValueError, TypeError, KeyError):  # not validated yet (a first view)
                value = None
        result.answers[question.code] = rule_value(question, value)
        _check_filter(question, fld, result.answers)
        message = question.settings.get("required_message")
        if message and any(str(e) == str(REQUIRED_MESSAGE) for e in fld.errors):
            fld.errors = [survey.text(message, lang)]
    for question, fld in fields.items():
        constraint = question.settings.get("constraint")
        current = result.answers.get(question.code)
        if not constraint or question.code in result.skipped or current is None or fld.errors:
            continue
        if not _holds(constraint, result.answers, current):
            message = question.settings.get("constraint_message")
            fld.errors = [survey.text(message, lang) if message else str(CONSTRAINT_FAILED)]
    return result


def _check_filter(question: Question, fld: Any, answers: dict[str, str | None]) -> None:
    """A cascading select's answer must be one the earlier answers offer."""
    value = answers.get(question.code)
    allowed = allowed_codes(question, answers) if value else None
    if allowed is not None and value and not set(value.split()) <= allowed:
        fld.errors = [str(UNKNOWN_CHOICE)]
        answers[question.code] = None


def narrowed(sections: Iterable[Section], answers: Mapping[str, str | None]) -> dict[str, set[str]]:
    """The choices offered by each cascading select of ``sections`` whose filter reads only
    answers given on other pages: the page lists only those (without JavaScript too)."""
    here = {q.code for section in sections for q in section.questions}
    found: dict[str, set[str]] = {}
    for section in sections:
        for question in section.questions:
            rule = question.settings.get("choice_filter")
            if not rule or references(rule) & here:
                continue
            allowed = allowed_codes(question, answers)
            if allowed is not None:
                found[question.code] = allowed
    return found


def not_applicable(survey: Survey) -> Callable[[Mapping[str, str]], frozenset[str]] | None:
    """For stored responses: the codes of the questions their relevance rules hid, from the
    stored answers (by question id as text); None when the survey has no such rules.

    Judged as the form judged them: in order, a hidden question's answer counts as none.
    """
    questions = survey.ordered_questions()
    if not any("relevant" in q.settings for q in questions):
        return None
    keyed = [(str(q.id), q) for q in questions]

    def hidden(stored: Mapping[str, str]) -> frozenset[str]:
        seen: dict[str, str | None] = {}
        skipped = []
        for key, question in keyed:
            if not _relevant(question, seen):
                skipped.append(question.code)
                seen[question.code] = None
            else:
                seen[question.code] = rule_value(question, stored.get(key))
        return frozenset(skipped)

    return hidden


def _relevant(question: Question, answers: Mapping[str, str | None]) -> bool:
    rule = question.settings.get("relevant")
    return rule is None or _holds(rule, answers, None)


def _holds(rule: str, answers: Mapping[str, str | None], current: str | None) -> bool:
    try:
        return truthy(evaluate(rule, answers, current))
    except ExpressionError:
        # Checked when the survey was defined; should one still fail (too deep to evaluate),
        # the rule does not stand in the respondent's way.
        return True


def has_errors(form: Any) -> bool:
    return bool(form.form_errors) or any(f.errors for f in form)


# ---------------------------------------------------------------- pages without JavaScript


@dataclass
class Page:
    """The section shown now, and what the respondent posted on the other pages."""

    index: int
    section: Section
    first: bool
    last: bool
    # (name, value) of the answers given on other pages, posted back as hidden fields.
    carried: list[tuple[str, str]]


def pages(survey: Survey, skipped: set[str]) -> list[int]:
    """Positions of the sections with at least one relevant question."""
    return [
        index
        for index, section in enumerate(survey.sections)
        if any(q.code not in skipped for q in section.questions)
    ]


def page_at(
    survey: Survey, index: int, skipped: set[str], posted: Iterable[tuple[str, str]]
) -> Page:
    shown = pages(survey, skipped) or [0]
    section = survey.sections[index]
    own = {field_name(q.code) for q in section.questions}
    carried = [(name, value) for name, value in posted if field_base(name) not in own]
    return Page(index, section, index == shown[0], index == shown[-1], carried)


def hidden_on(section: Section, skipped: set[str]) -> set[str]:
    """What the page leaves out: skipped questions, except those that depend on an answer given on
    this same page. Without JavaScript such a question cannot appear when that answer is given, so
    it is shown (its answer counts only if it turns out relevant on Next or Submit)."""
    here = {q.code for q in section.questions}
    shown = {
        q.code
        for q in section.questions
        if q.code in skipped
        and "relevant" in q.settings
        and any(name in here and name not in skipped for name in references(q.settings["relevant"]))
    }
    return skipped - shown


def conditional_here(section: Section, skipped: set[str]) -> set[str]:
    """Questions shown on this page whose relevance reads an answer given on it: without
    JavaScript they are shown before it is known whether they apply, so they say when they
    do (``notes``) and carry no required mark until then."""
    here = {q.code for q in section.questions}
    shown = here - hidden_on(section, skipped)
    return {
        q.code
        for q in section.questions
        if q.code in shown
        and "relevant" in q.settings
        and _reads(q.settings["relevant"]) & (here - {q.code})
    }


def _reads(rule: str) -> set[str]:
    try:
        return references(rule)
    except ExpressionError:
        return set()


def notes(survey: Survey, section: Section, codes: set[str], lang: str) -> dict[str, str]:
    """When each of these questions applies, in words ("Only if you answered “Yes” to …")."""
    found = {}
    for question in section.questions:
        if question.code in codes:
            text = describe(question.settings["relevant"], survey, lang)
            if question.required:
                text += " " + str(THEN_REQUIRED)
            found[question.code] = text
    return found


def live_rules(
    sections: Iterable[Section], answers: Mapping[str, str | None]
) -> dict[str, Any] | None:
    """What the browser needs to show and hide, as the respondent answers, the questions of
    ``sections`` whose relevance reads an answer given on this same page (None: there are none).

    ``rules``: code → the rule's parsed tree (expressions.parse, as JSON arrays); ``kinds``:
    code → how to read each same-page answer they use (QuestionType.live_value); ``known``:
    code → the value of each answer they use from another page, as the server judged it. A rule
    that reads an answer the browser cannot read is left out: the server decides it on Next.
    The server judges every rule again on Next and Submit; the browser only spares the
    respondent questions that do not apply (static/js/rules.js, ``evaluate``).
    """
    here = {q.code: q for section in sections for q in section.questions}
    found: dict[str, Any] = {"rules": {}, "kinds": {}, "known": {}, "filters": {}}
    for question in here.values():
        _live_filter(question, here, answers, found)
        rule = question.settings.get("relevant")
        if rule is None:
            continue
        try:
            tree, names = parse(rule), references(rule)
        except ExpressionError:
            continue
        kinds = {name: question_type(here[name].type).live_value for name in names & here.keys()}
        if not kinds or None in kinds.values():
            continue  # no answer from this page, or one the browser cannot read
        found["rules"][question.code] = tree
        found["kinds"].update(kinds)
        for name in names - here.keys():
            found["known"][name] = answers.get(name) or ""
    if not found["filters"]:
        del found["filters"]
        return found if found["rules"] else None
    return found


def _live_filter(
    question: Question, here: Mapping[str, Question], answers: Mapping[str, str | None],
    found: dict[str, Any],
) -> None:  # fmt: skip
    """A cascading select whose filter reads an answer on this page: narrowed in the browser."""
    rule = question.settings.get("choice_filter")
    if not rule:
        return
    try:
        tree, names = parse(rule), references(rule)
    except ExpressionError:
        return
    kinds = {name: question_type(here[name].type).live_value for name in names & here.keys()}
    if not kinds or None in kinds.values():
        return
    found["filters"][question.code] = {"rule": tree, "choices": live_filter(question)}
    found["kinds"].update(kinds)
    for name in names - here.keys():
        found["known"][name] = answers.get(name) or ""


def next_page(survey: Survey, at: int, skipped: set[str], step: int) -> int:
    """The next (step 1) or previous (step -1) page with a relevant question; ``at`` if none."""
    shown = pages(survey, skipped)
    ahead = [i for i in shown if (i > at if step > 0 else i < at)]
    if not ahead:
        return at
    return ahead[0] if step > 0 else ahead[-1]


def keep_errors(form: Any, section: Section | None) -> None:
    """Only the shown page's errors are shown (None: a fresh page, no errors)."""
    own = {q.id for q in section.questions} if section is not None else set()
    for question, fld in form.answer_fields():
        if question.id not in own:
            fld.errors = []


def first_page_with_errors(survey: Survey, form: Any) -> int | None:
    failing = {q.id for q, f in form.answer_fields() if f.errors}
    for index, section in enumerate(survey.sections):
        if any(q.id in failing for q in section.questions):
            return index
    return None
