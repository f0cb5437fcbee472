"""Thirty hand-made NISP responses whose figures are worked out by hand in the tests.

Groups: media 8, academia 7, religious scholars 4 (fewer than k = 5), community 6, civil society
5, security practitioners none. Only the coordination agreement, the priority ranking, the
information sources and the coordination comments vary; every other required answer is 3.

coordination_agree, by group (5 = strongly agree):
  media               5 5 4 4 4 3 2 1   agree 5/8 = 62.5%, disagree 2/8, mean 3.5, IQR 4.5-2.5 = 2
  academia            5 5 5 5 4 4 3     agree 6/7 = 85.71%, mean 31/7, IQR 5-4 = 1: consensus agree
  religious scholars  1 1 2 5           fewer than 5: "<5", no figures
  community           2 2 1 1 3 4       agree 1/6 = 16.67%, disagree 4/6 = 66.67%, mean 13/6
  civil society       4 4 4 5 5         5 respondents, hidden: with the 4 religious scholars it
                                        keeps the hidden cells at 9, so none can be worked out
  overall             agree 5+6+1+1+5 = 18 of 30 = 60%
  groups weighted     (5/8 + 6/7 + 1/6) / 3 = 54.96% (only the groups shown take part)
  divergence          means 3.5, 4.4286, 2.1667: spread 2.2619, groups split

priority_ranking, the rank given to coordination (the others follow in survey order):
  media 1 (×8), academia 1 (×3) and 2 (×4), religious scholars 3, community 6, civil society 4
  mean rank: media 1, academia 11/7 = 1.5714, community 6, overall 87/30 = 2.9,
             groups weighted (1 + 11/7 + 6) / 3 = 2.8571
  Borda points (6 − rank each): media 8 × 5 = 40, academia 3 × 5 + 4 × 4 = 31, community 0
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from consult.collection.models import Channel
from consult.collection.responses import Submission, submit
from consult.surveys.models import Survey

AGREE = {
    "media": [5, 5, 4, 4, 4, 3, 2, 1],
    "academia": [5, 5, 5, 5, 4, 4, 3],
    "religious_scholars": [1, 1, 2, 5],
    "community": [2, 2, 1, 1, 3, 4],
    "civil_society": [4, 4, 4, 5, 5],
}
COORDINATION_RANK = {
    "media": [1] * 8,
    "academia": [1, 1, 1, 2, 2, 2, 2],
    "religious_scholars": [3] * 4,
    "community": [6] * 6,
    "civil_society": [4] * 5,
}
ITEMS = ["coordination", "monitoring", "resources", "stakeholders", "kpis", "local_context"]
PROVINCES = {"media": "punjab", "academia": "sindh", "religious_scholars": "kp"}

# Comments, by group: formula triggers, bidi controls, Urdu; the scholars' must lose the group.
COMMENTS = {
    "media": ["=1+1 should stay text", "\u202eevil\u202c reversed", "رابطہ کاری بہتر ہو"],
    "religious_scholars": ["Only three of us in this district"],
    "academia": ["+92 300 1234567", "@SUM(A1)", "-minus first"],
}


def ranking(rank: int) -> str:
    others = [code for code in ITEMS if code != "coordination"]
    order = others[: rank - 1] + ["coordination"] + others[rank - 1 :]
    return " ".join(order)


def answers_for(survey: Survey, group: str, index: int) -> dict[int, str]:
    by_code = {q.code: q for q in survey.questions}
    values: dict[str, Any] = {"group": group, "province": PROVINCES.get(group, "balochistan")}
    for rec in ITEMS:
        values[f"{rec}_agree"] = "3"
        values[f"{rec}_feasible"] = "3"
    values["coordination_agree"] = str(AGREE[group][index])
    values["priority_ranking"] = ranking(COORDINATION_RANK[group][index])
    values["information_sources"] = "tv radio" if index % 2 == 0 else "tv"
    comments = COMMENTS.get(group, [])
    if index < len(comments):
        values["coordination_comment"] = comments[index]
    return {by_code[code].id: value for code, value in values.items()}


def load(session: Session, survey: Survey) -> None:
    """Store the thirty responses in ``survey`` (the NISP consultation, open)."""
    for group, scores in AGREE.items():
        for index in range(len(scores)):
            language = "ur" if index % 3 == 0 else "en"
            submission = Submission(
                answers=answers_for(survey, group, index), language=language, channel=Channel.web
            )
            submit(session, survey, submission)
    session.flush()
