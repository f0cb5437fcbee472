"""Reviewing responses: a paged, filtered list, one response's answers, exclusion, deletion.

Exclusion never deletes: the response stays, marked with the organizer's reason, and figures
and exports leave it out by default (analysis.filters) and show it on request. Deleting a
response is for admins, and audited. What the audit trail keeps of a response is its public id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.orm import Session

from consult.accounts.audit import Action, record
from consult.collection.models import Answer, Response
from consult.problems import Refusal
from consult.review.models import ResponseFlag
from consult.surveys.models import Survey

PAGE = 50
MAX_REASON = 200


@dataclass(frozen=True)
class ReviewFilters:
    flag: str | None = None  # a Flag value, or "any"
    state: str | None = None  # "excluded", "included"
    channel: str | None = None
    search: str | None = None  # text within any answer

    def apply(self, stmt: Select[Any], survey: Survey) -> Select[Any]:
        r = Response
        stmt = stmt.where(r.survey_id == survey.id)
        if self.flag:
            has = exists().where(ResponseFlag.response_id == r.id)
            if self.flag != "any":
                has = has.where(ResponseFlag.kind == self.flag)
            stmt = stmt.where(has)
        if self.state == "excluded":
            stmt = stmt.where(r.excluded.is_(True))
        elif self.state == "included":
            stmt = stmt.where(r.excluded.is_(False))
        if self.channel:
            stmt = stmt.where(r.channel == self.channel)
        if self.search:
            stmt = stmt.where(
                exists().where(
                    Answer.response_id == r.id,
                    func.lower(Answer.value).contains(self.search.lower(), autoescape=True),
                )
            )
        return stmt


@dataclass
class Row:
    response: Response
    flags: list[tuple[str, str]]


def listing(
    session: Session, survey: Survey, filters: ReviewFilters, page: int
) -> tuple[list[Row], int]:
    """One page of responses (newest stored first) with their flags, and how many in all.

    Anonymous surveys: ordered by the random public id, so that the order says nothing of
    when a response came in.
    """
    total = session.scalar(filters.apply(select(func.count(Response.id)), survey)) or 0
    order = Response.public_id if survey.anonymous else Response.id.desc()
    stmt = filters.apply(select(Response), survey).order_by(order)
    found = list(session.scalars(stmt.limit(PAGE).offset((page - 1) * PAGE)))
    kinds: dict[int, list[tuple[str, str]]] = {}
    if found:
        for rid, kind, detail in session.execute(
            select(ResponseFlag.response_id, ResponseFlag.kind, ResponseFlag.detail).where(
                ResponseFlag.response_id.in_([r.id for r in found])
            )
        ):
            kinds.setdefault(rid, []).append((kind, detail))
    return [Row(r, kinds.get(r.id, [])) for r in found], total


def find(session: Session, survey: Survey, public_id: str) -> Response | None:
    return session.scalar(
        select(Response).where(Response.survey_id == survey.id, Response.public_id == public_id)
    )


def answers(
    session: Session, survey: Survey, response: Response, lang: str
) -> list[tuple[str, str, str]]:
    """(question code, question text, answer as the export shows it) in the survey's order."""
    stmt = select(Answer.question_id, Answer.value).where(Answer.response_id == response.id)
    stored = {qid: value for qid, value in session.execute(stmt)}
    shown = []
    for question in survey.ordered_questions():
        value = stored.get(question.id)
        if value is None:
            continue
        options = dict(question.options())
        if options and all(code in options for code in value.split()):
            value = " · ".join(survey.text(options[code], lang) for code in value.split())
        shown.append((question.code, survey.text(question.label, lang), value))
    return shown


def flags_of(session: Session, response: Response) -> list[tuple[str, str]]:
    stmt = select(ResponseFlag.kind, ResponseFlag.detail).where(
        ResponseFlag.response_id == response.id
    )
    return [(k, d) for k, d in session.execute(stmt)]


def exclude(
    session: Session, actor: object, survey: Survey, response: Response, reason: str
) -> None:
    reason = reason.strip()
    if not reason:
        raise Refusal.at("reason", _("Say why the response is left out: the reason is kept."))
    if len(reason) > MAX_REASON:
        raise Refusal.at("reason", _("Keep the reason under %(n)d characters.", n=MAX_REASON))
    response.excluded, response.exclusion_reason = True, reason
    session.flush()
    record(session, actor, Action.response_excluded, survey, target=response.public_id,
           reason=reason)  # fmt: skip


def include(session: Session, actor: object, survey: Survey, response: Response) -> None:
    response.excluded, response.exclusion_reason = False, None
    session.flush()
    record(session, actor, Action.response_included, survey, target=response.public_id)


def remove(session: Session, actor: object, survey: Survey, response: Response) -> None:
    """Delete a response and its answers for good (admins only; audited)."""
    public_id = response.public_id
    session.execute(delete(Response).where(Response.id == response.id))
    session.flush()
    record(session, actor, Action.response_deleted, survey, target=public_id)


def excluded_count(session: Session, survey: Survey) -> int:
    stmt = select(func.count(Response.id)).where(
        Response.survey_id == survey.id, Response.excluded.is_(True)
    )
    return session.scalar(stmt) or 0


def when(response: Response, survey: Survey) -> str:
    """The submission as the page may show it: only the day for anonymous surveys."""
    stamp: datetime = response.submitted_at
    return stamp.date().isoformat() if survey.anonymous else stamp.isoformat(sep=" ")
