"""The parts of theming that need no database: languages, matching, clustering, the figures."""

from __future__ import annotations

import numpy as np
import pytest

from bench import themes_data
from consult.analysis.themes import clustering, language, matching, metrics


def test_the_language_of_a_comment_is_told_by_its_script_and_function_words():
    found = [(language.detect(c.text), c.language) for c in themes_data.comments()]
    right = sum(a == b for a, b in found)
    assert right / len(found) >= 0.98
    assert language.detect("ادارے ایک دوسرے سے معلومات چھپاتے ہیں") == language.URDU
    assert language.detect("police ke paas gaariyan nahi hain") == language.ROMAN_URDU
    assert language.detect("The police lack vehicles.") == language.ENGLISH
    assert language.detect("1234 !!") == language.ENGLISH


def test_the_same_words_have_one_digest_whatever_the_spacing():
    assert language.digest("  Police  need\ttraining ") == language.digest("Police need training")
    assert language.digest("Police need training") != language.digest("police need training")


def test_f1_per_comment_and_micro():
    assert metrics.f1(set(), set()) == 1.0
    assert metrics.f1({"a"}, set()) == 0.0
    assert metrics.f1({"a", "b"}, {"a"}) == pytest.approx(2 / 3)
    pairs = [({"a"}, {"a"}), ({"a", "b"}, {"b", "c"}), (set(), set())]
    assert metrics.per_response(pairs) == pytest.approx((1 + 0.5 + 1) / 3)
    assert metrics.micro(pairs) == pytest.approx(2 * 2 / (3 + 3))


def test_the_interval_comes_from_thirty_comments_on_and_holds_the_figure():
    few = [({"a"}, {"a"})] * 29
    assert metrics.bootstrap(few).low is None
    pairs = [({"a"}, {"a"})] * 20 + [({"a"}, {"b"})] * 10 + [({"a", "b"}, {"b"})] * 10
    estimate = metrics.bootstrap(pairs)
    assert estimate.low is not None and estimate.high is not None
    assert estimate.low < estimate.value < estimate.high
    assert metrics.bootstrap(pairs) == estimate  # seeded: the same pairs, the same interval
    micro = metrics.bootstrap(pairs, "micro")
    assert micro.low is not None and micro.low < micro.value < micro.high


def _axis(i: int, dim: int = 8) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1
    return v


def test_centring_takes_each_languages_mean_away():
    # Two languages far apart, each with the same two ideas: centred, the ideas meet.
    shift = {"en": _axis(6) * 3, "ur": _axis(7) * 3}
    ideas = [_axis(0), _axis(1)]
    points = np.stack([shift[lang] + idea for lang in ("en", "ur") for idea in ideas])
    langs = ["en", "en", "ur", "ur"]
    means = matching.language_means(points, langs)
    centred = matching.centred(points, langs, means)
    assert centred[0] @ centred[2] == pytest.approx(1.0, abs=1e-5)  # idea 0 in both
    assert centred[0] @ centred[1] < 0  # the two ideas apart
    raw = matching.unit(points)
    assert raw[0] @ raw[1] > raw[0] @ raw[2]  # before: language won


def test_a_comment_gets_themes_above_the_threshold_near_its_best_at_most_three():
    settings = matching.Settings(threshold=0.2, margin=0.1, most=3)
    assert matching.choose(np.array([0.5, 0.45, 0.1, 0.42, 0.41]), settings) == [0, 1, 3]
    assert matching.choose(np.array([0.5, 0.3]), settings) == [0]
    assert matching.choose(np.array([0.15, 0.1]), settings) == []
    assert matching.choose(np.array([]), settings) == []


def test_confirmed_comments_pull_a_theme_towards_them():
    means = {"en": np.zeros(8, dtype=np.float32)}
    theme = matching.ThemeVectors("t", texts=[(_axis(0), "en")])
    alone = matching.prototypes([theme], means, matching.Settings())[0]
    theme.exemplars = [(_axis(1), "en")] * 3
    pulled = matching.prototypes([theme], means, matching.Settings())[0]
    assert pulled @ _axis(1) > alone @ _axis(1)
    assert np.linalg.norm(pulled) == pytest.approx(1.0)


def test_clusters_gather_their_members_with_typical_ones_first_and_distinct_words():
    rng = np.random.default_rng(1)
    centres = [_axis(0, 16), _axis(5, 16), _axis(9, 16)]
    points = np.stack([centres[i % 3] + rng.normal(0, 0.15, 16) for i in range(60)])
    points = matching.unit(points)
    texts = [["budget money funds", "training police staff", "elders jirga village"][i % 3]
             for i in range(60)]  # fmt: skip
    found = clustering.suggest(points, ["en"] * 60, texts)
    assert clustering.cluster_count(60) == len(found) == 4  # one more than there are ideas
    assert {i % 3 for c in found for i in c.members} == {0, 1, 2}
    assert sum(len(c.members) for c in found) == 60
    for cluster in found:
        assert len({i % 3 for i in cluster.members}) == 1  # never two ideas in one cluster
        first = cluster.members[0]
        closeness = [points[i] @ centres[first % 3] for i in cluster.members]
        assert closeness[0] >= np.median(closeness)  # the most typical first
    words = {w for c in found for w in c.words}
    assert {"budget", "training", "jirga"} <= words
    assert clustering.suggest(points[:5], ["en"] * 5, texts[:5]) == []
