"""The raw table: fixed columns, each question's columns from its type, labels or codes,
filters, and the codebook."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import event

from consult.analysis.filters import Filters
from consult.collection.models import Channel
from consult.collection.synthetic import add_fake_responses
from consult.exports.raw import codebook, filtered_count, raw_table
from consult.surveys.columns import FIXED_COLUMNS
from tests import factories


def _one(session):
    survey = factories.small(session)
    factories.answered(
        session, survey,
        {"group": "media", "colour": "green", "tools": "pen radio", "agree": "4",
         "rank": "beta alpha gamma", "years": "12", "name": "=cmd"},
        language="ur",
    )  # fmt: skip
    return survey


def test_headers_are_the_fixed_columns_then_each_questions(session):
    survey = _one(session)
    table = raw_table(session, survey, "en")
    assert table.headers[: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    assert "tools/pen" in table.headers and "tools/radio" in table.headers
    assert "group" not in table.headers[len(FIXED_COLUMNS) :]  # the group question is fixed
    assert "info" not in table.headers  # a note has no column
    assert table.count == 1


def test_labels_or_codes(session):
    survey = _one(session)
    with_labels = dict(zip(raw_table(session, survey, "en").headers,
                           next(raw_table(session, survey, "en").rows), strict=True))  # fmt: skip
    table = raw_table(session, survey, "ur", codes=True)
    with_codes = dict(zip(table.headers, next(table.rows), strict=True))
    assert with_labels["group"] == "Media" and with_codes["group"] == "media"
    assert with_labels["colour"] == "Green" and with_codes["colour"] == "green"
    assert (with_labels["tools/pen"], with_labels["tools/phone"], with_labels["tools/radio"]) == (
        1, 0, 1,
    )  # fmt: skip
    # A scale's point: its words with labels, its number with codes (analysts average it).
    assert with_labels["agree"] == "point 4" and with_codes["agree"] == 4
    assert with_labels["years"] == 12
    assert with_labels["name"] == "=cmd"  # stored as typed; the writer makes it text
    assert with_labels["language"] == "ur" and with_labels["channel"] == "web"


def test_filters_choose_the_rows(session):
    survey = _one(session)
    factories.answered(session, survey, {"group": "academia"}, channel=Channel.paper)
    paper = Filters(channel="paper")
    assert filtered_count(session, survey, paper) == 1
    rows = list(raw_table(session, survey, "en", filters=paper).rows)
    assert [row[2] for row in rows] == ["Academia"]
    future = Filters(since=date(2999, 1, 1))
    assert list(raw_table(session, survey, "en", filters=future).rows) == []


def test_the_codebook_explains_every_column(session):
    survey = _one(session)
    table = codebook(survey, "en")
    rows = {row[0]: row for row in table.rows}
    assert set(FIXED_COLUMNS) <= set(rows)
    assert "media = Media" in rows["group"][-1]
    assert rows["agree"][1] == "scale" and "1 = point 1" in rows["agree"][-1]
    assert table.headers[4:6] == ["label::en", "label::ur"]


def test_an_anonymous_export_reads_in_public_id_order_without_sorting(session, backend):
    """Public-id order (no row's place says when it came in) comes down an index, not from a
    sort of the whole survey before the first row (bench/export.py measured the sort)."""
    survey = factories.nisp(session)
    assert survey.anonymous
    list(add_fake_responses(session, survey, 30, seed=5))
    bind = session.connection()
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM response" in statement and "json" in statement.lower():
            captured.append((statement, parameters))

    event.listen(bind, "before_cursor_execute", capture)
    try:
        rows = list(raw_table(session, survey, "en").rows)
    finally:
        event.remove(bind, "before_cursor_execute", capture)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows) and len(rows) == 30
    ((statement, parameters),) = captured
    if backend == "sqlite":
        plan = " | ".join(
            str(row[-1]) for row in bind.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                         parameters)
        )  # fmt: skip
        assert "ix_response_survey_public" in plan and "TEMP B-TREE" not in plan, plan
