"""The theming job: embed the texts not yet embedded, propose themes, suggest candidates.

1. Embedding: every distinct comment text (and theme label and description) without a vector
   from this model is embedded, in batches; each batch is stored and committed with the run's
   progress, so a job cut off half way keeps what it did and the next one goes on from there.
   Adding comments to a themed survey embeds only the new texts.
2. Assigning: per comment question, each comment not yet reviewed gets the themes it matches
   (matching.py); the machine's earlier proposals for those comments are replaced. Reviewed
   comments keep both their reviewed themes and the proposal their reviewer saw.
3. Suggesting (when asked): per comment question, clusters of its distinct texts become
   candidate themes (clustering.py), replacing the question's earlier candidates.

The caller holds the run (runs.claim) and passes ``checkpoint``, which records progress, renews
the claim and commits. Only counts and vectors are written: no text is copied anywhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from consult.analysis.comments import comment_questions
from consult.analysis.themes import clustering, matching, vectors
from consult.analysis.themes.embedding import Embedder
from consult.analysis.themes.language import detect, digest, normalise
from consult.analysis.themes.models import (
    Source,
    Theme,
    ThemeAssignment,
    ThemeCandidate,
    ThemeReview,
    threshold_of,
)
from consult.analysis.themes.themes import survey_themes, themes_by_question
from consult.collection.models import Answer
from consult.surveys.models import Survey

# Texts per call to the model: large enough for its threads to share, small enough that
# progress moves every second or two.
BATCH = 64
Checkpoint = Callable[[str, int, int], None]  # phase, done, total; commits


@dataclass
class Outcome:
    embedded: int = 0  # texts embedded by this run
    proposed: int = 0  # comments given at least one theme by this run
    comments: int = 0  # comments looked at


def settings(survey: Survey) -> matching.Settings:
    """The survey's matching settings (its threshold; the rest as tuned)."""
    return matching.Settings(threshold=threshold_of(survey))


def _comment_rows(session: Session, question_ids: list[int]) -> Iterator[tuple[int, int, str]]:
    a = Answer.__table__.c
    if not question_ids:
        return
    stmt = (
        select(a.id, a.question_id, a.value)
        .where(a.question_id.in_(question_ids))
        .execution_options(yield_per=2000)
    )
    for answer_id, question_id, value in session.execute(stmt):
        if value and value.strip():
            yield answer_id, question_id, value


def _theme_texts(themes: list[Theme]) -> Iterator[str]:
    for theme in themes:
        yield from (t for t in theme.label.values() if t)
        yield from (t for t in theme.description.values() if t)


def pending_texts(session: Session, survey: Survey, model: str) -> dict[str, str]:
    """digest → text of every distinct text of the survey that has no vector yet."""
    seen = vectors.known(session, survey.id, model)
    pending: dict[str, str] = {}
    ids = [q.id for q in comment_questions(survey)]
    themed = list(_theme_texts(survey_themes(session, survey)))
    for text in itertools.chain(themed, (v for _a, _q, v in _comment_rows(session, ids))):
        key = digest(text)
        if key not in seen and key not in pending:
            pending[key] = normalise(text)
    return pending


def run(
    session: Session,
    survey: Survey,
    embedder: Embedder,
    checkpoint: Checkpoint,
    suggest: bool = False,
    batch: int = BATCH,
) -> Outcome:
    """The whole job for one survey (the caller holds its run)."""
    outcome = Outcome()
    themes = survey_themes(session, survey)
    by_question = {q: ts for q, ts in themes_by_question(survey, themes).items() if ts}
    pending = pending_texts(session, survey, embedder.name)
    counts = _answer_counts(session, list(themes_by_question(survey, themes)))
    total = len(pending) + sum(counts[q] for q in by_question)
    total += sum(counts.values()) if suggest else 0
    done = 0
    checkpoint("embedding", done, total)
    items = list(pending.items())
    for start in range(0, len(items), batch):
        part = items[start : start + batch]
        found = embedder.embed([text for _d, text in part])
        rows = [(d, detect(text)) for d, text in part]
        vectors.store(session, survey.id, embedder.name, rows, found)
        done += len(part)
        checkpoint("embedding", done, total)
    outcome.embedded = len(items)
    del pending, items
    means = vectors.survey_means(session, survey.id, embedder.name)
    chosen = settings(survey)
    for question_id, question_themes in by_question.items():
        outcome.proposed += assign_question(
            session, survey, embedder.name, question_id, question_themes, means, chosen
        )
        done += counts[question_id]
        outcome.comments += counts[question_id]
        checkpoint("assigning", done, total)
    if suggest:
        for question_id in counts:
            suggest_question(session, survey, embedder.name, question_id, means)
            done += counts[question_id]
            checkpoint("suggesting", done, total)
    return outcome


def _answer_counts(session: Session, question_ids: list[int]) -> dict[int, int]:
    a = Answer.__table__.c
    found = dict.fromkeys(question_ids, 0)
    if question_ids:
        stmt = select(a.question_id, func.count()).where(a.question_id.in_(question_ids))
        for qid, n in session.execute(stmt.group_by(a.question_id)):
            found[qid] = n
    return found


def _reviewed(session: Session, question_id: int) -> set[int]:
    a, r = Answer.__table__.c, ThemeReview.__table__.c
    stmt = select(r.answer_id).join(Answer, a.id == r.answer_id).where(a.question_id == question_id)
    return set(session.scalars(stmt))


def _exemplars(
    session: Session, survey: Survey, model: str, themes: list[Theme]
) -> dict[int, list[tuple[np.ndarray, str]]]:
    """theme id → vectors of the comments reviewers gave it."""
    a, t = Answer.__table__.c, ThemeAssignment.__table__.c
    stmt = (
        select(t.theme_id, a.value)
        .join(Answer, a.id == t.answer_id)
        .where(t.theme_id.in_([th.id for th in themes]), t.source == Source.reviewed)
    )
    pairs = [(tid, digest(value)) for tid, value in session.execute(stmt)]
    found = vectors.read(session, survey.id, model, (d for _t, d in pairs))
    by_theme: dict[int, list[tuple[np.ndarray, str]]] = {}
    for tid, d in pairs:
        if d in found:
            by_theme.setdefault(tid, []).append(found[d])
    return by_theme


def theme_vectors(
    session: Session, survey: Survey, model: str, themes: list[Theme]
) -> list[matching.ThemeVectors]:
    texts = {t.id: list(_theme_texts([t])) for t in themes}
    found = vectors.read(
        session, survey.id, model, (digest(x) for xs in texts.values() for x in xs)
    )
    exemplars = _exemplars(session, survey, model, themes)
    return [
        matching.ThemeVectors(
            code=t.code,
            texts=[found[digest(x)] for x in texts[t.id] if digest(x) in found],
            exemplars=exemplars.get(t.id, []),
        )
        for t in themes
    ]


def assign_question(
    session: Session,
    survey: Survey,
    model: str,
    question_id: int,
    themes: list[Theme],
    means: dict[str, np.ndarray],
    chosen: matching.Settings,
) -> int:
    """Propose themes for the question's comments not yet reviewed; how many got one."""
    reviewed = _reviewed(session, question_id)
    rows = [(aid, v) for aid, _q, v in _comment_rows(session, [question_id]) if aid not in reviewed]
    found = vectors.read(session, survey.id, model, (digest(v) for _a, v in rows))
    rows = [(aid, v) for aid, v in rows if digest(v) in found]
    usable = [(t, tv) for t, tv in zip(themes, theme_vectors(session, survey, model, themes),
                                        strict=True) if tv.texts or tv.exemplars]  # fmt: skip
    a, t = Answer.__table__.c, ThemeAssignment.__table__.c
    in_question = select(a.id).where(a.question_id == question_id)
    session.execute(
        delete(ThemeAssignment).where(
            t.source == Source.machine,
            t.answer_id.in_(in_question),
            t.answer_id.not_in(select(ThemeReview.__table__.c.answer_id)),
        )
    )
    if not rows or not usable:
        return 0
    pairs = [found[digest(v)] for _a, v in rows]
    comments = matching.centred(np.stack([p[0] for p in pairs]), [p[1] for p in pairs], means)
    protos = matching.prototypes([tv for _t, tv in usable], means, chosen)
    scored = matching.scores(comments, protos)
    new = []
    for (answer_id, _v), picked, row in zip(rows, matching.assign(scored, chosen), scored,
                                             strict=True):  # fmt: skip
        new += [
            {"answer_id": answer_id, "theme_id": usable[i][0].id, "source": Source.machine,
             "score": round(float(row[i]), 4)}
            for i in picked
        ]  # fmt: skip
    if new:
        session.execute(insert(ThemeAssignment), new)
    return len({n["answer_id"] for n in new})


def suggest_question(
    session: Session, survey: Survey, model: str, question_id: int, means: dict[str, np.ndarray]
) -> None:
    """Replace the question's candidate themes with clusters of its distinct comments."""
    first: dict[str, tuple[int, str]] = {}
    for answer_id, _q, value in _comment_rows(session, [question_id]):
        first.setdefault(digest(value), (answer_id, value))
    found = vectors.read(session, survey.id, model, first)
    keys = [d for d in first if d in found]
    session.execute(delete(ThemeCandidate).where(ThemeCandidate.question_id == question_id))
    if not keys:
        return
    langs = [found[d][1] for d in keys]
    points = matching.centred(np.stack([found[d][0] for d in keys]), langs, means)
    texts = [first[d][1] for d in keys]
    for position, cluster in enumerate(clustering.suggest(points, langs, texts), start=1):
        session.add(
            ThemeCandidate(
                survey_id=survey.id,
                question_id=question_id,
                position=position,
                size=len(cluster.members),
                languages=cluster.languages,
                words=cluster.words,
                examples=[first[keys[i]][0] for i in cluster.members[: clustering.EXAMPLES]],
            )
        )
    session.flush()
