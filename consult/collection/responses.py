"""Storing responses: one respondent's submission, and synthetic ones in bulk.

Hot path (see docs/architecture.md): Core statements on the session's connection, no ORM: the
response row (guarded by the cached survey's version, see ``submit``), then its answers in one
``insert()`` with many rows.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, exists, func, insert, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult.collection import drafts, invitations
from consult.collection.cache import StaleSurvey, current_key
from consult.collection.models import Answer, Channel, Draft, Invitation, Response
from consult.db import utcnow
from consult.surveys import events
from consult.surveys.models import QuestionRole, StakeholderGroup, Survey

ANSWER_TABLE = cast(Table, Answer.__table__)
RESPONSE_TABLE = cast(Table, Response.__table__)
SURVEY_TABLE = cast(Table, Survey.__table__)
# Both backends' INSERT ... ON CONFLICT constructs, by dialect name.
ON_CONFLICT_INSERT: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class SurveyClosed(Exception):
    """The survey does not take responses now."""


class DuplicateSubmission(Exception):
    """This form (its one-time nonce) was already submitted: a double click or a resubmit."""


class QuotaFull(Exception):
    """The stakeholder group has all the responses its quota allows."""


@dataclass(frozen=True)
class Submission:
    """What a respondent submitted, already validated and in storage form."""

    # Question id → stored value; unanswered questions are absent.
    answers: Mapping[int, str]
    language: str
    channel: Channel = Channel.web
    # The one-time token of the form the answers came from.
    nonce: str | None = None
    # The interviewer's account for enumerator and paper entry.
    enumerator_id: int | None = None
    # Seconds from opening the form to submitting it (collection/timing.py), if known.
    duration_s: int | None = None
    # Keyed hash of the browser's device cookie (identified surveys, web only: devices.py).
    device_hash: str | None = None


def new_nonce() -> str:
    """A one-time form token (the answering flow stamps it with the time: timing.py)."""
    return secrets.token_urlsafe(18)


def nonce_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def submission_time(survey: Survey, now: datetime | None = None) -> datetime:
    """When to say a response was submitted: only the day for anonymous surveys."""
    now = now or utcnow()
    if survey.anonymous:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now.replace(microsecond=0)


def submit(
    session: Session,
    survey: Survey,
    submission: Submission,
    invitation: Invitation | None = None,
    draft: Draft | None = None,
    expected: tuple[Any, ...] | None = None,
) -> int:
    """Store one response and its answers; returns the response's id. Never commits.

    Two statements on the hot path: the response row (a repeated form nonce inserts nothing:
    DuplicateSubmission) and all answers in one executemany (one pipeline on PostgreSQL).
    With an invitation of an identified survey, its single use is recorded in the same
    transaction, linked to the response (InvitationUsed when it was used already: the caller
    rolls back). Anonymous surveys' uses never enter this transaction: the caller claims them
    apart (invitations.claim_anonymously, pending.py). A draft being finished is deleted.

    ``expected``: the (id, version, created_at) of the survey row the answers were validated
    against (a cached tree, collection.cache). The response row is then inserted only while the
    survey still has that key; otherwise nothing is inserted and StaleSurvey is raised.
    """
    if not survey.is_open:
        raise SurveyClosed(survey.slug)
    values = response_values(survey, submission.answers, submission.language, submission.channel)
    if values["group_id"] is not None:
        check_quota(session, survey, values["group_id"], lock=True)
    values |= submission_values(submission)
    response_id = _insert_response(session, survey, values, expected)
    # Core on the session's connection: no ORM bookkeeping on the hot path.
    connection = session.connection()
    group_id, region = values["group_id"], values["region"]
    rows = [
        {
            "response_id": response_id,
            "question_id": qid,
            "value": value,
            "group_id": group_id,
            "region": region,
        }
        for qid, value in submission.answers.items()
    ]
    if rows:
        connection.execute(insert(ANSWER_TABLE), rows)  # one executemany
    if draft is not None:
        invitation_id = drafts.take_draft(session, draft)  # a draft yields one response only
        if invitation_id is not None:
            # Saving the draft spent the invitation already; identified surveys link it now.
            invitations.link_response(session, invitation_id, response_id)
    elif invitation is not None:
        if survey.anonymous:
            raise ValueError("an anonymous survey's invitation use is claimed apart")
        invitations.mark_used(session, invitation, response_id)
    # Webhooks hear of it (and queue their delivery once the caller commits).
    events.response_recorded.send(survey, session=session, response_id=response_id)
    return response_id


def _insert_response(
    session: Session, survey: Survey, values: dict[str, Any], expected: tuple[Any, ...] | None
) -> int:
    """The response row, once per form nonce, and only while the survey is the one validated
    against (``expected``); its id."""
    connection = session.connection()
    dialect = connection.dialect.name
    if expected is None:
        response_id = connection.execute(_insert_once(dialect), values).scalar()
    else:
        values |= {"expected_version": expected[1], "expected_created_at": expected[2]}
        response_id = connection.execute(_insert_once(dialect, guarded=True), values).scalar()
        if response_id is None and current_key(session, survey.id) != tuple(expected):
            raise StaleSurvey(survey.slug)
    if response_id is None:
        raise DuplicateSubmission(survey.slug)
    return int(response_id)


def submission_values(submission: Submission) -> dict[str, Any]:
    """The response row's columns that come from the form rather than from the answers."""
    return {
        "nonce_hash": nonce_hash(submission.nonce) if submission.nonce else None,
        "enumerator_id": submission.enumerator_id,
        "duration_s": submission.duration_s,
        "device_hash": submission.device_hash,
    }


RESPONSE_COLUMNS = (
    "survey_id",
    "public_id",
    "group_id",
    "region",
    "language",
    "channel",
    "submitted_at",
    "nonce_hash",
    "enumerator_id",
    "duration_s",
    "device_hash",
)


@cache
def _insert_once(dialect: str, guarded: bool = False) -> Any:
    """INSERT ... ON CONFLICT (survey_id, nonce_hash) DO NOTHING RETURNING id, built once.

    Both backends speak it; a second copy of the same form returns no id. Only the nonce's
    constraint is a target, so any other violation still raises. Values come as parameters,
    so the statement (and its compiled form) is the same for every submission.

    ``guarded``: INSERT ... SELECT <the values> WHERE EXISTS (the survey row with the expected
    version and created_at), so a store from an outdated cached survey inserts nothing.
    """
    if dialect not in ON_CONFLICT_INSERT:  # pragma: no cover - SQLite and PostgreSQL only
        raise NotImplementedError(dialect)
    stmt = ON_CONFLICT_INSERT[dialect](RESPONSE_TABLE)
    if guarded:
        columns = RESPONSE_TABLE.c
        survey = SURVEY_TABLE.c
        row = select(*(bindparam(name, type_=columns[name].type) for name in RESPONSE_COLUMNS))
        # SQLite needs a WHERE in an INSERT ... SELECT with an upsert clause: this is it.
        unchanged = exists().where(
            survey.id == bindparam("survey_id", type_=survey.id.type),
            survey.version == bindparam("expected_version", type_=survey.version.type),
            survey.created_at == bindparam("expected_created_at", type_=survey.created_at.type),
        )
        stmt = stmt.from_select(list(RESPONSE_COLUMNS), row.where(unchanged))
    return stmt.on_conflict_do_nothing(index_elements=["survey_id", "nonce_hash"]).returning(
        RESPONSE_TABLE.c.id
    )


def group_count(session: Session, group_id: int) -> int:
    stmt = select(func.count(Response.id)).where(Response.group_id == group_id)
    return session.scalar(stmt) or 0


def check_quota(session: Session, survey: Survey, group_id: int, lock: bool = False) -> None:
    """Raise QuotaFull when the group has reached its hard quota.

    With ``lock`` the group row is locked (PostgreSQL), so concurrent submissions to a nearly
    full group are counted one after the other; SQLite serialises writers anyway.
    """
    group = next((g for g in survey.groups if g.id == group_id), None)
    if group is None or group.quota is None:
        return
    if lock:
        session.execute(
            select(StakeholderGroup.id).where(StakeholderGroup.id == group_id).with_for_update()
        )
    if group_count(session, group_id) >= group.quota:
        raise QuotaFull(group.code)


def response_values(
    survey: Survey, answers: Mapping[int, str], language: str, channel: Channel
) -> dict[str, Any]:
    """The response row's columns (a plain dict: no ORM object on the hot path)."""
    group_question, region_question = _role_questions(survey)
    group_id = None
    if group_question is not None and (code := answers.get(group_question)) is not None:
        group_id = next((g.id for g in survey.groups if g.code == code), None)
    return {
        "survey_id": survey.id,
        "public_id": secrets.token_hex(8),
        "group_id": group_id,
        "region": answers.get(region_question) if region_question is not None else None,
        "language": language,
        "channel": channel,
        "submitted_at": submission_time(survey),
    }


# Detached survey trees (collection.cache) never change: their role questions are kept here.
_ROLES: weakref.WeakKeyDictionary[Survey, tuple[int | None, int | None]] = (
    weakref.WeakKeyDictionary()
)


def _role_questions(survey: Survey) -> tuple[int | None, int | None]:
    """Ids of the questions whose answers give the group and the province (None: none)."""
    found = _ROLES.get(survey)
    if found is None:
        roles = {q.role: q.id for q in survey.questions if q.role is not None}
        found = (roles.get(QuestionRole.group), roles.get(QuestionRole.region))
        if inspect(survey).detached:
            _ROLES[survey] = found
    return found


def insert_responses(
    session: Session, rows: list[dict[str, Any]], answers: Sequence[Mapping[int, str]]
) -> None:
    """Insert many responses (their columns in ``rows``) and the answers of each, in two
    statements; for bulk loads (synthetic responses, imported sheets), not the web path."""
    ids = session.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True), rows
    ).all()
    # Each answer repeats its response's group and province (models.Answer says why).
    answer_rows = [
        {
            "response_id": rid,
            "question_id": qid,
            "value": value,
            "group_id": row.get("group_id"),
            "region": row.get("region"),
        }
        for rid, row, given in zip(ids, rows, answers, strict=True)
        for qid, value in given.items()
    ]
    if answer_rows:
        session.execute(insert(ANSWER_TABLE), answer_rows)


# Responses a bulk load adds before it refreshes the planner's statistics (see bulk_loaded).
ANALYZE_AFTER = 1000


def bulk_loaded(session: Session, added: int) -> None:
    """After a bulk load of ``added`` responses, let PostgreSQL's planner know the tables grew.

    Until autovacuum gets round to it, the planner still sees the tables as they were, and
    nests loops over tables it believes nearly empty (docs/performance.md). ANALYZE samples
    a fixed number of rows, so it is cheap whatever the size, and may run inside the load's
    transaction, which it sees.
    SQLite: nothing; its queries are written for its planner (analysis/counting.py), and its
    ANALYZE made the summary no faster.
    """
    if added >= ANALYZE_AFTER and session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE response, answer"))


def response_count(session: Session, survey: Survey) -> int:
    stmt = select(func.count(Response.id)).where(Response.survey_id == survey.id)
    return session.scalar(stmt) or 0
