"""Stacked inputs sharing one featurization, and the naive-Bayes-scaled logistic regression."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from analyzer.classify import inference
from analyzer.classify.columns import Columns
from analyzer.classify.features import OutOfFoldProbability
from analyzer.classify.stacking import NBLogisticRegression, OutOfFoldScores
from tests.classify.contract import PARAMETER_CHECKS

TEXTS = [
    "Critics called the plan a reckless giveaway to donors.",
    "The committee met on Tuesday to discuss the budget.",
    "Protesters denounced the illegitimate regime and its crackdown.",
    "The report was published in March.",
    "Officials denied the allegations, calling them baseless smears.",
    "Analysts said growth would likely slow next year.",
] * 5
LABELS = ["biased", "non-biased"] * 15


def _frame(texts=TEXTS) -> pd.DataFrame:
    return pd.DataFrame({"text": texts, "group": [str(i % 10) for i in range(len(texts))]}, dtype=object)


def _columns() -> ColumnTransformer:
    return ColumnTransformer([("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "text")])


@parametrize_with_checks([NBLogisticRegression()])
def test_nb_logistic_regression_follows_the_estimator_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize("check", PARAMETER_CHECKS, ids=lambda c: c.__name__)
def test_out_of_fold_scores_contract(check):
    check("OutOfFoldScores", clone(OutOfFoldScores()))


def test_nb_scaling_is_folded_into_the_weights():
    X = TfidfVectorizer().fit_transform(TEXTS)
    model = NBLogisticRegression(alpha=0.5).fit(X, LABELS)
    scaled = X.multiply(model.ratios_).tocsr()
    plain = LogisticRegression(class_weight="balanced", max_iter=3000).fit(scaled, LABELS)
    np.testing.assert_allclose(model.decision_function(X), plain.decision_function(scaled), atol=1e-10)
    assert list(model.predict(X)) == list(plain.predict(scaled))
    assert np.array_equal(inference.predict_proba(model, X), model.predict_proba(X))
    assert np.array_equal(inference.decision_function(model, X), model.decision_function(X))


def test_nb_ratios_weigh_the_words_that_separate_the_classes():
    X = sparse.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0], [1, 0, 1]], dtype=float))
    model = NBLogisticRegression(alpha=0.1).fit(X, ["a", "b", "a", "b"])
    assert model.ratios_[0] == pytest.approx(0.0) and model.ratios_[1] > 1 and model.ratios_[2] > 1


def test_scores_equal_separate_out_of_fold_pipelines():
    """Each column is what its own n-gram pipeline in an OutOfFoldProbability gives, in training
    (cross-fitted, the same folds) and after it."""
    heads = [("lr", LogisticRegression(max_iter=1000)), ("nb", NBLogisticRegression())]
    shared = OutOfFoldScores(_columns(), heads, folds=3)
    inside = shared.fit_transform(_frame(), LABELS)
    new = _frame(["A reckless and baseless crackdown.", "The budget was published on Tuesday.", ""])
    after = shared.transform(new)
    assert inside.shape == (len(TEXTS), 2) and after.shape == (3, 2)
    for column, (_, head) in enumerate(heads):
        alone = OutOfFoldProbability(Pipeline([("n", _columns()), ("c", head)]), folds=3)
        np.testing.assert_allclose(alone.fit_transform(_frame(), LABELS)[:, 0], inside[:, column], atol=1e-12)
        np.testing.assert_allclose(alone.transform(new)[:, 0], after[:, column], atol=1e-12)
    assert list(shared.get_feature_names_out()) == ["oof_lr", "oof_nb"]


def test_fast_path_and_pickle_give_the_same_scores():
    shared = OutOfFoldScores(
        _columns(), [("lr", LogisticRegression()), ("nb", NBLogisticRegression())], folds=3
    )
    shared.fit(_frame(), LABELS)
    texts = [*TEXTS[:4], "", "Entirely unseen vocabulary here."]
    expected = shared.transform(_frame(texts))
    assert np.array_equal(inference.transform(shared, Columns({"text": texts})), expected)
    assert np.array_equal(pickle.loads(pickle.dumps(shared)).transform(_frame(texts)), expected)


def test_heads_are_scored_in_one_product_only_when_all_are_two_class_logistic_regressions():
    texts = [*TEXTS[:4], "", "Entirely unseen vocabulary here."]
    linear = OutOfFoldScores(
        _columns(), [("lr", LogisticRegression()), ("nb", NBLogisticRegression())], folds=3
    )
    mixed = OutOfFoldScores(
        _columns(),
        [("lr", LogisticRegression()), ("calibrated", CalibratedClassifierCV(LogisticRegression(), cv=3))],
        folds=3,
    )
    for shared in (linear, mixed):
        shared.fit(_frame(), LABELS)
        assert np.array_equal(
            inference.transform(shared, Columns({"text": texts})), shared.transform(_frame(texts))
        )
    assert inference._stacked(linear)[0].shape == (len(linear.features_.get_feature_names_out()), 2)
    assert inference._stacked(mixed) is None
    before = inference._stacked(linear)
    linear.fit(_frame(TEXTS[::-1]), LABELS[::-1])
    assert inference._stacked(linear) is not before
    assert np.array_equal(
        inference.transform(linear, Columns({"text": texts})), linear.transform(_frame(texts))
    )
