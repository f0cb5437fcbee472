"""Storing responses: anonymity, idempotency, the lifecycle."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from consult.analysis import counting, summarising
from consult.analysis.comments import comment_chunks, comment_queries
from consult.analysis.filters import Filters
from consult.collection.cache import StaleSurvey, current_key
from consult.collection.models import Answer, Channel, Response
from consult.collection.responses import (
    ANALYZE_AFTER,
    DuplicateSubmission,
    Submission,
    SurveyClosed,
    submit,
)
from consult.collection.synthetic import add_fake_responses, fake_answers
from consult.surveys.models import SurveyState, SurveyStateError
from tests import factories


def _answers(survey):
    return fake_answers(survey, random.Random(1))


def test_anonymous_response_keeps_only_the_day_and_no_trace(session):
    survey = factories.small(session)
    stored = session.get(
        Response, submit(session, survey, Submission(_answers(survey), "ur", nonce="n-1"))
    )
    assert (stored.submitted_at.hour, stored.submitted_at.minute, stored.submitted_at.second) == (
        0,
        0,
        0,
    )
    columns = {c.name for c in Response.__table__.columns}
    assert not columns & {"ip", "ip_address", "user_agent", "referrer", "invitation_id"}
    assert stored.nonce_hash != "n-1" and len(stored.nonce_hash) == 64  # only a hash


def test_identified_survey_keeps_the_time(session):
    survey = factories.small(session, anonymous=False)
    response = session.get(
        Response, submit(session, survey, Submission(_answers(survey), "en", nonce="n-2"))
    )
    assert (
        response.submitted_at.second or response.submitted_at.minute or response.submitted_at.hour
    )


def test_same_nonce_twice_raises_and_leaves_one_response(session):
    survey = factories.small(session)
    submit(session, survey, Submission(_answers(survey), "en", nonce="same"))
    with pytest.raises(DuplicateSubmission):
        submit(session, survey, Submission(_answers(survey), "en", nonce="same"))
    assert session.scalar(select(func.count(Response.id))) == 1  # the savepoint kept the first


def test_closed_and_draft_surveys_take_no_response(session):
    survey = factories.small(session, state=SurveyState.draft)
    with pytest.raises(SurveyClosed):
        submit(session, survey, Submission(_answers(survey), "en"))
    survey.open()
    survey.close()
    with pytest.raises(SurveyClosed):
        submit(session, survey, Submission(_answers(survey), "en"))
    with pytest.raises(SurveyStateError):
        survey.close()


def test_group_and_region_are_taken_from_their_questions(session):
    survey = factories.small(session)
    by_code = {q.code: q.id for q in survey.questions}
    answers = {by_code["group"]: "academia", by_code["colour"]: "blue", by_code["agree"]: "5"}
    response = session.get(
        Response, submit(session, survey, Submission(answers, "en", channel=Channel.paper))
    )
    assert response.group.code == "academia" and response.region == "blue"
    assert response.channel == "paper"


def test_fake_responses_are_inserted_in_chunks_with_all_required_answers(session):
    survey = factories.nisp(session)
    progress = list(add_fake_responses(session, survey, 250, seed=4, chunk=100))
    assert progress == [100, 200, 250]
    required = [q.id for q in survey.questions if q.required]
    counts = dict(
        session.execute(select(Answer.question_id, func.count()).group_by(Answer.question_id)).all()
    )
    assert all(counts[qid] == 250 for qid in required)


def test_a_large_bulk_load_refreshes_the_planner_statistics_on_postgresql(session, backend):
    survey = factories.small(session)
    statements: list[str] = []
    connection = session.connection()

    @event.listens_for(connection, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    list(add_fake_responses(session, survey, ANALYZE_AFTER - 1, seed=1))
    assert not any(s.startswith("ANALYZE") for s in statements)  # a small load: autovacuum's
    list(add_fake_responses(session, survey, ANALYZE_AFTER, seed=2, chunk=300))
    analyzed = [s for s in statements if s.startswith("ANALYZE")]
    if backend != "postgresql":
        assert analyzed == []
        return
    assert analyzed == ["ANALYZE response, answer"]
    # It ran inside the load's transaction and counted the rows not yet committed.
    estimate = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'response'"))
    assert estimate >= 2 * ANALYZE_AFTER - 1


def test_a_store_guarded_by_an_outdated_survey_key_inserts_nothing(session):
    survey = factories.small(session)
    key = current_key(session, survey.id)
    assert key is not None and key[0] == survey.id
    answers = _answers(survey)
    submit(session, survey, Submission(answers, "en", nonce="g-1"), expected=key)
    survey.title = {"en": "Edited meanwhile"}
    session.flush()  # any change to the survey bumps its version
    assert current_key(session, survey.id) != key
    with pytest.raises(StaleSurvey):
        submit(session, survey, Submission(answers, "en", nonce="g-2"), expected=key)
    assert session.scalar(select(func.count(Response.id))) == 1
    # With the current key the same submission is stored; a repeat of it is a duplicate.
    fresh = current_key(session, survey.id)
    submit(session, survey, Submission(answers, "en", nonce="g-2"), expected=fresh)
    with pytest.raises(DuplicateSubmission):
        submit(session, survey, Submission(answers, "en", nonce="g-2"), expected=fresh)
    assert session.scalar(select(func.count(Response.id))) == 2


def test_answers_carry_their_responses_group_and_province(session):
    """Web submissions and bulk loads both copy the response's group and province onto each
    answer: the summary counts answers by them alone (services/counting.py)."""
    survey = factories.nisp(session)
    submit(session, survey, Submission(_answers(survey), "en", nonce="tally-1"))
    list(add_fake_responses(session, survey, 40, seed=3))
    pairs = session.execute(
        select(Response.group_id, Response.region, Answer.group_id, Answer.region).join(
            Answer, Answer.response_id == Response.id
        )
    ).all()
    assert len({(g, r) for g, r, _, _ in pairs}) > 5  # several groups and provinces
    assert all((rg, rr) == (ag, ar) for rg, rr, ag, ar in pairs)


def test_the_summary_reads_answers_without_joining_or_sorting_them(session, backend):
    """The counts and comments read the answers alone: on SQLite down one index, in order."""
    survey = factories.nisp(session)
    list(add_fake_responses(session, survey, 20, seed=4))
    ids = [q.id for q in summarising.summarised_questions(survey)]
    bind = session.connection()
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(bind, "before_cursor_execute", capture)
    try:
        for filters in (Filters(), Filters(channel="synthetic")):
            counting.count(session, survey, filters, ids)
    finally:
        event.remove(bind, "before_cursor_execute", capture)
    reads = [(s, p) for s, p in captured if "FROM answer" in s]
    if backend == "postgresql":  # room to hash the counts, for this transaction only
        assert session.scalar(text("SHOW work_mem")) == "64MB"
    for filters in (Filters(), Filters(channel="synthetic")):
        queries = comment_queries(survey, {"media"}, filters, backend)
        assert list(comment_chunks(bind, queries))  # they run
        for _, stmt in queries.statements:
            compiled = stmt.compile(bind, compile_kwargs={"render_postcompile": True})
            names = compiled.positiontup
            params = tuple(compiled.params[n] for n in names) if names else compiled.params
            reads.append((compiled.string, params))
    assert len(reads) > 10  # two counts, and comment queries for seven questions
    explain = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
    for statement, parameters in reads:
        plan = " | ".join(
            str(row[-1]) for row in bind.exec_driver_sql(explain + statement, parameters)
        )
        if backend == "sqlite":
            assert "COVERING INDEX ix_answer_tally" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # no sort
        if "IN (SELECT" not in statement.upper():  # unfiltered: the answers alone
            assert "response" not in plan.lower().replace("response_id", ""), plan
