"""Authoring a survey on the web: create, edit, duplicate, delete, open and close.

Pages, questions, choices and recommendations have modules of their own. Every function
flushes, never commits: the view commits once, or rolls back when a function raises
(Refusal), so a refused change leaves nothing half-saved. Checks reuse those of the
definition loader (surveys/checks.py, surveys/codes.py), so a survey built here is one the
loader would accept.

Stored answers are never orphaned: once a survey has responses, changes that would lose or
reinterpret them (deleting what was answered, renaming codes, changing types, dropping a
language) are refused with a message saying why.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.analysis import thresholds, waves
from consult.authoring.answered import has_responses
from consult.authoring.common import kept_texts
from consult.problems import Problems, Refusal
from consult.surveys import events
from consult.surveys.codes import LANGUAGE, SLUG
from consult.surveys.models import (
    CLOSES,
    OPENS,
    PUBLIC_PAGE,
    PUBLIC_QUOTES,
    Choice,
    Question,
    Recommendation,
    Section,
    StakeholderGroup,
    Survey,
    SurveyState,
    SurveyStateError,
)

# ---------------------------------------------------------------- what has been answered


# ---------------------------------------------------------------- the survey itself


def chosen_languages(default: str, picked: list[str]) -> list[str]:
    """The languages ticked in the builder's list, the default one first (checked by
    check_languages)."""
    codes = list(dict.fromkeys(code.strip() for code in picked if code.strip()))
    if default.strip():
        codes = [default.strip(), *(code for code in codes if code != default.strip())]
    return codes


def check_languages(languages: list[str]) -> None:
    if not languages:
        raise Refusal.fields({"languages": str(_l("Choose at least one language."))})
    bad = [code for code in languages if not LANGUAGE.match(code)]
    if bad:
        raise Refusal.fields(
            {"languages": str(_l("Not a language code: %(codes)s", codes=", ".join(bad)))}
        )
    if len(set(languages)) != len(languages):
        raise Refusal.fields({"languages": str(_l("Each language only once, please."))})


def check_slug(session: Session, slug: str, survey: Survey | None = None) -> None:
    if not SLUG.match(slug):
        raise Refusal.fields({"slug": str(_l("Use lower-case letters, digits and hyphens."))})
    taken = session.scalar(select(Survey.id).where(Survey.slug == slug))
    if taken is not None and (survey is None or taken != survey.id):
        raise Refusal.fields({"slug": str(_l("Another survey already has this address."))})


def _k_min(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 1000:
        raise Refusal.fields({"k_min": str(_l("A whole number from 1 to 1000."))})
    return number


def _date(value: str, name: str) -> str | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise Refusal.fields({name: str(_l("A date as yyyy-mm-dd, e.g. 2026-03-31."))}) from None


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
        except Refusal as error:
            errors |= error.by_field()
    try:
        minimum = _k_min(k_min)
    except Refusal as error:
        errors |= error.by_field()
        minimum = 5
    if languages and not title.get(languages[0], "").strip():
        errors[f"title-{languages[0]}"] = str(_l("A title is needed in the first language."))
    if errors:
        raise Refusal.fields(errors)
    survey = Survey(
        slug=slug,
        languages=languages,
        state=SurveyState.draft,
        title=kept_texts(title, languages),
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
    sharing: dict[str, str] | None = None,
) -> None:
    """Change the survey's settings; ``analysis``: the thresholds as typed (None: unchanged);
    ``sharing``: the public page and quotes ("1" ticked) and the previous wave's address
    (None: unchanged)."""
    problems = Problems()
    problems.check(lambda: _check_languages_kept(session, survey, languages), None)
    if languages and not title.get(languages[0], "").strip():
        message = str(_l("A title is needed in the first language."))
        problems.add(message, f"title-{languages[0]}")
    dates = _dates(opens_on, closes_on, problems)
    minimum = problems.check(lambda: _k_min(k_min), survey.k_min)
    chosen = None
    if analysis is not None:
        chosen = thresholds.from_form(analysis, problems)
    earlier = None
    if sharing is not None:
        wave = sharing.get("previous_wave", "")
        earlier = problems.check(lambda: waves.check_previous(session, survey, wave), None)
    problems.raise_any()
    survey.languages = languages
    survey.title = kept_texts(title, languages)
    survey.description = kept_texts(description, languages)
    survey.anonymous = anonymous
    survey.k_min = minimum
    settings = {k: v for k, v in survey.settings.items() if k not in (OPENS, CLOSES)}
    settings |= {k: v for k, v in dates.items() if v}
    if chosen is not None:
        settings.pop("analysis", None)
        if chosen:
            settings["analysis"] = chosen
    if sharing is not None:
        for name in (PUBLIC_PAGE, PUBLIC_QUOTES):  # stored only when on (off is the default)
            settings.pop(name, None)
            if sharing.get(name) == "1":
                settings[name] = True
        survey.previous_wave_id = earlier.id if earlier is not None else None
    survey.settings = settings  # a new dict: JSON columns notice reassignment only
    session.flush()


def _check_languages_kept(session: Session, survey: Survey, languages: list[str]) -> None:
    """Valid codes, and none dropped once responses were given in the survey."""
    check_languages(languages)
    dropped = set(survey.languages) - set(languages)
    if dropped and has_responses(session, survey):
        message = _l(
            "Responses were given in this survey: its languages can be added, not"
            " removed (%(codes)s).",
            codes=", ".join(sorted(dropped)),
        )
        raise Refusal.fields({"languages": str(message)})


def _dates(opens_on: str, closes_on: str, problems: Problems) -> dict[str, str | None]:
    """The opening and closing days as ISO text (None: not set), the first not after the last."""
    dates: dict[str, str | None] = {}
    for name, value in ((OPENS, opens_on), (CLOSES, closes_on)):
        dates[name] = problems.check(partial(_date, value, name), None)
    opens, closes = dates[OPENS], dates[CLOSES]
    if opens and closes and opens > closes:
        problems.add(str(_l("The closing date comes before the opening date.")), CLOSES)
    return dates


def duplicate_survey(session: Session, survey: Survey, slug: str, as_wave: bool = False) -> Survey:
    """The same content under a new address, as a draft, without responses or members;
    ``as_wave``: the copy is the next wave of ``survey`` (analysis/waves.py compares them)."""
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
        previous_wave_id=survey.id if as_wave else None,
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
        raise Refusal.conflicting(
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
                raise Refusal.conflicting(" ".join(problems))
            survey.open()
            events.survey_opened.send(survey, session=session)
        elif action == "close":
            survey.close()
            events.survey_closed.send(survey, session=session)
        else:
            raise Refusal.conflicting(str(_l("Unknown action.")))
    except SurveyStateError:
        raise Refusal.conflicting(str(_l("The survey cannot go from %(state)s to %(action)s.",
                             state=survey.state, action=action))) from None  # fmt: skip
    session.flush()


def readiness(survey: Survey) -> list[str]:
    """What stops the survey from taking answers (empty: ready)."""
    from consult.authoring.content import check_survey

    problems = []
    if not survey.questions:
        problems.append(str(_l("The survey has no questions yet.")))
    problems += check_survey(survey)
    return problems


__all__ = [
    "change_state",
    "delete_survey",
    "duplicate_survey",
    "has_responses",
    "new_survey",
    "update_survey",
]
