"""Authoring recommendations: the policy recommendations questions are tagged with (and that
ranking questions may rank). Flush, never commit; raise Refusal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring.answered import has_responses
from consult.authoring.common import check_code, kept_texts, renumber
from consult.problems import Problems, Refusal
from consult.surveys.models import Recommendation, Survey


def add_recommendation(
    session: Session, survey: Survey, code: str, label: dict[str, str]
) -> Recommendation:
    """A recommendation questions can be tagged with (and ranking questions may rank)."""
    problems = Problems()
    try:
        check_code(code, {r.code for r in survey.recommendations})
    except Refusal as error:
        problems.add(error.by_field()["code"], "rec-code")
    if not label.get(survey.default_language, "").strip():
        message = str(_l("A recommendation needs its text."))
        problems.add(message, f"rec-label-{survey.default_language}")
    problems.raise_any()
    recommendation = Recommendation(
        code=code,
        position=len(survey.recommendations),
        label=kept_texts(label, survey.languages),
        description={},
    )
    survey.recommendations.append(recommendation)
    session.flush()
    return recommendation


def update_recommendation(
    session: Session, survey: Survey, recommendation: Recommendation, label: dict[str, str]
) -> None:
    if not label.get(survey.default_language, "").strip():
        raise Refusal.fields(
            {f"rec-label-{survey.default_language}": str(_l("A recommendation needs its text."))}
        )
    recommendation.label = kept_texts(label, survey.languages)
    session.flush()


def delete_recommendation(session: Session, survey: Survey, recommendation: Recommendation) -> None:
    """Refused once tagged or answered: results are reported by recommendation, and rankings of
    recommendations store their codes."""
    tagged = [q.code for q in survey.questions if q.recommendation is recommendation]
    if tagged:
        codes = ", ".join(tagged)
        raise Refusal.conflicting(str(_l("Questions are tagged with it: %(codes)s.", codes=codes)))
    if has_responses(session, survey):
        raise Refusal.conflicting(str(_l("This survey has responses: its recommendations stay.")))
    survey.recommendations.remove(recommendation)
    renumber(list(survey.recommendations))
    session.flush()
