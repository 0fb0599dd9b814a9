"""News statistics for the loaded-word model, on a small written corpus with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from analyzer.classify.artifacts.arrays import ModelArrays
from analyzer.classify.artifacts.words import LoadedWordScorer
from analyzer.classify.estimators.loaded_words import LoadedWordModel
from analyzer.classify.features.newsstats import build_word_stats, news_words
from analyzer.classify.tokens import SentenceTokens
from analyzer.classify.training.export import export_loaded_words
from analyzer.classify.training.loaded_words import export_check
from analyzer.classify.wordstats import SCALAR_NAMES


def _corpus():
    """Left outlets 'slam' and 'blast' senators; centre outlets report what senators 'said';
    fruit sentences give a second, unrelated context."""
    rng = np.random.default_rng(1)
    texts, leanings = [], []
    for k in range(120):
        leaning = ("left", "center", "right")[k % 3]
        verb = rng.choice(["slammed", "blasted"]) if leaning != "center" else "said"
        fruit = rng.choice(["apple", "pear"])
        texts.append(
            f"The senator {verb} the governor over the budget vote. "
            f"A farmer sold a ripe {fruit} and a sweet {fruit} at the market."
        )
        leanings.append(leaning)
    return texts, leanings


@pytest.fixture(scope="module")
def stats():
    texts, leanings = _corpus()
    return build_word_stats(texts, leanings, vocabulary=100, window=3, dimensions=6)


def test_words_are_lower_cased_letters():
    assert news_words("The Senator's U.S. vote, 2020!") == ["the", "senator", "s", "u", "s", "vote"]


def test_frequency_partisanship_and_shared_contexts(stats):
    v = stats.vocabulary
    assert stats.zipf[v["the"]] > stats.zipf[v["slammed"]]
    assert stats.partisan[v["slammed"]] > 0 > stats.partisan[v["said"]]
    vectors = stats.vectors.astype(float)

    def cosine(a: str, b: str) -> float:
        return float(vectors[v[a]] @ vectors[v[b]])

    assert cosine("slammed", "blasted") > cosine("slammed", "apple")
    assert cosine("apple", "pear") > cosine("apple", "blasted")
    assert stats.source["n_documents"] == 120 and stats.source["dimensions"] == 6


def test_block_falls_back_to_the_lemma_and_marks_unknown_words(stats):
    block = stats.block(["slammed", "slams", "zzz"], ["slam", "slammed", "zzz"], vector_scale=2.0)
    assert block.shape == (3, len(SCALAR_NAMES) + 6)
    np.testing.assert_allclose(block[0], block[1])  # "slams" is unknown, its lemma is not
    assert block[2, SCALAR_NAMES.index("news_unknown")] == 1.0 and not block[2, len(SCALAR_NAMES) :].any()
    assert np.linalg.norm(block[0, len(SCALAR_NAMES) :]) == pytest.approx(2.0, rel=1e-2)


def test_the_model_carries_an_annotation_to_a_word_seen_only_in_the_news(stats):
    """'slammed' is marked in training; 'blasted' never occurs there, yet it shares slammed's news
    contexts, so it scores above the fruit words."""
    sentences = []
    for k in range(60):
        loaded = k % 2 == 0
        words = ["apple", "farmer", "budget", "slammed" if loaded else "said"]
        sentences.append(
            SentenceTokens(
                text=" ".join(words),
                group=f"a{k // 3}",
                candidates=list(range(4)),
                features=[{"pos=VERB": 1.0} for _ in words],
                pos=["VERB"] * 4,
                gold={3} if loaded else set(),
                biased=loaded,
                lemmas=list(words),
                words=list(words),
            )
        )
    model = LoadedWordModel(folds=3, threshold_folds=3, news=stats, vector_scale=3.0).fit(sentences)
    test = SentenceTokens(
        text="pear blasted",
        group="t",
        candidates=[0, 1],
        features=[{"pos=VERB": 1.0}] * 2,
        pos=["VERB"] * 2,
        lemmas=["pear", "blasted"],
        words=["pear", "blasted"],
    )
    pear, blasted = model.predict_proba([test])[0]
    assert blasted > pear
    named = dict(model.top_features(100))
    assert "news_zipf" in named and not any(name.startswith("news_vec") for name in named)
    assert len(model.feature_names()) == len(named) + 6  # the six vector columns are left out


def test_the_component_path_gives_the_matrix_path_probabilities(stats):
    """The exported model's ``score_features`` (the spaCy component's path: weights summed by feature
    name) gives the fitted model's ``predict_proba`` (its matrix path)."""
    rng = np.random.default_rng(3)
    vocabulary = ["slammed", "said", "apple", "budget", "zzz", "governor"]
    sentences = []
    for k in range(40):
        words = list(rng.choice(vocabulary, size=4))
        sentences.append(
            SentenceTokens(
                text=" ".join(words),
                group=f"a{k // 2}",
                candidates=list(range(4)),
                features=[{"l=" + w: 1.0, "rel": j / 4, "pos=ADJ": 1.0} for j, w in enumerate(words)],
                pos=["ADJ", "NOUN", "VERB", "ADV"],
                gold={j for j, w in enumerate(words) if w == "slammed"},
                biased="slammed" in words,
                lemmas=words,
                words=words,
            )
        )
    model = LoadedWordModel(folds=3, threshold_folds=3, news=stats).fit(sentences)
    expected = np.concatenate(model.predict_proba(sentences))
    flat = [f for s in sentences for f in s.features]
    p_sentence = np.repeat(model.sentence_probability([s.text for s in sentences]), 4)
    graph, arrays = export_loaded_words(model)
    scorer = LoadedWordScorer(graph, ModelArrays(arrays))
    np.testing.assert_allclose(
        scorer.sentence_probability([s.text for s in sentences]), p_sentence[::4], atol=1e-12
    )
    got = scorer.score_features(
        flat,
        [p for s in sentences for p in s.pos],
        p_sentence,
        [w for s in sentences for w in s.words],
        [w for s in sentences for w in s.lemmas],
    )
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
    assert export_check(model, scorer, sentences)["max_abs_difference"] <= 1e-9
