"""Reading the counts behind the figures (analysis.frames): two GROUP BY queries.

Only counts leave this module: respondents per question × stored value × group × province,
and responses per group × province × language × channel. No text, no respondent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.collection.models import Answer, Response
from consult.surveys.models import Survey

NOT_GIVEN = ""  # responses without a group (or province); analysis.NOT_GIVEN

# (group id, region, question id, stored value, n) and (group id, region, language, channel, n)
CountRows = list[tuple[int | None, str, int, str, int]]
PeopleRows = list[tuple[int | None, str, str, str, int]]
Counted = tuple[CountRows, PeopleRows, datetime | None, datetime | None]


def count(session: Session, survey: Survey, filters: Filters, ids: list[int]) -> Counted:
    """The counts of the answers to questions ``ids`` and of the responses, under ``filters``."""
    return (_tallied(session, survey, filters, ids), *_people(session, survey, filters))


def group_sizes(session: Session, survey: Survey, filters: Filters) -> dict[str, int]:
    """Responses per group code (NOT_GIVEN: none) in the view: one cheap query, no answers.

    The same numbers as the respondents frame summed by group, so the same small groups.
    """
    r = Response.__table__.c
    codes = {g.id: g.code for g in survey.groups}
    sizes: dict[str, int] = {}
    stmt = select(r.group_id, func.count()).where(*filters.where(survey)).group_by(r.group_id)
    for gid, n in session.connection().execute(stmt):
        code = codes.get(gid, NOT_GIVEN) if gid else NOT_GIVEN
        sizes[code] = sizes.get(code, 0) + n
    return sizes


def _tallied(session: Session, survey: Survey, filters: Filters, ids: list[int]) -> CountRows:
    """One GROUP BY over the answers alone: each carries its response's group and province.

    SQLite walks its tally index (question, group, value, province, response), in which the
    groups are already adjacent: no join, no sort, no table row read (a join to the
    responses sorted every answer instead: docs/performance.md). PostgreSQL hashes.
    A filtered view keeps the answers of its responses; the index holds the response too.
    """
    r, a = Response.__table__.c, Answer.__table__.c
    stmt = select(a.group_id, a.region, a.question_id, a.value, func.count()).where(
        a.question_id.in_(ids)
    )
    if filters.resolved(session, survey).restricts:  # a filter, or responses left out
        stmt = stmt.where(a.response_id.in_(select(r.id).where(*filters.where(survey))))
    stmt = stmt.group_by(a.question_id, a.group_id, a.value, a.region)
    if session.get_bind().dialect.name == "postgresql":
        # Room for the groups' hash table, for this transaction only: with the default
        # 4 MB PostgreSQL sorts every answer on disk instead, twice as slow.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    counts: dict[tuple[int | None, str, int, str], int] = {}
    for gid, region, qid, value, n in session.connection().execute(stmt):
        key = (gid, region or NOT_GIVEN, qid, value)  # no province and "" are one
        counts[key] = counts.get(key, 0) + n
    return [(gid, region, qid, value, n) for (gid, region, qid, value), n in counts.items()]


def _people(
    session: Session, survey: Survey, filters: Filters
) -> tuple[PeopleRows, datetime | None, datetime | None]:
    r = Response.__table__.c
    region = func.coalesce(r.region, NOT_GIVEN)
    first = last = None
    people_rows: PeopleRows = []
    stmt: Any = (
        select(
            r.group_id,
            region,
            r.language,
            r.channel,
            func.count(),
            func.min(r.submitted_at),
            func.max(r.submitted_at),
        )
        .where(*filters.where(survey))
        .group_by(r.group_id, region, r.language, r.channel)
    )
    for g, reg, language, channel, n, low, high in session.connection().execute(stmt):
        people_rows.append((g, reg, language, channel, n))
        first = low if first is None or low < first else first
        last = high if last is None or high > last else last
    return people_rows, first, last
