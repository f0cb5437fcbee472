"""Counted frames kept in each process for the results page: a reload, or a filter set back, costs
one small query instead of a count over every answer.

Counting is what a results page spends its time on (100,000 NISP responses: ~1.5 s of a GROUP
BY over four million answers), and the counts only change when responses change. So each
process keeps the last few Frames (counts only, a few thousand rows each) under a key made of
everything they depend on: the survey (its id, creation time and ``version``, which any change
to a question or option bumps, as for the survey cache in collection/cache.py), the filters,
and the state of the data — how many responses the survey has, the highest response id, and
the latest review decision (the audit trail's last exclusion, inclusion or deletion for the
survey). consult never edits a stored answer; a new response changes the count and the highest
id, a deletion the count, and leaving a response out or taking it back writes an audit event.
Anything else that writes to those tables by hand must restart the server. A second server
keeps its own copies and reaches the same figures.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.accounts.audit import Action, AuditEvent
from consult.analysis.filters import Filters
from consult.analysis.summarising import Frames, frames
from consult.collection.models import Response
from consult.surveys.models import Survey

KEEP = 16  # views kept per process (each a few hundred kB at most)

_kept: OrderedDict[tuple[Any, ...], Frames] = OrderedDict()
_lock = threading.Lock()


REVIEW_ACTIONS = (Action.response_excluded, Action.response_included, Action.response_deleted)


def data_state(session: Session, survey: Survey) -> tuple[int, int, int]:
    """(responses, highest response id, latest review event) of the survey: index look-ups."""
    r = Response.__table__.c
    stmt = select(func.count(), func.coalesce(func.max(r.id), 0)).where(r.survey_id == survey.id)
    count, highest = session.execute(stmt).one()
    reviewed = select(func.coalesce(func.max(AuditEvent.id), 0)).where(
        AuditEvent.survey_id == survey.id, AuditEvent.action.in_(REVIEW_ACTIONS)
    )
    return int(count), int(highest), int(session.execute(reviewed).scalar() or 0)


def counted(session: Session, survey: Survey, filters: Filters) -> Frames:
    """``frames(session, survey, filters)``, counted again only when the data has changed."""
    key = (survey.id, survey.version, survey.created_at, filters, *data_state(session, survey))
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    result = frames(session, survey, filters)
    with _lock:
        _kept[key] = result
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return result


def forget() -> None:
    """Drop every kept count (tests)."""
    with _lock:
        _kept.clear()
