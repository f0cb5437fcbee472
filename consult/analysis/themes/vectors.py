"""One stored vector per distinct text of a survey: what is known, storing new ones, reading.

Vectors are kept as little-endian float16 (768 bytes for e5-small's 384 numbers): cosine
similarities move by less than 0.001, which no threshold notices.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from consult.analysis.themes.models import ThemeText

# Digests per IN (...) list: well under SQLite's and psycopg's parameter limits.
CHUNK = 500


def pack(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f2").astype(np.float32)


def known(session: Session, survey_id: int, model: str) -> set[str]:
    """Digests of the texts of the survey that already have a vector from ``model``."""
    t = ThemeText.__table__.c
    stmt = select(t.digest).where(t.survey_id == survey_id, t.model == model)
    return set(session.scalars(stmt))


def store(
    session: Session,
    survey_id: int,
    model: str,
    rows: Sequence[tuple[str, str]],
    vectors: np.ndarray,
) -> None:
    """Insert the vectors of new texts: ``rows`` are (digest, language), in ``vectors``' order."""
    if not rows:
        return
    session.execute(
        insert(ThemeText),
        [
            {
                "survey_id": survey_id,
                "model": model,
                "digest": d,
                "language": lang,
                "vector": pack(v),
            }
            for (d, lang), v in zip(rows, vectors, strict=True)
        ],  # fmt: skip
    )


def read(
    session: Session, survey_id: int, model: str, digests: Iterable[str]
) -> dict[str, tuple[np.ndarray, str]]:
    """digest → (vector, language) for the given digests that have one."""
    t = ThemeText.__table__.c
    wanted = sorted(set(digests))
    found: dict[str, tuple[np.ndarray, str]] = {}
    for start in range(0, len(wanted), CHUNK):
        stmt = select(t.digest, t.vector, t.language).where(
            t.survey_id == survey_id, t.model == model, t.digest.in_(wanted[start : start + CHUNK])
        )
        for digest, data, lang in session.execute(stmt):
            found[digest] = (unpack(data), lang)
    return found


def all_vectors(session: Session, survey_id: int, model: str) -> Iterator[tuple[np.ndarray, str]]:
    """Every stored vector of the survey with its language, streamed."""
    t = ThemeText.__table__.c
    stmt = (
        select(t.vector, t.language)
        .where(t.survey_id == survey_id, t.model == model)
        .execution_options(yield_per=2000)
    )
    for data, lang in session.execute(stmt):
        yield unpack(data), lang


def survey_means(session: Session, survey_id: int, model: str) -> dict[str, np.ndarray]:
    """The mean vector of each language over the survey's stored texts (matching.centred)."""
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for vector, lang in all_vectors(session, survey_id, model):
        sums[lang] = sums.get(lang, 0) + vector
        counts[lang] = counts.get(lang, 0) + 1
    return {lang: sums[lang] / counts[lang] for lang in sums}
