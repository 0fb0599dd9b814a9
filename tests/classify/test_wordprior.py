"""The news-informed word prior of the sentence-bias model, on a small written corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from analyzer.classify.features.newsstats import build_word_stats
from analyzer.classify.features.word_bias import WordBiasRates
from analyzer.classify.features.wordprior import NewsWordPrior
from tests.classify.contract import PARAMETER_CHECKS


@pytest.fixture(scope="module")
def stats():
    """'slammed' and 'blasted' share their contexts in news; 'apple' and 'pear' share others."""
    rng = np.random.default_rng(0)
    texts, leanings = [], []
    for k in range(120):
        leaning = ("left", "center", "right")[k % 3]
        verb = rng.choice(["slammed", "blasted"]) if leaning != "center" else "said"
        fruit = rng.choice(["apple", "pear"])
        texts.append(f"The senator {verb} the governor over the vote. A farmer sold a ripe {fruit} today.")
        leanings.append(leaning)
    return build_word_stats(texts, leanings, vocabulary=100, window=3, dimensions=6)


def _babe_like() -> pd.DataFrame:
    """Sentences where 'slammed' is marked and 'blasted' never occurs."""
    rows = [("The senator slammed the governor", ["slammed"]), ("The farmer sold a ripe apple", [])]
    rows += [("The senator said the vote passed", []), ("Critics slammed the plan", ["slammed"])]
    return pd.DataFrame(rows * 5, columns=["text", "biased_words"])


@pytest.mark.parametrize("check", PARAMETER_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_contract(check):
    check("NewsWordPrior", clone(NewsWordPrior()))


def test_unseen_word_borrows_from_the_words_used_like_it(stats):
    model = WordBiasRates(prior_weight=5.0, news=stats).fit(_babe_like())
    blasted, pear = model.prior_.predict_proba(["blasted", "pear"])[:, 1]
    assert blasted > pear
    spelling = WordBiasRates(prior_weight=5.0).fit(_babe_like())
    assert blasted - pear > np.subtract(*spelling.prior_.predict_proba(["blasted", "pear"])[:, 1])
    out = model.transform(pd.DataFrame({"text": ["Critics blasted the pear"]}))
    assert out.shape == (1, model.n_features_out_) == (1, len(model.get_feature_names_out()))


def test_table_holds_the_model_scores_and_other_words_get_the_unknown_inputs(stats):
    words = ["slammed", "apple", "said", "farmer"]
    prior = NewsWordPrior(stats, vector_scale=2.0).fit(words, [1, 0, 0, 0], sample_weight=[3, 1, 2, 1])
    known = list(stats.vocabulary)
    direct = prior.model_.predict_proba(prior._inputs(known, stats))[:, 1]
    assert np.array_equal(np.array([prior.table_[w] for w in known]), direct)
    unknown = ["zzzslam", "qqq"]
    assert not set(unknown) & set(stats.vocabulary)
    block = stats.block(unknown, unknown, 2.0)
    assert (block[:, 4:] == 0).all() and (block[:, 3] == 1).all()
    expected = prior.model_.predict_proba(prior._inputs(unknown, stats))[:, 1]
    np.testing.assert_allclose(prior.predict_proba(unknown)[:, 1], expected, rtol=0, atol=1e-15)
    mixed = prior.predict_proba(["slammed", "zzzslam"])
    assert mixed.shape == (2, 2) and np.allclose(mixed.sum(axis=1), 1.0)
    assert list(prior.predict(["slammed", "apple"])) == [1, 0]


def test_exported_word_bias_block_keeps_a_word_table_not_the_statistics(stats, monkeypatch):
    from analyzer.classify.artifacts.arrays import ModelArrays
    from analyzer.classify.artifacts.score import GraphScorer
    from analyzer.classify.features import wordprior
    from analyzer.classify.training.export import Exporter

    monkeypatch.setattr(wordprior, "load_word_stats", lambda path: stats)
    model = WordBiasRates(prior_weight=5.0, news="some/allsides").fit(_babe_like())
    texts = ["Critics blasted the pear", "zzz", ""]
    exporter = Exporter()
    node = exporter.features(model, "word_bias")
    scorer = GraphScorer({"classes": []}, ModelArrays(exporter.arrays))
    np.testing.assert_allclose(
        scorer.features(node, {"text": texts}),
        model.transform(pd.DataFrame({"text": texts})).toarray(),
        atol=1e-12,
    )
    assert not any(
        array.ndim == 2 and array.shape[1] == stats.vectors.shape[1] for array in exporter.arrays.values()
    )


def test_news_prior_needs_statistics():
    with pytest.raises(ValueError, match="news statistics"):
        NewsWordPrior().fit(["a"], [1])


def test_training_resolves_the_news_folder_or_trains_without_it(tmp_path, stats):
    from analyzer.classify.data.datasets import read_dataset
    from analyzer.classify.tasks import get_task
    from analyzer.classify.training.train import with_news
    from analyzer.errors import InputNotFoundError

    (tmp_path / "mine").mkdir()
    path = tmp_path / "mine" / "data.csv"
    path.write_text('text,label\n"a b c",biased\n"d e f",non-biased\n')
    data = read_dataset("csv", path)
    task = get_task("sentence_bias")
    assert with_news(task, data, {})["news"] is False
    assert with_news(task, data, {"news": stats})["news"] is stats
    assert with_news(get_task("leaning"), data, {}) == {}
    (tmp_path / "allsides_baly2020").mkdir()
    assert with_news(task, data, {})["news"] == str(tmp_path / "allsides_baly2020")
    with pytest.raises(InputNotFoundError):
        with_news(task, data, {"news": str(tmp_path / "missing")})
