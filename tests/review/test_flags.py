"""Quality flags on planted data: 1,000 synthetic NISP responses with 30 speeders, 30
straightliners and 30 pasted comments; each check finds at least 90% of its planted cases and
flags at most 2% of the others."""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import select, update

from consult.analysis.comments import comment_questions
from consult.collection.models import Channel, Response
from consult.collection.responses import insert_responses, response_values
from consult.collection.synthetic import fake_answers
from consult.review import flags
from consult.review.models import Flag, ResponseFlag
from consult.surveys.questions import question_type
from tests import factories

N, PLANTED = 1000, 30
PASTED = (
    "The policy is written in Islamabad for Islamabad; nobody asked the districts what they "
    "need, and until the police stations have the resources nothing on paper will change."
)
VOCABULARY = (
    "police district coordination budget training community elders madrassa media reform "
    "province court delay trust women youth border checkpoint intelligence data report "
    "monitoring local council funds accountability language culture schools radio threat"
).split()


def _comment(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(8, 40)))


@pytest.fixture
def planted(session):
    rng = random.Random(20261204)
    survey = factories.nisp(session, slug="planted")
    scale_ids = [q.id for q in survey.ordered_questions() if question_type(q.type).numbered_points]
    comment_ids = [q.id for q in comment_questions(survey)]
    answers = []
    for _ in range(N):
        given = fake_answers(survey, rng)
        for qid in comment_ids:
            given[qid] = _comment(rng) if rng.random() < 0.5 else given.get(qid, "")
            if not given[qid]:
                del given[qid]
        answers.append(given)
    order = list(range(N))
    rng.shuffle(order)
    speeders, liners, pasters = order[:30], order[30:60], order[60:90]
    for i in liners:
        point = rng.choice("12345")
        for qid in scale_ids:
            answers[i][qid] = point
    for i in pasters:
        # Pasted, sometimes with a word or two changed or a greeting added.
        text = PASTED if rng.random() < 0.5 else "Salaam. " + PASTED.replace("nothing", "little")
        answers[i][rng.choice(comment_ids)] = text
    rows = [response_values(survey, a, "en", Channel.web) for a in answers]
    insert_responses(session, rows, answers)
    ids = list(session.scalars(
        select(Response.id).where(Response.survey_id == survey.id).order_by(Response.id)
    ))  # fmt: skip
    for index, rid in enumerate(ids):
        if index in speeders:
            seconds = rng.randint(40, 160)
        else:  # typical answering times: median ten minutes, log-normal spread
            seconds = int(600 * math.exp(rng.gauss(0, 0.35)))
        session.execute(update(Response).where(Response.id == rid).values(duration_s=seconds))
    planted_ids = {
        Flag.speeding: {ids[i] for i in speeders},
        Flag.straightlining: {ids[i] for i in liners},
        Flag.duplicate_text: {ids[i] for i in pasters},
    }
    return survey, set(ids), planted_ids


def test_each_check_finds_its_planted_cases_with_few_false_flags(session, planted):
    survey, everyone, planted_ids = planted
    counts = flags.scan(session, survey)
    stored = session.execute(
        select(ResponseFlag.kind, ResponseFlag.response_id).where(
            ResponseFlag.survey_id == survey.id
        )
    ).all()
    found: dict[str, set[int]] = {}
    for kind, rid in stored:
        found.setdefault(kind, set()).add(rid)
    for kind, wanted in planted_ids.items():
        hits = found.get(kind.value, set())
        recall = len(hits & wanted) / len(wanted)
        others = everyone - wanted
        false_rate = len(hits - wanted) / len(others)
        assert recall >= 0.9, f"{kind}: found {recall:.0%} of the planted cases"
        assert false_rate <= 0.02, f"{kind}: flagged {false_rate:.1%} of the others"
        assert counts[kind] == len(hits)
        print(f"{kind}: found {recall:.0%} of {len(wanted)}, false flags {false_rate:.2%}")
    assert not found.get(Flag.interviewer.value)  # no interviews in this survey


def test_interviewer_whose_interviews_are_all_quick_is_flagged():
    durations, interviewers, scales = {}, {}, {}
    rid = 0
    for person, seconds in ((1, 900), (2, 840), (3, 960), (4, 240)):
        for k in range(10):
            rid += 1
            durations[rid], interviewers[rid] = seconds + k * 7, person
            scales[rid] = [str((rid * 7 + j) % 5 + 1) for j in range(12)]
    found = flags.interviewer_outliers(durations, interviewers, scales)
    assert {interviewers[r] for r in found} == {4}
    assert len(found) == 10


def test_too_few_timed_responses_flag_no_speeder():
    assert flags.speeding({1: 10, 2: 600, 3: 700}) == {}
