"""A fingerprint of what a set of figures was computed from: the counts, the questions and their
options, the thresholds, the filters and the quotes. The brief's method appendix prints it:
the same fingerprint means the same inputs, so every figure can be made again; one answer
changed, added or removed changes it.

Only counts enter it (and the quotes the brief prints anyway), never a respondent's answers,
so the fingerprint tells nothing the figures do not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict

from consult.analysis.summarising import Frames, Thresholds
from consult.surveys.models import Survey
from consult.surveys.questions import question_type


def fingerprint(
    frames: Frames, thresholds: Thresholds, survey: Survey, quotes: Sequence[tuple[str, str]] = ()
) -> str:
    """SHA-256 (hex) of the inputs, written as canonical JSON (sorted, no spaces)."""
    document = {
        "survey": survey.slug,
        "questions": [
            [q.code, q.type, [code for code, _label in q.options()]]
            for q in survey.ordered_questions()
            if question_type(q.type).has_answer
        ],
        "groups": [g.code for g in survey.groups],
        "thresholds": asdict(thresholds),
        "filters": frames.filters.query(),
        "counts": sorted([list(row) for row in frames.counts]),
        "respondents": sorted([list(row) for row in frames.respondents]),
        "period": [str(frames.first), str(frames.last)],
        "quotes": [list(pair) for pair in quotes],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
