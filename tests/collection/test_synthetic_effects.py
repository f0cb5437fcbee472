"""Demo data shows something: groups differ on some recommendations, groups differ in size."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from consult.authoring.definitions import builtin_definition, create_survey
from consult.collection.synthetic import fake_answers
from consult.surveys.models import QuestionRole, SurveyState


def test_synthetic_answers_differ_by_group_and_groups_differ_in_size(session):
    survey = create_survey(session, builtin_definition(), SurveyState.open)
    rng = random.Random(7)
    group_q = next(q for q in survey.questions if q.role == QuestionRole.group)
    scales = [q for q in survey.questions if q.type == "scale" and q.recommendation]
    sums: dict[tuple[str, str], list[int]] = defaultdict(list)
    sizes: Counter[str] = Counter()
    for _ in range(3000):
        answers = fake_answers(survey, rng)
        group = answers[group_q.id]
        sizes[group] += 1
        for q in scales:
            sums[(group, q.code)].append(int(answers[q.id]))
    means = {key: sum(v) / len(v) for key, v in sums.items() if len(v) > 30}
    spreads = []
    for q in scales:
        by_group = [m for (g, code), m in means.items() if code == q.code]
        spreads.append(max(by_group) - min(by_group))
    assert max(spreads) > 1.0  # a split: groups a whole point apart
    assert min(spreads) < 0.8  # and closer agreement elsewhere
    assert max(sizes.values()) > 3 * min(sizes.values())  # small groups to suppress
