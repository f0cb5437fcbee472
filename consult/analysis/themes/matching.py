"""Which themes a comment raises: similarity between its vector and each theme's, in numpy.

Every vector is first centred on the mean of its language (English, Urdu, Roman Urdu), then
normalised again. multilingual-e5 places texts of one language near each other whatever they
say; with each language's mean taken away, what is left is mostly what the text says, so an
Urdu comment can meet an English label. A theme is the mean of its centred label (each
language) and description, blended with the mean of the comments analysts confirmed for it as
they accumulate (``exemplar_weight``). A comment gets every theme whose similarity reaches the
survey's threshold and lies within ``margin`` of its best, at most ``most`` of them, best first.

Pure functions over arrays: the job (``running``) and bench/themes.py call the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from consult.analysis.themes.models import DEFAULT_THRESHOLD

# Chosen on the tuning half of bench/data (bench/themes.py --tune), reported on the other half.
MOST = 3


@dataclass(frozen=True)
class Settings:
    threshold: float = DEFAULT_THRESHOLD
    # A further theme must score within this of the comment's best one.
    margin: float = 0.08
    most: int = MOST
    # Confirmed comments count as much as the label and description once there are this many.
    exemplar_half: float = 3.0


@dataclass
class ThemeVectors:
    """What one theme is matched on: its texts' vectors and languages."""

    code: str
    # Labels in each language and the description.
    texts: list[tuple[np.ndarray, str]] = field(default_factory=list)
    # Comments analysts confirmed for this theme.
    exemplars: list[tuple[np.ndarray, str]] = field(default_factory=list)


def unit(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (a zero row stays zero)."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.asarray(matrix / np.where(norms == 0, 1.0, norms), dtype=np.float32)


def language_means(vectors: np.ndarray, languages: Sequence[str]) -> dict[str, np.ndarray]:
    """The mean vector of each language's texts."""
    langs = np.asarray(languages)
    return {lang: vectors[langs == lang].mean(axis=0) for lang in sorted(set(languages))}


def centred(
    vectors: np.ndarray, languages: Sequence[str], means: Mapping[str, np.ndarray]
) -> np.ndarray:
    """Each vector less its language's mean, normalised; a language without a mean (no
    comment in it) is centred on the mean of all the means."""
    if len(vectors) == 0:
        return vectors.astype(np.float32)
    fallback = np.mean(list(means.values()), axis=0) if means else np.zeros(vectors.shape[1])
    shift = np.stack([means.get(lang, fallback) for lang in languages])
    return unit(vectors - shift)


def prototypes(
    themes: Sequence[ThemeVectors], means: Mapping[str, np.ndarray], settings: Settings
) -> np.ndarray:
    """One unit vector per theme: its texts' centred mean blended with its exemplars'."""
    rows = []
    for theme in themes:
        base = _centred_mean(theme.texts, means)
        if theme.exemplars:
            weight = len(theme.exemplars) / (len(theme.exemplars) + settings.exemplar_half)
            base = (1 - weight) * base + weight * _centred_mean(theme.exemplars, means)
        rows.append(base)
    return unit(np.stack(rows)) if rows else np.zeros((0, 0), dtype=np.float32)


def _centred_mean(
    pairs: list[tuple[np.ndarray, str]], means: Mapping[str, np.ndarray]
) -> np.ndarray:
    vectors = np.stack([v for v, _ in pairs])
    return np.asarray(unit(centred(vectors, [lang for _, lang in pairs], means).mean(axis=0)))


def scores(comments: np.ndarray, protos: np.ndarray) -> np.ndarray:
    """Cosine similarity of each (centred) comment with each theme: comments × themes."""
    if len(comments) == 0 or len(protos) == 0:
        return np.zeros((len(comments), len(protos)), dtype=np.float32)
    return np.asarray(comments @ protos.T, dtype=np.float32)


def choose(row: np.ndarray, settings: Settings) -> list[int]:
    """The themes (column indexes) one comment gets, best first."""
    if row.size == 0:
        return []
    order = np.argsort(-row, kind="stable")[: settings.most]
    best = float(row[order[0]])
    return [
        int(i) for i in order if row[i] >= settings.threshold and row[i] >= best - settings.margin
    ]


def assign(scored: np.ndarray, settings: Settings) -> list[list[int]]:
    """``choose`` for every comment."""
    return [choose(row, settings) for row in scored]
