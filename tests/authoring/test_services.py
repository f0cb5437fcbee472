"""The authoring service: checks by field, the loader's rules reused, answers never orphaned."""

from __future__ import annotations

from datetime import date

import pytest

from consult.authoring import answered, content, questions, recommendations, sections
from consult.authoring import surveys as authoring_surveys
from consult.authoring.common import Row
from consult.collection.models import Answer, Response
from consult.db import utcnow
from consult.problems import Refusal
from consult.surveys.models import SurveyState
from tests import factories


def _new(session, slug="built"):
    return authoring_surveys.new_survey(
        session, slug, ["en", "ur"], {"en": "Built", "ur": ""}, anonymous=True, k_min="5"
    )


def _answer(session, survey, code, value):
    question = next(q for q in survey.questions if q.code == code)
    response = Response(
        survey_id=survey.id, public_id=f"p{question.id}", language="en", submitted_at=utcnow()
    )
    session.add(response)
    session.flush()
    session.add(Answer(response_id=response.id, question_id=question.id, value=value))
    session.flush()
    return question


SETTING_INPUTS = {"min", "max", "max_length", "min_selections", "max_selections", "appearance"}


def _inputs(question, **changes):
    """What the question form posts: the type's own settings as typed (``other`` ticked: "1");
    the list left as it is unless ``rows`` are given."""
    data = questions.QuestionInput(
        code=question.code, required=question.required, label=dict(question.label), hint={}
    )
    for key, value in changes.items():
        if key == "other":
            data.settings["other"] = "1" if value else ""
        elif key in SETTING_INPUTS:
            data.settings[key] = value
        else:
            setattr(data, key, value)
    return data


def _add(session, survey, section, type_name, code, rows=(), **changes):
    """A new question through the editor's one save: ``rows`` as (code, English text)."""
    data = questions.QuestionInput(code=code, required=False, label={"en": code})
    data.rows = [Row(code=c, label={"en": text}) for c, text in rows]
    for key, value in changes.items():
        if key in SETTING_INPUTS or key == "other":
            data.settings[key] = "1" if value is True else value
        else:
            setattr(data, key, value)
    new = questions.NewQuestion(section, type_name)
    return questions.save_question(session, survey, data, new=new)


def _rows(question, drop=(), rename=None, add=()):
    """The question's rows as the editor would post them, changed."""
    found = [
        Row(code=(rename or {}).get(c.code, c.code), was=c.code, label=dict(c.label))
        for c in question.choices
        if c.code not in drop and c.code != "other"
    ]
    return found + [Row(code=c, label={"en": t}) for c, t in add]


def test_new_survey_collects_every_error_by_field(session):
    _new(session)
    with pytest.raises(Refusal) as caught:
        authoring_surveys.new_survey(session, "built", ["en", "e n"], {"en": ""}, True, "x")
    assert set(caught.value.by_field()) == {"slug", "languages", "k_min", "title-en"}


def test_new_survey_is_a_draft_with_one_page(session):
    survey = _new(session)
    assert survey.state == SurveyState.draft
    assert [s.code for s in survey.sections] == ["page_1"]
    assert survey.title == {"en": "Built"}  # an empty translation falls back, not stored


def test_accepting_answers_follows_state_and_dates(session):
    survey = _new(session)
    survey.settings = {"opens_on": "2026-03-01", "closes_on": "2026-03-31"}
    assert not survey.accepting_answers(date(2026, 3, 10))  # a draft
    survey.state = SurveyState.open
    assert survey.accepting_answers(date(2026, 3, 1))
    assert survey.accepting_answers(date(2026, 3, 31))
    assert not survey.accepting_answers(date(2026, 2, 28))
    assert not survey.accepting_answers(date(2026, 4, 1))


def test_dates_in_the_wrong_order_are_refused(session):
    survey = _new(session)
    with pytest.raises(Refusal) as caught:
        authoring_surveys.update_survey(
            session,
            survey,
            languages=["en"],
            title={"en": "T"},
            description={},
            anonymous=True,
            k_min="5",
            opens_on="2026-05-01",
            closes_on="2026-04-01",
        )
    assert "closes_on" in caught.value.by_field()


def test_opening_needs_questions_and_closing_an_unopened_survey_is_refused(session):
    survey = _new(session)
    with pytest.raises(Refusal, match="no questions"):
        authoring_surveys.change_state(session, survey, "open")
    with pytest.raises(Refusal):
        authoring_surveys.change_state(session, survey, "close")
    _add(session, survey, survey.sections[0], "single_choice", "q")
    with pytest.raises(Refusal, match="no choices"):
        authoring_surveys.change_state(session, survey, "open")


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"relevant": "${years} >"}, "relevant", "unexpected end"),
        ({"constraint": ". > ${ghost}"}, "constraint", "no question named ${ghost}"),
        ({"min": "1.5"}, "min", "whole number"),
        ({"max_length": "0"}, "max_length", "At least 1"),
    ],
)
def test_question_errors_use_the_loader_checks_and_name_the_field(session, changes, field, text):
    survey = factories.small(session, state=SurveyState.draft)
    question = next(
        q
        for q in survey.questions
        if q.code in ("years", "name") and (q.type == "short_text") == (field == "max_length")
    )
    with pytest.raises(Refusal) as caught:
        questions.save_question(session, survey, _inputs(question, **changes), question)
    assert text in caught.value.by_field()[field]


def test_a_relevance_cycle_through_another_question_is_named(session):
    survey = factories.small(session, state=SurveyState.draft)
    years = next(q for q in survey.questions if q.code == "years")
    name = next(q for q in survey.questions if q.code == "name")
    questions.save_question(session, survey, _inputs(years, relevant="${name} != ''"), years)
    with pytest.raises(Refusal) as caught:
        questions.save_question(session, survey, _inputs(name, relevant="${years} > 1"), name)
    assert "refers back to itself" in caught.value.by_field()["relevant"]


def test_other_adds_and_removes_its_choice(session):
    survey = factories.small(session, state=SurveyState.draft)
    colour = next(q for q in survey.questions if q.code == "colour")
    questions.save_question(session, survey, _inputs(colour, other=True), colour)
    assert [c.code for c in colour.choices][-1] == "other"
    questions.save_question(session, survey, _inputs(colour, other=False), colour)
    assert "other" not in [c.code for c in colour.choices]


def test_answered_questions_and_choices_are_protected(session):
    survey = factories.small(session)
    colour = _answer(session, survey, "colour", "green")
    assert answered.choice_in_use(session, colour, "green")
    assert not answered.choice_in_use(session, colour, "red")
    with pytest.raises(Refusal):
        questions.delete_question(session, survey, colour)
    with pytest.raises(Refusal, match="Respondents chose green") as caught:
        data = _inputs(colour, rows=_rows(colour, drop={"green"}))
        questions.save_question(session, survey, data, colour)
    assert caught.value.conflict
    with pytest.raises(Refusal) as caught:
        data = _inputs(colour, rows=_rows(colour, rename={"green": "verde"}))
        questions.save_question(session, survey, data, colour)
    assert "cannot change" in caught.value.by_field()["c1-code"]
    with pytest.raises(Refusal):
        questions.save_question(session, survey, _inputs(colour, code="hue"), colour)
    with pytest.raises(Refusal):
        authoring_surveys.delete_survey(session, survey)
    data = _inputs(colour, rows=_rows(colour, drop={"red"}))  # nobody chose it
    questions.save_question(session, survey, data, colour)
    assert [c.code for c in colour.choices] == ["green", "blue"]


def test_deleting_a_question_others_refer_to_is_refused(session):
    survey = factories.every_type(session, state=SurveyState.draft)
    works = next(q for q in survey.questions if q.code == "works")
    with pytest.raises(Refusal, match="refer"):
        questions.delete_question(session, survey, works)


def test_scale_points_stay_numbered_in_order(session):
    survey = factories.small(session, state=SurveyState.draft)
    agree = next(q for q in survey.questions if q.code == "agree")
    rows = _rows(agree, drop={"2"}, add=[("", "new")])
    rows[-2], rows[-1] = rows[-1], rows[-2]
    questions.save_question(session, survey, _inputs(agree, rows=rows), agree)
    session.flush()
    assert [c.code for c in agree.choices] == ["1", "2", "3", "4", "5"]
    assert [c.label["en"] for c in agree.choices] == [
        "point 1",
        "point 3",
        "point 4",
        "new",
        "point 5",
    ]


def test_answered_scale_points_get_words_and_more_points_but_keep_their_order(session):
    survey = factories.small(session)
    agree = _answer(session, survey, "agree", "4")
    rows = _rows(agree, add=[("", "six")])
    rows[0].label = {"en": "Not at all"}
    questions.save_question(session, survey, _inputs(agree, rows=rows), agree)
    assert [c.label["en"] for c in agree.choices][0] == "Not at all"
    assert len(agree.choices) == 6
    moved = _rows(agree)
    moved[0], moved[1] = moved[1], moved[0]
    with pytest.raises(Refusal, match="none can be removed or moved") as caught:
        questions.save_question(session, survey, _inputs(agree, rows=moved), agree)
    assert caught.value.conflict


def test_duplicate_is_a_draft_copy_without_dates(session):
    survey = factories.every_type(session)
    survey.settings = {"opens_on": "2026-01-01"}
    copy = authoring_surveys.duplicate_survey(session, survey, "copy")
    assert copy.state == SurveyState.draft and copy.settings == {}
    assert {q.code: q.settings for q in copy.questions} == {
        q.code: q.settings for q in survey.questions
    }
    rec = {q.code: q.recommendation.code for q in copy.questions if q.recommendation}
    assert rec == {q.code: q.recommendation.code for q in survey.questions if q.recommendation}
    assert content.check_survey(copy) == []


def test_a_built_survey_round_trips_through_xlsform(session):
    from tests.authoring.test_xlsform_roundtrip import round_trip, shape

    survey = _new(session, "built-xls")
    first = survey.sections[0]
    recommendations.save_recommendations(
        session, survey, [Row(code="coord", label={"en": "Coordination"})]
    )
    rec = survey.recommendations[0]
    five = [("", str(n)) for n in range(1, 6)]

    def add(type_name, code, section=None, points=(), **changes):
        rows = [(p, p.title()) for p in points] if isinstance(points, tuple) else points
        return _add(session, survey, section or first, type_name, code, rows, **changes)

    add("single_choice", "who", points=("media", "academia"), role="group", required=True)
    add("single_choice", "province", points=("punjab", "sindh"), role="region")
    add("single_choice", "works", points=("yes", "no"), required=True, appearance="minimal")
    add("multiple_choice", "tools", points=("pen", "radio"), other=True, max_selections="2")
    add("ranking", "rank", points=("a", "b"))
    add("integer", "age", constraint=". >= 18", constraint_message={"en": "Adults only."})
    # XLSForm carries a tag per group, so the tagged question has a page of its own here.
    job = sections.add_section(session, survey, "job")
    add("decimal", "salary", job, relevant="${works} = 'yes'", min="0.5", recommendation="coord")
    add("date", "started", min="1950-01-01")
    add("short_text", "name", max_length="40", hint={"en": "As you like"})
    add("long_text", "comment", required_message={"en": "Please say."}, required=True)
    add("note", "info")
    add("consent", "terms")
    views = sections.add_section(session, survey, "views")
    add("scale", "trust", section=views, points=five)
    add("scale", "safe", section=views, points=five)
    sections.update_section(session, survey, views, {"en": "Views"}, {}, "table-list")
    assert content.check_survey(survey) == [] and rec.code == "coord"
    session.expire_all()
    assert shape(round_trip(session, survey, "built-xls-again")) == shape(survey)
