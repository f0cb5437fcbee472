"""What a panellist's round page holds: the items, their points in the page's language, the
feedback from the round before and the panellist's own previous answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from consult.analysis.summarising import Thresholds
from consult.delphi.answers import round_answers
from consult.delphi.feedback import ItemFeedback, item_feedback
from consult.delphi.models import DelphiRound
from consult.delphi.panel import rating_items
from consult.delphi.protocol import Protocol
from consult.delphi.rankings import MeanRank, form_values, mean_ranks, ranking_items
from consult.delphi.respond import CANNOT
from consult.surveys.models import Question


@dataclass
class RoundPage:
    round: DelphiRound
    items: list[Question]
    points: dict[str, list[tuple[str, str]]]  # item code → [(value, label)]
    protocol: Protocol
    k: int
    group: str | None
    previous_number: int | None
    feedback: dict[str, ItemFeedback] = field(default_factory=dict)
    # The own previous answers as the form's values ("1".."n" or CANNOT), to pre-select.
    previous_values: dict[str, str] = field(default_factory=dict)
    # The own previous ratings (None: cannot judge), for the crossing check.
    previous: dict[str, int | None] = field(default_factory=dict)
    # Ranking questions, the round before's mean ranks (panellists, best first), own ranks.
    rankings: list[Question] = field(default_factory=list)
    mean_ranks: dict[str, tuple[int, list[MeanRank]]] = field(default_factory=dict)
    rank_values: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [q.code for q in self.items]

    def crossing_possible(self, code: str) -> bool:
        """Whether a reason may be needed: the previous rating was agree or disagree."""
        rating = self.previous.get(code)
        return rating is not None and self.protocol.position(rating) != "neither"


def round_page(
    session: Session, round_: DelphiRound, pkey: str, group_id: int | None, lang: str
) -> RoundPage:
    survey = round_.survey
    study = round_.study
    items = rating_items(survey)
    protocol = Protocol.of(study.protocol)
    group = next((g.code for g in survey.groups if g.id == group_id), None)
    found = RoundPage(
        round=round_, items=items,
        points={q.code: [(code, survey.text(label, lang)) for code, label in q.options()]
                for q in items},
        protocol=protocol, k=Thresholds.of(survey).k, group=group, previous_number=None,
        rankings=ranking_items(survey),
    )  # fmt: skip
    before = next((r for r in study.rounds if r.number == round_.number - 1), None)
    if before is None:
        return found
    answers = round_answers(session, before)
    found.previous_number = before.number
    points = len(items[0].options()) if items else 0
    found.feedback = item_feedback(answers, pkey, group, found.codes, points, protocol, found.k)
    own = answers.ratings.get(pkey, {})
    found.previous = dict(own)
    found.previous_values = {c: (CANNOT if v is None else str(v)) for c, v in own.items()}
    for question in found.rankings:
        orders = answers.rankings.get(question.code, {})
        mine = orders.get(pkey)
        found.mean_ranks[question.code] = mean_ranks(orders, question, lang, mine)
        found.rank_values.update(form_values(question, mine or []))
    return found
