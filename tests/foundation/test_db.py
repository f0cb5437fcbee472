"""The database foundation's helpers (consult/db.py)."""

from __future__ import annotations

from itertools import chain

from sqlalchemy import select
from sqlalchemy.orm import Session

import consult.db
from consult.collection.models import Answer, Response
from consult.collection.synthetic import add_fake_responses
from consult.db import plain_partitions
from consult.surveys.models import Survey
from tests import factories


def test_plain_partitions_give_the_rows_sqlalchemy_gives_in_bounded_chunks(engine, monkeypatch):
    """Bound parameters of every kind (an IN list, a datetime) reach the database as
    SQLAlchemy would send them; the rows come back in chunks of at most STREAM_CHUNK."""

    def fill(session, survey):
        list(add_fake_responses(session, survey, 30, seed=3))

    with factories.committed_nisp(engine, "nisp-plain", fill) as survey_id:
        monkeypatch.setattr(consult.db, "STREAM_CHUNK", 7)
        with Session(engine) as session:
            survey = session.get(Survey, survey_id)
            ids = [q.id for q in survey.ordered_questions()][:5]
            first = session.scalar(select(Response.submitted_at).order_by(Response.id))
            a, r = Answer.__table__.c, Response.__table__.c
            stmt = (
                select(a.response_id, a.question_id, a.value)
                .join(Response.__table__, r.id == a.response_id)
                .where(a.question_id.in_(ids), r.submitted_at >= first)
                .order_by(a.response_id, a.question_id)
            )
            connection = session.connection()
            expected = [tuple(row) for row in connection.execute(stmt)]
            chunks = list(plain_partitions(connection, stmt))
    assert len(expected) > 7 * 3
    assert [tuple(row) for row in chain.from_iterable(chunks)] == expected
    assert all(0 < len(chunk) <= 7 for chunk in chunks)
