"""Synthetic responses for demos and benchmarks: each question type makes its own answers."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Mapping

from sqlalchemy.orm import Session

from consult.collection.models import Channel
from consult.collection.responses import bulk_loaded, insert_responses, response_values
from consult.surveys.models import QuestionRole, Survey
from consult.surveys.questions import question_type


def stable_unit(*parts: str) -> float:
    """A number from -1 to 1 that is the same for the same parts in every run and process."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 0xFFFFFFFF * 2 - 1


# How far a stakeholder group, and a province, move a recommendation's scale answers (in units
# of the scale's spread): groups differ a lot on some recommendations (splits), little on others
# (consensus); provinces a little.
GROUP_EFFECT, REGION_EFFECT = 1.6, 0.5


def fake_answers(survey: Survey, rng: random.Random) -> dict[int, str]:
    """A plausible, valid set of answers to every question (each type makes its own).

    The group is drawn unevenly (the last groups are small, so summaries suppress them), and
    scale answers about a recommendation lean by group and province (see GROUP_EFFECT)."""
    answers: dict[int, str] = {}
    group = region = ""
    for question in survey.ordered_questions():
        qtype = question_type(question.type)
        if question.role == QuestionRole.group:
            codes = [code for code, _ in question.options()]
            group = rng.choices(codes, weights=[1 / (i + 1) for i in range(len(codes))])[0]
            answers[question.id] = group
            continue
        lean = 0.0
        if qtype.numbered_points and question.recommendation is not None:
            rec = question.recommendation.code
            divides = ((stable_unit(rec) + 1) / 2) ** 2  # 0: consensus … 1: a split
            lean = GROUP_EFFECT * divides * stable_unit(group, rec)
            lean += REGION_EFFECT * stable_unit(region, rec)
        value = qtype.fake_leaning(question, rng, lean)
        if value is not None:
            answers[question.id] = value
            if question.role == QuestionRole.region:
                region = value
    return answers


def as_formdata(survey: Survey, answers: Mapping[int, str]) -> list[tuple[str, str]]:
    """Stored answers as the respondent form would post them (demos, benchmarks, tests)."""
    pairs: list[tuple[str, str]] = []
    for question in survey.ordered_questions():
        value = answers.get(question.id)
        if value is not None:
            pairs += question_type(question.type).to_formdata(question, value)
    return pairs


def add_fake_responses(
    session: Session, survey: Survey, count: int, seed: int | None = None, chunk: int = 1000
) -> Iterator[int]:
    """Insert ``count`` synthetic responses in chunks; yields how many are done after each chunk.

    Unlike submit() this does not require an open survey: demos and benchmarks fill drafts too.
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    languages = survey.languages
    done = 0
    while done < count:
        size = min(chunk, count - done)
        batch = [fake_answers(survey, rng) for _ in range(size)]
        rows = [
            response_values(survey, answers, rng.choice(languages), Channel.synthetic)
            for answers in batch
        ]
        insert_responses(session, rows, batch)
        done += size
        if done == count:
            bulk_loaded(session, count)
        yield done
