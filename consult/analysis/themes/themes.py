"""Defining themes: add, change, merge, delete; which comment questions each one themes.

A theme belongs to one comment question, or to a recommendation (then it themes every comment
question tagged with that recommendation). Codes are unique in the survey. Services flush,
never commit; every refusal is a Refusal with a problem beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from consult.analysis.comments import comment_questions
from consult.analysis.themes.models import Source, Theme, ThemeAssignment
from consult.problems import Problems, Refusal
from consult.surveys.codes import CODE
from consult.surveys.models import I18n, Question, Survey

MAX_LABEL = 120
MAX_DESCRIPTION = 500


@dataclass(frozen=True)
class Scope:
    """Where a theme applies: a comment question's code, or a recommendation's."""

    question: str | None = None
    recommendation: str | None = None

    @classmethod
    def of(cls, theme: Theme) -> Scope:
        if theme.question is not None:
            return cls(question=theme.question.code)
        return cls(recommendation=theme.recommendation.code if theme.recommendation else None)


@dataclass
class ThemeInput:
    """A theme as typed in a form or a sheet row."""

    code: str
    scope: Scope
    label: I18n
    description: I18n


def survey_themes(session: Session, survey: Survey) -> list[Theme]:
    """The survey's themes in the order analysts set (then by code)."""
    stmt = select(Theme).where(Theme.survey_id == survey.id).order_by(Theme.position, Theme.code)
    return list(session.scalars(stmt))


def themes_by_question(survey: Survey, themes: list[Theme]) -> dict[int, list[Theme]]:
    """For each comment question (by id, in survey order), the themes that apply to it."""
    found: dict[int, list[Theme]] = {}
    for question in comment_questions(survey):
        found[question.id] = [
            t
            for t in themes
            if t.question_id == question.id
            or (
                t.recommendation_id is not None
                and t.recommendation_id == question.recommendation_id
            )
        ]
    return found


def _resolve(survey: Survey, scope: Scope, problems: Problems) -> tuple[int | None, int | None]:
    """(question id, recommendation id) for a scope; a problem when it names nothing themable."""
    if bool(scope.question) == bool(scope.recommendation):
        problems.add(_("Name either a comment question or a recommendation."), "scope")
        return None, None
    if scope.question:
        question = next((q for q in comment_questions(survey) if q.code == scope.question), None)
        if question is None:
            problems.add(_("%(code)s is no comment question of this survey.", code=scope.question),
                         "scope")  # fmt: skip
            return None, None
        return question.id, None
    rec = next((r for r in survey.recommendations if r.code == scope.recommendation), None)
    if rec is None or not any(q.recommendation_id == rec.id for q in comment_questions(survey)):
        problems.add(
            _("%(code)s is no recommendation with a comment question.", code=scope.recommendation),
            "scope",
        )
        return None, None
    return None, rec.id


def _check_texts(survey: Survey, typed: ThemeInput, problems: Problems) -> tuple[I18n, I18n]:
    label = {k: " ".join(v.split()) for k, v in typed.label.items() if k in survey.languages and v}
    description = {
        k: " ".join(v.split()) for k, v in typed.description.items() if k in survey.languages and v
    }
    if not label.get(survey.default_language):
        problems.add(_("Give the theme a label."), f"label-{survey.default_language}")
    for lang, text in label.items():
        if len(text) > MAX_LABEL:
            problems.add(_("At most %(n)d characters.", n=MAX_LABEL), f"label-{lang}")
    for lang, text in description.items():
        if len(text) > MAX_DESCRIPTION:
            problems.add(_("At most %(n)d characters.", n=MAX_DESCRIPTION), f"description-{lang}")
    return label, description


def save_theme(
    session: Session, survey: Survey, typed: ThemeInput, theme: Theme | None = None
) -> Theme:
    """Add a theme, or change ``theme``; Refusal beside each field that is wrong."""
    problems = Problems()
    code = typed.code.strip()
    if not CODE.match(code):
        problems.add(_("A code starts with a small letter: letters, digits and _ only."), "code")
    else:
        taken = select(Theme.id).where(Theme.survey_id == survey.id, Theme.code == code)
        if theme is not None:
            taken = taken.where(Theme.id != theme.id)
        if session.scalar(taken) is not None:
            problems.add(_("Another theme has the code %(code)s.", code=code), "code")
    question_id, recommendation_id = _resolve(survey, typed.scope, problems)
    label, description = _check_texts(survey, typed, problems)
    problems.raise_any()
    if theme is None:
        last = session.scalar(select(func.max(Theme.position)).where(Theme.survey_id == survey.id))
        theme = Theme(survey_id=survey.id, position=(last or 0) + 1)
        session.add(theme)
    theme.code, theme.label, theme.description = code, label, description
    theme.question_id, theme.recommendation_id = question_id, recommendation_id
    session.flush()
    return theme


def find_theme(session: Session, survey: Survey, code: str) -> Theme:
    """The survey's theme ``code``; Refusal when there is none."""
    theme = session.scalar(select(Theme).where(Theme.survey_id == survey.id, Theme.code == code))
    if theme is None:
        raise Refusal.at("theme", _("There is no theme %(code)s.", code=code))
    return theme


def delete_theme(session: Session, theme: Theme) -> None:
    """Delete a theme and every assignment of it (reviewed ones too)."""
    session.delete(theme)
    session.flush()


def merge_themes(session: Session, into: Theme, merged: Theme) -> None:
    """Give ``merged``'s comments to ``into`` and delete ``merged`` (same scope only)."""
    if into.id == merged.id:
        raise Refusal.at("into", _("A theme cannot be merged into itself."))
    if (into.question_id, into.recommendation_id) != (merged.question_id, merged.recommendation_id):
        raise Refusal.at("into", _("Only themes of the same question or recommendation merge."))
    a = ThemeAssignment.__table__.c
    for source in Source:
        have = select(a.answer_id).where(a.theme_id == into.id, a.source == source)
        session.execute(
            delete(ThemeAssignment).where(
                a.theme_id == merged.id, a.source == source, a.answer_id.in_(have)
            )
        )
    session.execute(update(ThemeAssignment).where(a.theme_id == merged.id).values(theme_id=into.id))
    session.delete(merged)
    session.flush()


def scope_choices(survey: Survey, lang: str) -> list[tuple[str, str]]:
    """The form's scope options: ("q:<code>" or "r:<code>", label), recommendations first."""
    questions = comment_questions(survey)
    with_comments = {q.recommendation_id for q in questions}
    found = [
        (f"r:{r.code}", survey.text(r.label, lang))
        for r in survey.recommendations
        if r.id in with_comments
    ]
    found += [(f"q:{q.code}", f"{q.code} — {survey.text(q.label, lang)}") for q in questions]
    return found


def parse_scope(value: str) -> Scope:
    kind, _sep, code = value.partition(":")
    return Scope(question=code) if kind == "q" else Scope(recommendation=code or None)


def scope_value(theme: Theme) -> str:
    scope = Scope.of(theme)
    return f"q:{scope.question}" if scope.question else f"r:{scope.recommendation}"


def theme_label(survey: Survey, theme: Theme, lang: str) -> str:
    return survey.text(theme.label, lang) or theme.code


def labels(themes: list[Theme], survey: Survey, lang: str) -> Mapping[int, str]:
    return {t.id: theme_label(survey, t, lang) for t in themes}


def question_of(survey: Survey, question_id: int) -> Question:
    return next(q for q in survey.questions if q.id == question_id)
