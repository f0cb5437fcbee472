"""Synthetic responses for demos and benchmarks: each question type makes its own answers."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from sqlalchemy.orm import Session

from consult.collection.models import Channel
from consult.collection.responses import bulk_loaded, insert_responses, response_values
from consult.surveys.models import Survey
from consult.surveys.questions import question_type


def fake_answers(survey: Survey, rng: random.Random) -> dict[int, str]:
    """A plausible, valid set of answers to every question (each type makes its own)."""
    answers = {}
    for question in survey.ordered_questions():
        value = question_type(question.type).fake(question, rng)
        if value is not None:
            answers[question.id] = value
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
