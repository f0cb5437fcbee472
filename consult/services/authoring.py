"""Authoring a survey on the web: create, edit, duplicate, delete, open and close.

Sections, questions and choices are in authoring_content.py. Every function flushes, never
commits: the view commits once, or rolls back when a function raises, so a refused change
leaves nothing half-saved. Checks reuse those of the definition loader (rules.py,
definitions.py), so a survey built here is one the loader would accept.

Stored answers are never orphaned: once a survey has responses, changes that would lose or
reinterpret them (deleting what was answered, renaming codes, changing types, dropping a
language) are refused with a message saying why.
"""

from __future__ import annotations

import copy
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..models import Choice, Question, Recommendation, Section, StakeholderGroup, Survey
from ..models.response import Answer, Response
from ..models.survey import SurveyState, SurveyStateError
from . import analysis_settings
from .definitions import CODE

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# Dates in Survey.settings (ISO yyyy-mm-dd): answers are taken from opens_on to closes_on.
OPENS, CLOSES = "opens_on", "closes_on"


class Invalid(ValueError):
    """Bad input: messages by form field name, shown beside each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Refused(ValueError):
    """A change refused because it would corrupt or orphan stored answers (or the lifecycle)."""


# ---------------------------------------------------------------- what has been answered


def has_responses(session: Session, survey: Survey) -> bool:
    return bool(session.scalar(select(exists().where(Response.survey_id == survey.id))))


def is_answered(session: Session, question: Question) -> bool:
    if question.id is None:
        return False
    return bool(session.scalar(select(exists().where(Answer.question_id == question.id))))


def choice_in_use(session: Session, question: Question, code: str) -> bool:
    """Whether any stored answer holds the choice ``code`` (values are codes, space-separated,
    with an "other" text after a line break)."""
    if question.id is None:
        return False
    values = session.scalars(select(Answer.value).where(Answer.question_id == question.id))
    return any(code in value.partition("\n")[0].split() for value in values)


def refuse_if_answered(session: Session, question: Question, what: str) -> None:
    if is_answered(session, question):
        raise Refused(
            str(
                _l(
                    "%(what)s: question %(code)s already has answers, and they would be lost"
                    " or misread. Text edits are still possible.",
                    what=what,
                    code=question.code,
                )
            )
        )


# ---------------------------------------------------------------- the survey itself


def parse_languages(text: str) -> list[str]:
    """``"en ur"`` → ``["en", "ur"]`` (commas allowed); checked by check_languages."""
    return [code for code in re.split(r"[\s,]+", text.strip()) if code]


def check_languages(languages: list[str]) -> None:
    if not languages:
        raise Invalid({"languages": str(_l("Give at least one language code, e.g. en ur."))})
    bad = [code for code in languages if not LANGUAGE.match(code)]
    if bad:
        raise Invalid(
            {"languages": str(_l("Not a language code: %(codes)s", codes=", ".join(bad)))}
        )
    if len(set(languages)) != len(languages):
        raise Invalid({"languages": str(_l("Each language only once, please."))})


def check_slug(session: Session, slug: str, survey: Survey | None = None) -> None:
    if not SLUG.match(slug):
        raise Invalid({"slug": str(_l("Use lower-case letters, digits and hyphens."))})
    taken = session.scalar(select(Survey.id).where(Survey.slug == slug))
    if taken is not None and (survey is None or taken != survey.id):
        raise Invalid({"slug": str(_l("Another survey already has this address."))})


def _k_min(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 1000:
        raise Invalid({"k_min": str(_l("A whole number from 1 to 1000."))})
    return number


def _date(value: str, name: str) -> str | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise Invalid({name: str(_l("A date as yyyy-mm-dd, e.g. 2026-03-31."))}) from None


def _texts(value: dict[str, str], languages: list[str]) -> dict[str, str]:
    """Only the survey's languages, only what was written (empty means: fall back)."""
    return {lang: value[lang].strip() for lang in languages if value.get(lang, "").strip()}


def new_survey(
    session: Session, slug: str, languages: list[str], title: dict[str, str], anonymous: bool,
    k_min: str,
) -> Survey:  # fmt: skip
    """A draft with one empty page, ready for questions."""
    errors: dict[str, str] = {}
    for check in (
        lambda: check_slug(session, slug),
        lambda: check_languages(languages),
    ):
        try:
            check()
        except Invalid as error:
            errors |= error.errors
    try:
        minimum = _k_min(k_min)
    except Invalid as error:
        errors |= error.errors
        minimum = 5
    if languages and not title.get(languages[0], "").strip():
        errors[f"title-{languages[0]}"] = str(_l("A title is needed in the first language."))
    if errors:
        raise Invalid(errors)
    survey = Survey(
        slug=slug,
        languages=languages,
        state=SurveyState.draft,
        title=_texts(title, languages),
        description={},
        thanks={},
        anonymous=anonymous,
        k_min=minimum,
        settings={},
    )
    survey.sections.append(Section(code="page_1", position=0, title={}, intro={}))
    session.add(survey)
    session.flush()
    return survey


def update_survey(
    session: Session,
    survey: Survey,
    *,
    languages: list[str],
    title: dict[str, str],
    description: dict[str, str],
    anonymous: bool,
    k_min: str,
    opens_on: str,
    closes_on: str,
    analysis: dict[str, str] | None = None,
) -> None:
    """Change the survey's settings; ``analysis``: the thresholds as typed (None: unchanged)."""
    errors: dict[str, str] = {}
    try:
        check_languages(languages)
        dropped = set(survey.languages) - set(languages)
        if dropped and has_responses(session, survey):
            errors["languages"] = str(
                _l(
                    "Responses were given in this survey: its languages can be added, not"
                    " removed (%(codes)s).",
                    codes=", ".join(sorted(dropped)),
                )
            )
    except Invalid as error:
        errors |= error.errors
    if languages and not title.get(languages[0], "").strip():
        errors[f"title-{languages[0]}"] = str(_l("A title is needed in the first language."))
    dates: dict[str, str | None] = {}
    for name, value in ((OPENS, opens_on), (CLOSES, closes_on)):
        try:
            dates[name] = _date(value, name)
        except Invalid as error:
            errors |= error.errors
    if dates.get(OPENS) and dates.get(CLOSES) and dates[OPENS] > dates[CLOSES]:  # type: ignore[operator]
        errors[CLOSES] = str(_l("The closing date comes before the opening date."))
    try:
        minimum = _k_min(k_min)
    except Invalid as error:
        errors |= error.errors
    thresholds = None
    if analysis is not None:
        thresholds, wrong = analysis_settings.from_form(analysis)
        errors |= wrong
    if errors:
        raise Invalid(errors)
    survey.languages = languages
    survey.title = _texts(title, languages)
    survey.description = _texts(description, languages)
    survey.anonymous = anonymous
    survey.k_min = minimum
    settings = {k: v for k, v in survey.settings.items() if k not in (OPENS, CLOSES)}
    settings |= {k: v for k, v in dates.items() if v}
    if thresholds is not None:
        settings.pop("analysis", None)
        if thresholds:
            settings["analysis"] = thresholds
    survey.settings = settings  # a new dict: JSON columns notice reassignment only
    session.flush()


def duplicate_survey(session: Session, survey: Survey, slug: str) -> Survey:
    """The same content under a new address, as a draft, without responses or members."""
    check_slug(session, slug)
    copied = Survey(
        slug=slug,
        languages=list(survey.languages),
        state=SurveyState.draft,
        title=dict(survey.title),
        description=dict(survey.description or {}),
        thanks=dict(survey.thanks or {}),
        anonymous=survey.anonymous,
        k_min=survey.k_min,
        settings={
            k: v for k, v in copy.deepcopy(survey.settings).items() if k not in (OPENS, CLOSES)
        },
    )
    recs: dict[int, Recommendation] = {}
    for rec in survey.recommendations:
        recs[rec.id] = Recommendation(
            code=rec.code, position=rec.position, label=dict(rec.label),
            description=dict(rec.description or {}),
        )  # fmt: skip
        copied.recommendations.append(recs[rec.id])
    for group in survey.groups:
        copied.groups.append(
            StakeholderGroup(
                code=group.code, position=group.position, label=dict(group.label),
                target=group.target, quota=group.quota,
            )
        )  # fmt: skip
    for section in survey.sections:
        new_section = Section(
            code=section.code, position=section.position, title=dict(section.title or {}),
            intro=dict(section.intro or {}),
        )  # fmt: skip
        copied.sections.append(new_section)
        for question in section.questions:
            copied.questions.append(
                Question(
                    section=new_section,
                    code=question.code,
                    position=question.position,
                    type=question.type,
                    role=question.role,
                    required=question.required,
                    label=dict(question.label),
                    hint=dict(question.hint or {}),
                    settings=copy.deepcopy(question.settings),
                    recommendation=recs.get(question.recommendation_id or -1),
                    choices=[
                        Choice(code=c.code, position=c.position, label=dict(c.label))
                        for c in question.choices
                    ],
                )
            )
    session.add(copied)
    session.flush()
    return copied


def delete_survey(session: Session, survey: Survey) -> None:
    """Only a survey without responses: deleting one with answers would destroy them."""
    if has_responses(session, survey):
        raise Refused(
            str(
                _l(
                    "This survey has responses: it cannot be deleted. Close it instead, and"
                    " export the responses first if you need them elsewhere."
                )
            )
        )
    session.delete(survey)
    session.flush()


# ---------------------------------------------------------------- lifecycle


def change_state(session: Session, survey: Survey, action: str) -> None:
    """``open`` (from draft, or reopen a closed survey) or ``close``; refuses anything else."""
    try:
        if action == "open":
            problems = readiness(survey)
            if problems:
                raise Refused(" ".join(problems))
            survey.open()
        elif action == "close":
            survey.close()
        else:
            raise Refused(str(_l("Unknown action.")))
    except SurveyStateError:
        raise Refused(str(_l("The survey cannot go from %(state)s to %(action)s.",
                             state=survey.state, action=action))) from None  # fmt: skip
    session.flush()


def readiness(survey: Survey) -> list[str]:
    """What stops the survey from taking answers (empty: ready)."""
    from .authoring_content import check_survey  # content checks live with the content

    problems = []
    if not survey.questions:
        problems.append(str(_l("The survey has no questions yet.")))
    problems += check_survey(survey)
    return problems


def accepting_answers(survey: Survey, today: date | None = None) -> bool:
    """Open, and within its optional opening and closing dates (both days included)."""
    if not survey.is_open:
        return False
    day = (today or date.today()).isoformat()
    opens, closes = survey.settings.get(OPENS), survey.settings.get(CLOSES)
    return not ((opens and day < opens) or (closes and day > closes))


def is_code(value: str) -> bool:
    return bool(CODE.match(value))


def field_errors(error: Invalid | Refused, name: str) -> dict[str, str]:
    return error.errors if isinstance(error, Invalid) else {name: str(error)}


__all__ = [
    "Invalid",
    "Refused",
    "accepting_answers",
    "change_state",
    "delete_survey",
    "duplicate_survey",
    "has_responses",
    "new_survey",
    "update_survey",
]
