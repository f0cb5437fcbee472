"""Rules checked when a survey is defined: expressions, names, cycles, matrices, settings."""

from __future__ import annotations

import copy

import pytest

from consult.authoring.definitions import create_survey
from consult.collection import skiplogic
from consult.surveys.models import DefinitionError, SurveyState
from tests import factories


def definition_with(changes):
    data = factories.every_type_definition()
    questions = {q["code"]: q for s in data["sections"] for q in s["questions"]}
    for code, settings in changes.items():
        questions[code].update(settings)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"salary": {"relevant": "${works} = = 'yes'"}}, r"sections\[2\].questions\[0\].relevant"),
        ({"salary": {"relevant": "${nobody} = 'yes'"}}, r"no question named \$\{nobody\}"),
        ({"age": {"constraint": ". > ${nobody}"}}, r"questions\[0\].constraint: no question"),
        (
            {"works": {"relevant": "${salary} > 0"}},
            r"relevance refers back to itself \(works → salary → works\)",
        ),
        ({"salary": {"relevant": "${salary} > 0"}}, "refers back to itself"),
        ({"salary": {"other": True}}, "only single and multiple choice have 'other'"),
        ({"salary": {"appearance": "minimal"}}, "only 'minimal'"),
        ({"started": {"min": "yesterday"}}, r"started|min: expected a date"),
        ({"salary": {"min": "zero"}}, "min: expected a number"),
    ],
)
def test_bad_rules_are_refused_naming_where(session, changes, message):
    with pytest.raises(DefinitionError, match=message):
        create_survey(session, definition_with(changes), SurveyState.draft)


def test_constraints_may_refer_to_later_questions(session):
    data = definition_with({"works": {"constraint": "${age} = '' or ${age} >= 18"}})
    assert create_survey(session, data, SurveyState.draft).questions


def test_a_table_list_section_holds_scales_on_one_set_of_points(session):
    data = factories.every_type_definition()
    views = next(s for s in data["sections"] if s["code"] == "views")
    mixed = copy.deepcopy(data)
    next(s for s in mixed["sections"] if s["code"] == "views")["questions"][1]["scale"] = (
        "agreement"
    )
    with pytest.raises(DefinitionError, match="share one scale"):
        create_survey(session, mixed, SurveyState.draft)
    views["questions"].append({"code": "why", "type": "short_text", "label": {"en": "Why"}})
    with pytest.raises(DefinitionError, match="only scale questions"):
        create_survey(session, data, SurveyState.draft)


class FakeField:
    def __init__(self, data, errors=()):
        self.data = data
        self.errors = list(errors)


class FakeForm:
    def __init__(self, survey, values):
        self.fields = [
            (q, FakeField(values.get(q.code)))
            for q in survey.ordered_questions()
            if q.type != "note"
        ]

    def answer_fields(self):
        return self.fields

    def field(self, code):
        return next(f for q, f in self.fields if q.code == code)


def test_judge_skips_irrelevant_questions_and_checks_constraints(session):
    survey = factories.every_type(session)
    form = FakeForm(survey, {"works": "no", "age": "12"})
    form.field("salary").errors = ["Please answer this question."]
    judged = skiplogic.judge(survey, form, "en")
    assert judged.skipped == {"sector", "salary", "started"}
    assert form.field("salary").errors == []
    assert form.field("age").errors == ["Adults only."]
    assert judged.answers["works"] == "no"


def test_judge_gives_the_questions_own_required_message_in_the_language(session):
    survey = factories.every_type(session)
    form = FakeForm(survey, {"works": "yes", "age": "30"})
    form.field("salary").errors = ["Please answer this question."]
    judged = skiplogic.judge(survey, form, "ur")
    assert judged.skipped == set()
    assert form.field("salary").errors == ["تنخواہ بتائیں۔"]
    assert form.field("age").errors == []


def test_pages_leave_out_sections_whose_every_question_is_skipped(session):
    survey = factories.every_type(session)
    codes = [s.code for s in survey.sections]
    shown = skiplogic.pages(survey, {"salary", "started"})
    assert [codes[i] for i in shown] == ["main", "work", "views", "end"]
    assert skiplogic.next_page(survey, codes.index("work"), {"salary", "started"}, 1) == 3
    assert skiplogic.next_page(survey, 3, {"salary", "started"}, -1) == 1
    assert skiplogic.next_page(survey, 0, set(), -1) == 0


def test_a_page_shows_skipped_questions_that_depend_on_its_own_answers(session):
    survey = factories.every_type(session)
    work = next(s for s in survey.sections if s.code == "work")
    job = next(s for s in survey.sections if s.code == "job")
    skipped = {"sector", "salary", "started"}
    assert skiplogic.hidden_on(work, skipped) == {"salary", "started"}  # sector depends on works
    assert skiplogic.hidden_on(job, skipped) == skipped  # works is on another page


def test_the_browser_gets_the_rules_that_read_answers_on_their_own_page(session):
    definition = factories.every_type_definition("live")
    work, job = definition["sections"][-4], definition["sections"][-3]
    assert (work["code"], job["code"]) == ("work", "job")
    # On the job page: one rule reads a same-page number and an earlier page's answer, one a
    # same-page date (the browser cannot read typed dates: left to the server).
    job["questions"].append(
        {
            "code": "bonus",
            "type": "integer",
            "label": {"en": "Bonus"},
            "relevant": "${works} = 'yes' and ${salary} > 1000",
        }  # fmt: skip
    )
    job["questions"].append(
        {
            "code": "tenure",
            "type": "integer",
            "label": {"en": "Years"},
            "relevant": "${started} != ''",
        }  # fmt: skip
    )
    survey = create_survey(session, definition, SurveyState.open)
    sections = {s.code: s for s in survey.sections}

    live = skiplogic.live_rules([sections["work"]], {"works": "no"})
    assert live == {
        "rules": {"sector": ("=", ("ref", "works"), ("str", "yes"))},
        "kinds": {"works": "choice"},
        "known": {},
    }
    live = skiplogic.live_rules([sections["job"]], {"works": "yes", "salary": None})
    assert live is not None and set(live["rules"]) == {"bonus"}
    assert live["kinds"] == {"salary": "number"}
    assert live["known"] == {"works": "yes"}
    assert skiplogic.live_rules([sections["views"]], {}) is None  # no rule on that page
