"""Candidate themes: clusters of a question's comments, their typical comments and words.

Spherical k-means (cosine) over the comments' vectors, each centred on its language's mean
first (matching.centred): otherwise English, Urdu and Roman Urdu comments on one idea fall into
three clusters, one per language. Each cluster shows the comments nearest its centre and the
words that set it apart from the question's other clusters (class-based TF-IDF), so the analyst
can accept it as a theme, rename it, merge it with another or discard it.

Written with numpy (a few lines) rather than scikit-learn, which would add scipy and ~100 MB of
installed packages for one loop; seeded, so the same comments give the same candidates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consult.analysis.themes.language import STOP_WORDS, words

EXAMPLES = 5
WORDS = 8
SEED = 18


@dataclass
class Cluster:
    members: list[int]  # indexes into the comments given, nearest the centre first
    languages: dict[str, int]
    words: list[str]


def cluster_count(n: int) -> int:
    """How many clusters ``n`` comments are split into: about one per 25, 2 to 12."""
    return max(2, min(12, round(math.sqrt(n / 4)))) if n >= 8 else 0


def kmeans(points: np.ndarray, k: int, rounds: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means with k-means++ seeding: (label of each point, unit centres)."""
    rng = np.random.default_rng(SEED)
    n = len(points)
    centres = [points[rng.integers(n)]]
    for _ in range(1, k):
        distance = 1 - np.max(points @ np.stack(centres).T, axis=1)
        weights = np.clip(distance, 0, None) ** 2
        total = weights.sum()
        pick = rng.choice(n, p=weights / total) if total > 0 else rng.integers(n)
        centres.append(points[pick])
    centre = np.stack(centres)
    labels = np.zeros(n, dtype=int)
    for _ in range(rounds):
        new = np.argmax(points @ centre.T, axis=1)
        if _ and np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = points[labels == j]
            if len(members):
                mean = members.sum(axis=0)
                centre[j] = mean / (np.linalg.norm(mean) or 1.0)
    return labels, centre


def distinctive_words(texts_by_cluster: Sequence[Sequence[str]]) -> list[list[str]]:
    """Per cluster, the words frequent in it and rare in the others (c-TF-IDF)."""
    counts = [
        Counter(w for text in texts for w in words(text) if len(w) > 2 and w not in STOP_WORDS)
        for texts in texts_by_cluster
    ]
    everywhere: Counter[str] = Counter()
    for c in counts:
        everywhere.update(c)
    average = sum(everywhere.values()) / max(len(counts), 1)
    found = []
    for c in counts:
        size = sum(c.values()) or 1
        weight = {
            w: (n / size) * math.log(1 + average / everywhere[w]) for w, n in c.items() if n > 1
        }
        found.append([w for w, _ in sorted(weight.items(), key=lambda x: (-x[1], x[0]))[:WORDS]])
    return found


def suggest(
    centred_vectors: np.ndarray, languages: Sequence[str], texts: Sequence[str]
) -> list[Cluster]:
    """Clusters of the comments, largest first (none when there are too few comments)."""
    k = cluster_count(len(texts))
    if not k:
        return []
    labels, centres = kmeans(centred_vectors, k)
    groups = []
    for j in range(k):
        members = np.flatnonzero(labels == j)
        if len(members) < 2:
            continue
        closeness = centred_vectors[members] @ centres[j]
        ordered = [int(i) for i in members[np.argsort(-closeness, kind="stable")]]
        groups.append(ordered)
    groups.sort(key=lambda g: (-len(g), g[0]))
    vocab = distinctive_words([[texts[i] for i in g] for g in groups])
    return [
        Cluster(members=g, languages=dict(Counter(languages[i] for i in g)), words=w)
        for g, w in zip(groups, vocab, strict=True)
    ]
