"""A study's figures, assembled from its rounds' answers: what the round page shows and what
the workbook writes. One place computes them, so the page and the file never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from consult.analysis.summarising import Thresholds
from consult.delphi.answers import RoundAnswers, item_codes, round_answers
from consult.delphi.models import DelphiStudy
from consult.delphi.panel import ALL, rating_items
from consult.delphi.protocol import Protocol
from consult.delphi.rankings import rank_matrix, ranking_items
from consult.delphi.statistics import (
    AttritionStats,
    ItemStats,
    PairedStats,
    attrition,
    item_stats,
    kendalls_w,
    paired_stats,
)

__all__ = ["ALL", "StudyReport", "study_report"]


@dataclass
class StudyReport:
    protocol: Protocol
    points: int
    k: int
    codes: list[str]
    labels: dict[str, str]
    groups: list[str]
    rounds: list[RoundAnswers] = field(default_factory=list)
    # Ranking questions: code → item codes.
    ranked: dict[str, list[str]] = field(default_factory=dict)

    def round(self, number: int) -> RoundAnswers:
        return self.rounds[number - 1]

    def item_stats(self, number: int) -> list[tuple[str, ItemStats]]:
        found = self.round(number)
        invited = len(found.invited)
        return [(code, item_stats(found.values(code), found.cannot_judge(code), invited,
                                  self.points, self.protocol)) for code in self.codes]  # fmt: skip

    def paired(self, number: int) -> list[tuple[str, PairedStats]]:
        """Round ``number`` against the round before, over panellists rating both."""
        before, after = self.round(number - 1), self.round(number)
        rows = []
        for code in self.codes:
            both = [
                k
                for k, r in after.ratings.items()
                if r.get(code) is not None and before.ratings.get(k, {}).get(code) is not None
            ]
            rows.append((code, paired_stats(
                [before.ratings[k][code] for k in both],  # type: ignore[misc]
                [after.ratings[k][code] for k in both],  # type: ignore[misc]
                self.points, self.protocol)))  # fmt: skip
        return rows

    def attrition(self) -> list[tuple[str, str, AttritionStats | None]]:
        """Round-1 ratings of those who answered the last round against those who did not,
        per item, for the whole panel and per group (a group under k: no figures)."""
        if not self.rounds:
            return []
        first, last = self.rounds[0], self.rounds[-1]
        stayed_keys = set(first.ratings) & set(last.ratings)
        rows: list[tuple[str, str, AttritionStats | None]] = []
        for code in self.codes:
            for group in [ALL, *self.groups]:
                members = {k for k, g in first.groups.items() if group == ALL or g == group}
                if group != ALL and len(members) < self.k:
                    rows.append((code, group, None))
                    continue
                stayed = first.values(code, members & stayed_keys)
                left = first.values(code, members - stayed_keys)
                rows.append((code, group, attrition(stayed, left, self.protocol)))
        return rows

    def participation(self) -> list[tuple[int, str, int, int, float | None]]:
        """(round, group, invited, responded, retention %): retention is the share of round
        1's responders who answered this round."""
        first = set(self.rounds[0].ratings) if self.rounds else set()
        rows = []
        for found in self.rounds:
            for group in [ALL, *self.groups]:
                invited = [k for k, g in found.invited.items() if group == ALL or g == group]
                answered = {k for k, g in found.groups.items() if group == ALL or g == group}
                base = {k for k in first if group == ALL or self.rounds[0].groups[k] == group}
                retention = 100.0 * len(answered & base) / len(base) if base else None
                rows.append((found.number, group, len(invited), len(answered), retention))
        return rows

    def concordance(self, number: int) -> tuple[int, float | None]:
        """Kendall's W of the items' order: each panellist's ratings of every item ranked
        (ties averaged), over panellists who rated them all."""
        found = self.round(number)
        complete = [[r[c] for c in self.codes] for r in found.ratings.values()
                    if all(r.get(c) is not None for c in self.codes)]  # fmt: skip
        from scipy.stats import rankdata  # loaded on use (scipy.stats: 1 s at import)

        ranks = [list(rankdata(row)) for row in complete]
        return len(complete), kendalls_w(ranks) if complete else None

    def ranking_concordance(self, number: int, code: str) -> tuple[int, float | None]:
        """Kendall's W of one ranking question's complete rankings in a round."""
        matrix = rank_matrix(self.round(number).rankings.get(code, {}), self.ranked[code])
        return len(matrix), kendalls_w(matrix) if matrix else None

    def concordances(self) -> list[tuple[int, str, int, float | None]]:
        """(round, what, panellists, W): the rating items' order, then each ranking."""
        rows = []
        for found in self.rounds:
            rows.append((found.number, "rating items' order", *self.concordance(found.number)))
            for code in self.ranked:
                rows.append((found.number, code, *self.ranking_concordance(found.number, code)))
        return rows


def study_report(session: Session, study: DelphiStudy) -> StudyReport:
    first = study.rounds[0] if study.rounds else None
    items = rating_items(study.survey)
    lang = study.survey.default_language
    return StudyReport(
        protocol=Protocol.of(study.protocol),
        points=len(items[0].options()) if items else 0,
        k=Thresholds.of(study.survey).k,
        codes=item_codes(first) if first else [q.code for q in items],
        labels={q.code: study.survey.text(q.label, lang) for q in items},
        groups=[g.code for g in study.survey.groups],
        rounds=[round_answers(session, r) for r in study.rounds],
        ranked={q.code: [c for c, _ in q.options()] for q in ranking_items(study.survey)},
    )
