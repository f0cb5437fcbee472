"""Quality checks on a survey's responses: each finds responses to look at, never deletes.

- speeding: answering time under a third of the median (``SPEED_SHARE``), where at least
  ``MIN_TIMED`` responses have a time (only durations are stored, never a clock time);
- straightlining: one point on every scale item answered, with at least ``MIN_ITEMS`` answered;
- duplicate text: open answers of ``MIN_TEXT`` characters or more that are (nearly) the same as
  another response's (MinHash over word and character shingles, Jaccard ≥ ``NEAR``), or the
  same text in ``REPEATS`` or more of one response's answers;
- same device: in surveys that are not anonymous, web responses sent from one browser (the
  keyed device hash, collection/devices.py), each flagged with how many came from it;
- interviewer: every interview of an interviewer whose interviews take under half the median of
  all interviewers', or whose interviews repeat one pattern of scale answers in half of them.
``scan`` runs them all and replaces the survey's stored flags.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from consult.analysis.comments import comment_questions
from consult.collection.models import Answer, Response
from consult.review.models import Flag, ResponseFlag
from consult.surveys.models import Survey
from consult.surveys.questions import question_type

SPEED_SHARE = 1 / 3
MIN_TIMED = 10
MIN_ITEMS = 5
MIN_TEXT = 40
NEAR = 0.8
REPEATS = 3
PERMUTATIONS = 128
INTERVIEWER_MIN = 5
INTERVIEWER_SPEED = 0.5
INTERVIEWER_SAME = 0.5

WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Sample:
    """What the checks read of each response (by response id)."""

    durations: dict[int, int] = field(default_factory=dict)
    interviewers: dict[int, int] = field(default_factory=dict)
    scales: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    texts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    devices: dict[int, str] = field(default_factory=dict)  # identified surveys only


Found = dict[int, str]  # response id → why


def speeding(durations: Mapping[int, int]) -> Found:
    if len(durations) < MIN_TIMED:
        return {}
    median = statistics.median(durations.values())
    limit = median * SPEED_SHARE
    return {
        rid: f"{seconds} s against a median of {median:.0f} s"
        for rid, seconds in durations.items()
        if seconds < limit
    }


def straightlining(scales: Mapping[int, list[str]]) -> Found:
    found = {}
    for rid, values in scales.items():
        if len(values) >= MIN_ITEMS and len(set(values)) == 1:
            found[rid] = f"{len(values)} of {len(values)} scale items at {values[0]}"
    return found


def _shingles(text: str) -> set[bytes]:
    words = WORD.findall(text.lower())
    grams = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    squeezed = " ".join(words)
    grams |= {squeezed[i : i + 6] for i in range(0, max(1, len(squeezed) - 5), 3)}
    return {g.encode("utf-8") for g in grams if g}


def duplicate_text(texts: Mapping[int, list[str]]) -> Found:
    """Responses whose long answers nearly repeat another response's, or their own."""
    from datasketch import MinHash, MinHashLSH

    found: Found = {}
    lsh = MinHashLSH(threshold=NEAR, num_perm=PERMUTATIONS)
    signatures: list[tuple[str, int, MinHash]] = []
    for rid, answers in texts.items():
        long = [a.strip() for a in answers if len(a.strip()) >= MIN_TEXT]
        repeated = Counter(" ".join(WORD.findall(a.lower())) for a in long).most_common(1)
        if repeated and repeated[0][1] >= REPEATS:
            found[rid] = f"the same text in {repeated[0][1]} answers"
        for number, text in enumerate(long):
            signature = MinHash(num_perm=PERMUTATIONS)
            signature.update_batch(list(_shingles(text)))
            key = f"{rid}:{number}"
            lsh.insert(key, signature)
            signatures.append((key, rid, signature))
    for key, rid, signature in signatures:
        others = {int(k.split(":")[0]) for k in lsh.query(signature) if k != key}
        others.discard(rid)
        if others:
            found.setdefault(rid, f"an answer nearly the same as {len(others)} other responses'")
    return found


def interviewer_outliers(
    durations: Mapping[int, int], interviewers: Mapping[int, int], scales: Mapping[int, list[str]]
) -> Found:
    by_interviewer: dict[int, list[int]] = defaultdict(list)
    for rid, person in interviewers.items():
        by_interviewer[person].append(rid)
    medians = {
        person: statistics.median(times)
        for person, rids in by_interviewer.items()
        if len(times := [durations[r] for r in rids if r in durations]) >= INTERVIEWER_MIN
    }
    overall = statistics.median(medians.values()) if len(medians) >= 2 else None
    found: Found = {}
    for person, rids in by_interviewer.items():
        if len(rids) < INTERVIEWER_MIN:
            continue
        patterns = Counter(tuple(scales.get(r, ())) for r in rids if scales.get(r))
        same = patterns.most_common(1)[0][1] / len(rids) if patterns else 0.0
        reason = None
        if overall and person in medians and medians[person] < overall * INTERVIEWER_SPEED:
            reason = f"interviews take {medians[person]:.0f} s, others {overall:.0f} s"
        elif same >= INTERVIEWER_SAME:
            reason = f"{same:.0%} of this interviewer's interviews have the same scale answers"
        if reason:
            found.update(dict.fromkeys(rids, reason))
    return found


def same_device(devices: Mapping[int, str]) -> Found:
    """Every response whose browser sent another response too."""
    counts = Counter(devices.values())
    return {
        rid: f"one of {counts[device]} responses sent from the same browser"
        for rid, device in devices.items()
        if counts[device] > 1
    }


def check(sample: Sample) -> dict[Flag, Found]:
    return {
        Flag.speeding: speeding(sample.durations),
        Flag.straightlining: straightlining(sample.scales),
        Flag.duplicate_text: duplicate_text(sample.texts),
        Flag.device: same_device(sample.devices),
        Flag.interviewer: interviewer_outliers(
            sample.durations, sample.interviewers, sample.scales
        ),
    }


def read_sample(session: Session, survey: Survey) -> Sample:
    """Durations, interviewers, scale answers (in the survey's order) and long answers."""
    sample = Sample()
    r, a = Response.__table__.c, Answer.__table__.c
    for rid, seconds, person, device in session.execute(
        select(r.id, r.duration_s, r.enumerator_id, r.device_hash).where(r.survey_id == survey.id)
    ):
        if seconds is not None:
            sample.durations[rid] = seconds
        if person is not None:
            sample.interviewers[rid] = person
        if device is not None and not survey.anonymous:
            sample.devices[rid] = device
    ordered = survey.ordered_questions()
    scale_ids = [q.id for q in ordered if question_type(q.type).numbered_points]
    text_ids = [q.id for q in comment_questions(survey)]
    position = {qid: n for n, qid in enumerate(scale_ids)}
    rows = session.execute(
        select(a.response_id, a.question_id, a.value)
        .join(Response.__table__, r.id == a.response_id)
        .where(r.survey_id == survey.id, a.question_id.in_(scale_ids + text_ids))
        .order_by(a.response_id)
    )
    pending: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rid, qid, value in rows:
        if qid in position:
            pending[rid].append((position[qid], value))
        else:
            sample.texts[rid].append(value)
    for rid, items in pending.items():
        sample.scales[rid] = [value for _pos, value in sorted(items)]
    return sample


def scan(session: Session, survey: Survey) -> dict[Flag, int]:
    """Run every check and store what it found in place of the survey's earlier flags."""
    found = check(read_sample(session, survey))
    session.execute(delete(ResponseFlag).where(ResponseFlag.survey_id == survey.id))
    rows = [
        {"survey_id": survey.id, "response_id": rid, "kind": kind.value, "detail": why[:200]}
        for kind, hits in found.items()
        for rid, why in hits.items()
    ]
    if rows:
        session.execute(insert(ResponseFlag), rows)
    session.flush()
    return {kind: len(hits) for kind, hits in found.items()}


def flag_counts(session: Session, survey: Survey) -> dict[str, int]:
    stmt = (
        select(ResponseFlag.kind, func.count())
        .where(ResponseFlag.survey_id == survey.id)
        .group_by(ResponseFlag.kind)
    )
    return {kind: n for kind, n in session.execute(stmt)}
