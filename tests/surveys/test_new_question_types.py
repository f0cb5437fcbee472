"""Decimal, date, consent, "other, please specify": storage, export, import and figures."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from consult.surveys.questions import question_type
from consult.surveys.questions.choice import Specified
from consult.surveys.questions.dates import parse_date
from consult.surveys.questions.decimals import parse_decimal
from tests import factories


def _q(survey, code):
    return next(q for q in survey.questions if q.code == code)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12.5", 12.5), ("۱۲٫۵", 12.5), ("١٢٣", 123.0), ("-3", -3.0), ("1,200.25", 1200.25)],
)
def test_decimals_accept_ascii_and_urdu_digits(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "nan", "inf", "1e999", "1.2.3"])
def test_decimals_refuse_what_is_not_a_finite_number(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def test_dates_accept_urdu_digits_and_refuse_impossible_days():
    assert parse_date("۲۰۲۵-۰۳-۲۳").isoformat() == "2025-03-23"
    assert parse_date("2025/3/9").isoformat() == "2025-03-09"
    for typed in ("2025-02-30", "23-03", "tomorrow", "2025-13-01"):
        with pytest.raises(ValueError):
            parse_date(typed)


def test_every_new_type_round_trips_storage_export_and_import(session):
    survey = factories.every_type(session)
    rng = random.Random(4)
    for code in ("salary", "started", "agree_terms", "tools", "sector"):
        question = _q(survey, code)
        qtype = question_type(question.type)
        for _ in range(20):
            value = qtype.fake(question, rng)
            if value is None:
                continue
            cells = qtype.exporter(question, "en", True)(value)
            assert len(cells) == len(qtype.columns(question))
            data = qtype.importer(question)(cells)
            pairs = qtype.to_formdata(question, value)
            assert pairs, code
            assert data.get("", [None])[0] is not None


def test_other_is_stored_with_its_text_and_exported_in_its_own_column(session):
    survey = factories.every_type(session)
    sector = _q(survey, "sector")
    qtype = question_type("single_choice")
    assert [code for code, _ in sector.options()] == ["public", "other"]
    stored = qtype.to_storage(sector, Specified("NGO"))
    assert stored == "other\nNGO"
    assert qtype.columns(sector) == ["sector", "sector/other_text"]
    assert qtype.exporter(sector, "en", False)(stored) == ["Other", "NGO"]
    assert qtype.to_formdata(sector, stored) == [("q_sector", "other"), ("q_sector-other", "NGO")]
    figures = qtype.summarise(sector, {stored: 2.0, "other\nclub": 1.0, "public": 1.0})
    assert figures == {"n": 4.0, "pct:public": 0.25, "pct:other": 0.75}


def test_multiple_choice_other_keeps_the_text_out_of_the_codes(session):
    survey = factories.every_type(session)
    tools = _q(survey, "tools")
    qtype = question_type("multiple_choice")
    stored = qtype.to_storage(tools, ["radio", Specified("pen radio kite")])
    assert stored == "radio other\npen radio kite"
    assert qtype.exporter(tools, "en", True)(stored) == [0, 0, 1, 1, "pen radio kite"]
    figures = qtype.summarise(tools, {stored: 1.0})
    assert figures["pct:pen"] == 0 and figures["pct:radio"] == 1 and figures["pct:other"] == 1


def test_decimal_and_date_import_spreadsheet_cells(session):
    survey = factories.every_type(session)
    started = _q(survey, "started")
    imported = question_type("date").importer(started)([datetime(2020, 5, 1)])
    assert imported == {"": ["2020-05-01"]}
    salary = _q(survey, "salary")
    assert question_type("decimal").to_storage(salary, "1200.50") == "1200.5"
    assert question_type("decimal").exporter(salary, "en", True)("1200.5") == [1200.5]
    figures = question_type("decimal").summarise(salary, {"10": 1.0, "20": 1.0})
    assert figures["mean"] == 15


def test_consent_is_always_required_and_stored_as_yes(session):
    survey = factories.every_type(session)
    consent = _q(survey, "agree_terms")
    assert consent.required
    qtype = question_type("consent")
    assert qtype.to_storage(consent, True) == "yes" and qtype.to_storage(consent, False) is None
