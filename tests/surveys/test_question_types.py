"""Question types store and export values the same way everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult.surveys.questions import TYPES, question_type
from consult.surveys.questions.number import parse_integer
from tests import factories


def _q(survey, code):
    return next(q for q in survey.questions if q.code == code)


def test_every_type_has_a_template_macro():
    macros = Path("templates/_macros/questions.html").read_text(encoding="utf-8")
    for qtype in TYPES.values():
        assert f"macro {qtype.macro}(" in macros, qtype.name


def test_ranking_stores_codes_in_rank_order_and_exports_ranks(session):
    survey = factories.small(session)
    rank = _q(survey, "rank")
    qtype = question_type("ranking")
    stored = qtype.to_storage(rank, {"alpha": "3", "beta": "1", "gamma": "2"})
    assert stored == "beta gamma alpha"
    assert qtype.columns(rank) == ["rank/alpha", "rank/beta", "rank/gamma"]
    assert qtype.exporter(rank, "en", codes=True)(stored) == [3, 1, 2]


def test_multiple_choice_keeps_question_order_and_drops_repeats(session):
    survey = factories.small(session)
    tools = _q(survey, "tools")
    qtype = question_type("multiple_choice")
    assert qtype.to_storage(tools, ["radio", "pen", "radio"]) == "pen radio"
    assert qtype.exporter(tools, "en", codes=False)("pen radio") == [1, 0, 1]
    assert qtype.exporter(tools, "en", codes=False)(None) == [None, None, None]


def test_single_choice_exports_labels_or_codes(session):
    survey = factories.small(session)
    colour = _q(survey, "colour")
    qtype = question_type("single_choice")
    assert qtype.exporter(colour, "en", codes=False)("green") == ["Green"]
    assert qtype.exporter(colour, "en", codes=True)("green") == ["green"]


@pytest.mark.parametrize(
    ("raw", "value"), [("12", 12), (" 1,200 ", 1200), ("۱۲", 12), ("١٢", 12), ("-3", -3)]
)
def test_integers_in_any_digits(raw, value):
    assert parse_integer(raw) == value


@pytest.mark.parametrize("raw", ["", "abc", "1.5", "1e9", "9" * 30])
def test_not_integers(raw):
    with pytest.raises(ValueError):
        parse_integer(raw)


def test_notes_have_no_column(session):
    survey = factories.small(session)
    assert question_type("note").columns(_q(survey, "info")) == []
