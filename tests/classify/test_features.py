"""scikit-learn estimator contract for the custom transformers.

They take raw text, so ``parametrize_with_checks`` (which feeds numeric arrays) skips them; the
input-independent checks of the contract are run here one by one instead, plus fit/transform on text.
"""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from analyzer.classify.features.lexicon import LexiconCategoryCounts
from analyzer.classify.features.target import TargetContext
from analyzer.classify.features.word_bias import WordBiasRates
from analyzer.classify.text import words
from tests.classify.contract import PARAMETER_CHECKS

ESTIMATORS = [WordBiasRates(), LexiconCategoryCounts()]


@pytest.mark.parametrize(
    "estimator",
    [*ESTIMATORS, TargetContext()],
    ids=lambda e: type(e).__name__,
)
@pytest.mark.parametrize("check", PARAMETER_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_contract(estimator, check):
    check(type(estimator).__name__, clone(estimator))


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_fit_returns_self_and_learns_attributes(estimator):
    frame = pd.DataFrame({"text": ["a shameful coup", "a fact"] * 6, "biased_words": [["shameful"], []] * 6})
    fresh = clone(estimator)
    assert fresh.fit(frame) is fresh
    check_is_fitted(fresh)
    out = fresh.transform(frame)
    assert out.shape == (12, fresh.n_features_out_) and len(fresh.get_feature_names_out()) == out.shape[1]


def test_word_bias_rates_are_out_of_fold_in_training():
    frame = pd.DataFrame(
        {
            "text": ["a shameful lie", "a plain fact"] * 10,
            "biased_words": [["shameful"], []] * 10,
        }
    )
    model = WordBiasRates(smoothing=0.0)
    train_features = model.fit_transform(frame).toarray()
    assert model.rates_ == {"shameful": 1.0}
    new = model.transform(pd.DataFrame({"text": ["shameful"]})).toarray()
    assert new[0, 0] == 1.0 and train_features[:, 0].max() == 1.0


def test_target_context_masks_the_target_and_cuts_windows():
    frame = pd.DataFrame(
        {"text": ["Critics say Ibarra lied again today ."], "target_start": [12], "target_end": [18]}
    )
    out = TargetContext(window=2).fit(frame).transform(frame)
    assert out.loc[0, "masked"] == "Critics say  TGT  lied again today ."
    assert out.loc[0, "left"] == "Critics say" and out.loc[0, "right"] == "lied again"
    assert out.loc[0, "text"] == "Critics say lied again"


def test_word_bias_prior_gives_unseen_words_a_rate_from_their_spelling():
    frame = pd.DataFrame(
        {
            "text": ["a shameful lie", "a plain fact", "the disgraceful act", "the usual day"] * 5,
            "biased_words": [["shameful"], [], ["disgraceful"], []] * 5,
        }
    )
    model = WordBiasRates(prior_weight=2.0).fit(frame)
    out = model.transform(pd.DataFrame({"text": ["a graceful fact", "a fulsome lie"]})).toarray()
    assert out.shape == (2, model.n_features_out_) == (2, len(model.get_feature_names_out()))
    assert model.fit_transform(frame).shape == (20, model.n_features_out_)
    assert (out[:, 0] > 0).all()


def test_target_context_clause_stops_at_punctuation():
    frame = pd.DataFrame(
        {"text": ["Aides said, Ibarra lied again, and left ."], "target_start": [12], "target_end": [18]}
    )
    out = TargetContext(window=2).fit(frame).transform(frame)
    assert out.loc[0, "clause"].split() == ["TGT", "lied", "again"]


def _per_sentence_reference(model, texts):
    """WordBiasRates.transform as it was written before it was vectorised: one row at a time."""
    rows = []
    for text in texts:
        ws = words(text)
        p = np.array([model.prior_.predict_proba([w])[0, 1] for w in ws] or [0.0])
        counts = np.array([model.counts_.get(w, (0, 0)) for w in ws] or [(0, 0)], dtype=float)
        rates = (counts[:, 0] + model.prior_weight * p) / (counts[:, 1] + model.prior_weight)
        rows.append([rates.max(), rates.sum(), (rates > 0.3).sum(), (rates > 0.1).sum(),
                     np.sort(rates)[-3:].mean(), p.max(), np.sort(p)[-3:].mean()])  # fmt: skip
    return np.asarray(rows, dtype=float)


def test_word_bias_rates_give_the_per_sentence_values():
    frame = pd.DataFrame(
        {
            "text": ["a shameful lie", "a plain fact", "the disgraceful act", "the usual day"] * 5,
            "biased_words": [["shameful"], [], ["disgraceful"], []] * 5,
        }
    )
    model = WordBiasRates(prior_weight=2.0).fit(frame)
    texts = ["", "shameful", "a graceful fact", "the shameful, disgraceful act of a fulsome lie " * 3, "!!"]
    expected = _per_sentence_reference(model, texts)
    assert np.allclose(model.transform(texts).toarray(), expected, rtol=0, atol=1e-12)
    assert np.allclose(model.transform(texts[::-1]).toarray(), expected[::-1], rtol=0, atol=1e-12)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab ,;:.-()\"'\u00e9\u4e2d\u2014\n")), max_size=200),
    st.integers(0, 200),
    st.integers(0, 200),
    st.integers(0, 8),
)
def test_target_context_reads_the_windows_and_clause_of_the_whole_sentence(text, start, length, window):
    """The columns are the windows and clause of tokenising and splitting the whole prefix and suffix."""
    start = min(start, len(text))
    end = min(start + length, len(text))
    frame = pd.DataFrame({"text": [text], "target_start": [start], "target_end": [end]}, dtype=object)
    out = TargetContext(window=window).fit(frame).transform(frame)
    token = re.compile(r"\w+|[^\w\s]")
    boundary = re.compile(r"[,;:()\"\u201c\u201d\u2014]| -- | - ")
    left = " ".join(token.findall(text[:start])[-window:])
    right = " ".join(token.findall(text[end:])[:window])
    clause = f"{boundary.split(text[:start])[-1]} TGT {boundary.split(text[end:])[0]}"
    assert out.iloc[0].tolist() == [
        f"{text[:start]} TGT {text[end:]}",
        left,
        right,
        clause,
        f"{left} {right}",
    ]
