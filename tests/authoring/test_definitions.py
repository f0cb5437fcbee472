"""Loading surveys from definitions, and refusing bad ones with a message that says where."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from consult.authoring.definitions import builtin_definition, create_survey
from consult.surveys.models import DefinitionError, Survey, SurveyState
from tests import factories


def test_builtin_nisp_consultation_has_the_promised_shape(session):
    survey = factories.nisp(session)
    assert [g.code for g in survey.groups] == [
        "media", "academia", "religious_scholars", "community", "civil_society", "security",
    ]  # fmt: skip
    assert len(survey.recommendations) == 6
    for rec in survey.recommendations:
        tagged = {q.code for q in survey.questions if q.recommendation is rec}
        assert {f"{rec.code}_agree", f"{rec.code}_feasible", f"{rec.code}_comment"} <= tagged
    ranking = next(q for q in survey.questions if q.type == "ranking")
    assert [code for code, _ in ranking.options()] == [r.code for r in survey.recommendations]
    province = next(q for q in survey.questions if q.role == "region")
    assert len(province.choices) == 7


def test_every_text_of_the_builtin_consultation_is_in_english_and_urdu():
    data = builtin_definition()
    missing = []

    def walk(node, path):
        if isinstance(node, dict):
            if set(node) >= {"en"} and all(isinstance(v, str) for v in node.values()):
                if not node.get("ur"):
                    missing.append(path)
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(data, "survey")
    assert not missing


def _broken(change):
    data = copy.deepcopy(factories.small_definition())
    change(data)
    return data


BROKEN = {
    "unknown key": (lambda d: d.update(colour="red"), "survey: unknown key(s) colour"),
    "duplicate code": (
        lambda d: d["sections"][0]["questions"].append(
            copy.deepcopy(d["sections"][0]["questions"][1])
        ),
        "'colour' is used twice",
    ),
    "unknown type": (
        lambda d: d["sections"][0]["questions"][1].update(type="signature"),
        "unknown type 'signature'",
    ),
    "missing scale": (
        lambda d: d["sections"][0]["questions"][3].update(scale="nope"),
        "no scale named 'nope'",
    ),
    "choice without choices": (
        lambda d: d["sections"][0]["questions"][1].pop("choices"),
        "needs choices",
    ),
    "bad code": (
        lambda d: d["sections"][0]["questions"][1].update(code="Bad Code"),
        "is not a code",
    ),
    "label missing default language": (
        lambda d: d["sections"][0]["questions"][1].update(label={"ur": "رنگ"}),
        "no text in 'en'",
    ),
    "unknown recommendation": (
        lambda d: d["sections"][0].update(recommendation="zzz"),
        "no recommendation 'zzz'",
    ),
    "consensus share as a percentage": (
        lambda d: d.update(analysis={"consensus_share": 70}),
        "survey.analysis.consensus_share: a number from 0.5 to 1",
    ),
    "analysis threshold not a number": (
        lambda d: d.update(analysis={"split_spread": "wide"}),
        "survey.analysis.split_spread",
    ),
    "unknown analysis threshold": (
        lambda d: d.update(analysis={"k": 3}),
        "survey.analysis: unknown key(s) k",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_definition_is_refused_and_nothing_is_added(session, case):
    change, message = BROKEN[case]
    with pytest.raises(DefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create_survey(session, _broken(change), SurveyState.draft)
    session.rollback()
    assert session.scalar(select(Survey)) is None


def test_a_definition_may_set_the_analysis_thresholds(session):
    from consult.analysis.summarising import Thresholds

    data = factories.small_definition()
    data["analysis"] = {"consensus_share": 0.8, "consensus_iqr": 0.5}
    survey = create_survey(session, data, SurveyState.draft)
    thresholds = Thresholds.of(survey)
    assert (thresholds.consensus_share, thresholds.consensus_iqr) == (0.8, 0.5)
    assert thresholds.split_spread == Thresholds.split_spread  # not set: the default
