"""Numbers as people type them: separators read, the value never changed, doubts refused."""

from __future__ import annotations

import pytest

from consult.surveys.questions.decimals import parse_decimal
from consult.surveys.questions.number import parse_integer
from consult.surveys.questions.separators import AmbiguousNumber


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1,5", 1.5),
        ("12,75", 12.75),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,00,000", 100000.0),
        ("۱۲٫۵", 12.5),
        ("-3,14159", -3.14159),
        ("12", 12.0),
        ("1,500,000.25", 1500000.25),
        ("0.5", 0.5),
    ],  # fmt: skip
)
def test_decimals_read_as_meant(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["1,500", "12,000", "۱٬۵۰۰"])
def test_a_comma_that_could_be_either_is_refused_not_guessed(typed):
    with pytest.raises(AmbiguousNumber):
        parse_decimal(typed)


@pytest.mark.parametrize("typed", ["1,2,3", "1.5.6", "nan", "inf", "1,,5", "abc"])
def test_what_is_no_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


@pytest.mark.parametrize(
    ("typed", "value"), [("1,500", 1500), ("1,00,000", 100000), ("۱۲٬۰۰۰", 12000), ("12", 12)]
)
def test_whole_numbers_read_their_grouping(typed, value):
    assert parse_integer(typed) == value


def test_a_decimal_comma_is_no_whole_number():
    with pytest.raises(ValueError):
        parse_integer("1,5")  # was stored as 15


def test_the_decimal_field_stores_a_comma_decimal_and_names_the_doubt(session):
    from werkzeug.datastructures import MultiDict

    from consult.collection.form import AnswerForm, response_form_class
    from consult.surveys.questions import question_type
    from tests import factories

    survey = factories.small(session, sections=[{
        "code": "money", "questions": [{"code": "amount", "type": "decimal",
                                        "label": {"en": "Amount"}}],
    }])  # fmt: skip
    form_class = response_form_class(survey, "en", base=AnswerForm)
    question = survey.questions[0]
    form = form_class(formdata=MultiDict({"nonce": "n", "q_amount": "1,5"}))
    assert form.validate()
    assert question_type("decimal").to_storage(question, form["q_amount"].data) == "1.5"
    doubtful = form_class(formdata=MultiDict({"nonce": "n", "q_amount": "1,500"}))
    assert not doubtful.validate()
    assert "1,500 can be read two ways" in doubtful.errors["q_amount"][0]
