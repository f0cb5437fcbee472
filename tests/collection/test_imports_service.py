"""Responses imported from a sheet, as a service: every row through the respondent form's own
validation, every problem named by row and column, all rows or none."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from consult.collection.imports import import_responses
from consult.collection.models import Response
from consult.problems import Refusal
from consult.surveys.columns import FIXED_COLUMNS
from tests import factories

ANSWERS = ["colour", "tools/pen", "tools/phone", "tools/radio", "agree", "rank/alpha",
           "rank/beta", "rank/gamma", "years", "name", "comment"]  # fmt: skip


def _sheet(*rows: list) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append([*FIXED_COLUMNS, *ANSWERS])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


GOOD = ["", "2026-11-25", "Media", "en", "paper", "Red", 1, 0, 0, 4, 1, 2, 3, 12, "Ali", "ok"]


def _count(session, survey):
    return session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))


def test_good_rows_are_stored_with_their_group_channel_and_day(session):
    survey = factories.small(session)
    second = [*GOOD[:2], "academia", "ur", "", "green", 0, 1, 1, 5, 3, 1, 2, "", "", ""]
    assert import_responses(session, survey, _sheet(GOOD, second)) == 2
    stored = session.scalars(select(Response).where(Response.survey_id == survey.id)).all()
    assert sorted(r.channel for r in stored) == ["import", "paper"]
    assert {r.group.code for r in stored} == {"media", "academia"}
    assert all(r.submitted_at.hour == 0 for r in stored)  # anonymous: the day only


def test_every_problem_is_named_and_nothing_is_stored(session):
    survey = factories.small(session)
    bad_scale = [*GOOD[:9], 9, *GOOD[10:]]
    bad_group = [*GOOD[:2], "Nobody", *GOOD[3:]]
    with pytest.raises(Refusal) as refused:
        import_responses(session, survey, _sheet(GOOD, bad_scale, bad_group))
    places = [p.where for p in refused.value.problems]
    assert "row 3, column agree" in places
    assert "row 4, column group" in places
    assert not any(where.startswith("row 2,") for where in places)
    assert _count(session, survey) == 0


def test_a_formula_is_refused_not_evaluated(session):
    survey = factories.small(session)
    with pytest.raises(Refusal) as refused:
        import_responses(session, survey, _sheet([*GOOD[:14], "=1+1", "x"]))
    assert [p.field for p in refused.value.problems] == ["name"]
    assert "formula" in refused.value.problems[0].message


def test_a_header_that_is_not_the_exports_is_refused(session):
    survey = factories.small(session)
    book = openpyxl.Workbook()
    book.active.append(["response_id", "mystery"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    with pytest.raises(Refusal) as refused:
        import_responses(session, survey, data)
    fields = {p.field for p in refused.value.problems}
    assert "mystery" in fields and "agree" in fields  # unknown and missing columns


def test_a_file_that_is_not_a_workbook_is_refused(session):
    survey = factories.small(session)
    with pytest.raises(Refusal, match="not an Excel"):
        import_responses(session, survey, io.BytesIO(b"not a zip"))
