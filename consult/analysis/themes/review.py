"""The review queue: comments with the machine's proposal, confirmed or corrected by analysts.

A reviewed comment's themes are final: they replace nothing of the machine's (its proposal
stays for the agreement figure) and no later job changes them. The queue offers comments of
themed questions that the job has looked at, in a fixed order that follows neither the
respondents nor the time they answered (a multiplicative hash of the answer id), so the first
comments reviewed are a fair sample for the agreement figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import BigInteger, cast, delete, exists, func, insert, literal, select
from sqlalchemy.orm import Session

from consult.analysis.themes import metrics
from consult.analysis.themes.models import (
    RunState,
    Source,
    Theme,
    ThemeAssignment,
    ThemeReview,
    ThemeRun,
)
from consult.analysis.themes.themes import survey_themes, themes_by_question
from consult.collection.models import Answer
from consult.db import utcnow
from consult.problems import Refusal
from consult.surveys.models import Question, Survey

# Knuth's multiplicative hash: a stable order unrelated to when comments came in.
_SPREAD, _MODULUS = 2654435761, 4294967296


@dataclass
class Item:
    answer_id: int
    question: Question
    text: str
    themes: list[Theme]  # the question's themes, in order
    proposed: set[int]  # theme ids the machine proposed
    chosen: set[int]  # what the form starts with: the reviewed themes, else the proposal
    reviewed: bool


def _themed(survey: Survey, session: Session) -> dict[int, list[Theme]]:
    return {
        q: ts for q, ts in themes_by_question(survey, survey_themes(session, survey)).items() if ts
    }


def ready(session: Session, survey: Survey) -> bool:
    """Whether a job has proposed themes in the survey (review waits for the proposal)."""
    run = session.get(ThemeRun, survey.id)
    if run is not None and run.state == RunState.done:
        return True
    t, th = ThemeAssignment.__table__.c, Theme.__table__.c
    stmt = select(t.id).join(Theme, th.id == t.theme_id).where(th.survey_id == survey.id)
    return session.scalar(stmt.limit(1)) is not None


def _theme_ids(session: Session, answer_id: int, source: Source) -> set[int]:
    t = ThemeAssignment.__table__.c
    stmt = select(t.theme_id).where(t.answer_id == answer_id, t.source == source)
    return set(session.scalars(stmt))


def item(session: Session, survey: Survey, answer_id: int) -> Item:
    """One comment of a themed question of the survey; Refusal otherwise."""
    themed = _themed(survey, session)
    answer = session.get(Answer, answer_id)
    if answer is None or answer.question_id not in themed or not answer.value.strip():
        raise Refusal.at("answer", _("There is no such comment to review."))
    question = next(q for q in survey.questions if q.id == answer.question_id)
    proposed = _theme_ids(session, answer_id, Source.machine)
    reviewed = session.get(ThemeReview, answer_id) is not None
    chosen = _theme_ids(session, answer_id, Source.reviewed) if reviewed else proposed
    return Item(answer_id, question, answer.value, themed[question.id], proposed, chosen, reviewed)


def next_item(
    session: Session, survey: Survey, question_id: int | None = None, skip: int = 0
) -> Item | None:
    """The next comment nobody has reviewed (of one question, or of any themed one), after
    ``skip`` others (the reviewer skipped them)."""
    themed = _themed(survey, session)
    ids = [question_id] if question_id in themed else list(themed)
    if not ids:
        return None
    a, r = Answer.__table__.c, ThemeReview.__table__.c
    stmt = (
        select(a.id)
        .where(
            a.question_id.in_(ids),
            func.trim(a.value) != "",
            ~exists().where(r.answer_id == a.id),
        )
        .order_by((cast(a.id, BigInteger) * literal(_SPREAD, BigInteger)) % _MODULUS, a.id)
        .offset(max(skip, 0))
        .limit(1)
    )
    found = session.scalar(stmt)
    return item(session, survey, found) if found is not None else None


def remaining(session: Session, survey: Survey) -> tuple[int, int]:
    """(comments reviewed, comments of themed questions) in the survey."""
    themed = list(_themed(survey, session))
    a, r = Answer.__table__.c, ThemeReview.__table__.c
    total = session.scalar(
        select(func.count()).where(a.question_id.in_(themed), func.trim(a.value) != "")
    )
    done = session.scalar(select(func.count()).where(r.survey_id == survey.id))
    return int(done or 0), int(total or 0)


def confirm(
    session: Session, survey: Survey, answer_id: int, theme_ids: set[int], reviewer_id: int | None
) -> None:
    """Record a reviewer's themes for one comment (at most three; none is an answer too)."""
    found = item(session, survey, answer_id)
    allowed = {t.id for t in found.themes}
    if not theme_ids <= allowed:
        raise Refusal.at("themes", _("A theme given does not belong to this question."))
    if len(theme_ids) > 3:
        raise Refusal.at("themes", _("Give a comment at most three themes."))
    t = ThemeAssignment.__table__.c
    session.execute(
        delete(ThemeAssignment).where(t.answer_id == answer_id, t.source == Source.reviewed)
    )
    if theme_ids:
        session.execute(
            insert(ThemeAssignment),
            [
                {"answer_id": answer_id, "theme_id": tid, "source": Source.reviewed}
                for tid in sorted(theme_ids)
            ],  # fmt: skip
        )
    review = session.get(ThemeReview, answer_id)
    if review is None:
        session.add(ThemeReview(answer_id=answer_id, survey_id=survey.id, reviewer_id=reviewer_id))
    else:
        review.reviewer_id, review.reviewed_on = reviewer_id, utcnow().date()
    session.flush()


@dataclass
class Agreement:
    per_response: metrics.Estimate
    micro: metrics.Estimate
    human: float = metrics.HUMAN_F1


def agreement(session: Session, survey: Survey) -> Agreement:
    """The machine against the reviewers, over every reviewed comment of the survey."""
    t, r = ThemeAssignment.__table__.c, ThemeReview.__table__.c
    reviewed = list(session.scalars(select(r.answer_id).where(r.survey_id == survey.id)))
    sets: dict[int, tuple[set[int], set[int]]] = {aid: (set(), set()) for aid in reviewed}
    stmt = (
        select(t.answer_id, t.theme_id, t.source)
        .join(ThemeReview, r.answer_id == t.answer_id)
        .where(r.survey_id == survey.id)
    )
    for aid, tid, source in session.execute(stmt):
        sets[aid][0 if source == Source.machine else 1].add(tid)
    pairs = [(  # codes do not matter here: ids compare the same
        {str(x) for x in p}, {str(x) for x in q}) for p, q in sets.values()
    ]  # fmt: skip
    return Agreement(metrics.bootstrap(pairs, "response"), metrics.bootstrap(pairs, "micro"))
