"""Loading a survey for respondents: the whole content in a few queries, cached per process.

The respondent form needs every section, question and choice. Loading that tree through the
ORM costs more than the rest of a submission, so each process keeps the tree of each survey
(detached from any session, read-only) and checks one small row per request: the survey's
``version``, which any change to the survey or its content bumps (models.survey.track_versions).

A respondent's POST skips even that row (``SurveyCache.latest``): the response insert itself
carries the check (collection.responses.submit, ``expected``), so a store made from an outdated
tree inserts nothing and raises StaleSurvey, and the request is answered again with the
current tree (collection.entry.respondent_view). One round trip fewer on the hot path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.surveys.loading import with_content
from consult.surveys.models import Survey

EXTENSION_KEY = "consult.survey_cache"


@dataclass
class Cached:
    survey: Survey
    # (id, version, created_at) of the survey row this tree was loaded from.
    key: tuple[Any, ...] = ()
    # Things built from the survey once, e.g. form classes per language: key → value.
    derived: dict[Any, Any] = field(default_factory=dict)

    def get(self, key: Any, build: Callable[[], Any]) -> Any:
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]


class SurveyCache:
    """Survey trees by (id, version, created_at); created_at guards against reused ids."""

    def __init__(self) -> None:
        self._entries: dict[tuple[Any, ...], Cached] = {}
        # The newest tree of each survey by slug and by id, for lookups that skip the check.
        self._latest: dict[str | int, Cached] = {}
        self._lock = threading.Lock()

    def latest(self, slug: str | None = None, survey_id: int | None = None) -> Cached | None:
        """The tree this process loaded last, unchecked: only for a store guarded by its key."""
        return self._latest.get(slug if slug is not None else survey_id or 0)

    def lookup(self, session: Session, where: Any) -> Cached | None:
        table = Survey.__table__
        # Core on the session's connection: this runs on every respondent request.
        row = (
            session.connection()
            .execute(select(table.c.id, table.c.version, table.c.created_at).where(where))
            .first()
        )
        if row is None:
            return None
        key = tuple(row)
        entry = self._entries.get(key)
        if entry is None:
            survey = session.scalar(with_content(select(Survey).where(Survey.id == row.id)))
            if survey is None:
                return None
            _resolve_back_references(survey)
            session.expunge(survey)  # cascades to the content; read-only from now on
            entry = Cached(survey, key=key)
            with self._lock:
                # Older versions of the same survey are dropped: one entry per survey.
                self._entries = {k: v for k, v in self._entries.items() if k[0] != row.id}
                self._entries[key] = entry
                self._latest = {k: v for k, v in self._latest.items() if v.key[0] != row.id}
                self._latest |= {survey.slug: entry, survey.id: entry}
        return entry


def _resolve_back_references(survey: Survey) -> None:
    """Load each child's link to its parent while still in the session (identity-map hits, no
    SQL), so the detached tree never needs a lazy load."""
    for question in survey.questions:
        _ = question.survey, question.section, question.recommendation
        for choice in question.choices:
            _ = choice.question
    for section in survey.sections:
        _ = section.survey
    for group in survey.groups:
        _ = group.survey
    for recommendation in survey.recommendations:
        _ = recommendation.survey


def cache() -> SurveyCache:
    found: SurveyCache | None = current_app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = current_app.extensions.setdefault(EXTENSION_KEY, SurveyCache())
    return found


def for_answering(
    session: Session, slug: str | None = None, survey_id: int | None = None
) -> Cached | None:
    """The cached, read-only survey tree for the respondent paths (never for editing)."""
    table = Survey.__table__
    where = table.c.slug == slug if slug is not None else table.c.id == survey_id
    return cache().lookup(session, where)


class StaleSurvey(Exception):
    """The survey changed since this process cached it: answer again with the current tree."""


def current_key(session: Session, survey_id: int) -> tuple[Any, ...] | None:
    """(id, version, created_at) of the survey as stored now; None when it is gone."""
    table = Survey.__table__
    stmt = select(table.c.id, table.c.version, table.c.created_at).where(table.c.id == survey_id)
    row = session.connection().execute(stmt).first()
    return None if row is None else tuple(row)
