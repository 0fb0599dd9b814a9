"""Stacked inputs sharing one featurization, and the naive-Bayes-scaled logistic regression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from analyzer.classify.estimators.stacking import NBLogisticRegression, OutOfFoldScores, cross_fit_splits
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


def test_nb_ratios_weigh_the_words_that_separate_the_classes():
    X = sparse.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0], [1, 0, 1]], dtype=float))
    model = NBLogisticRegression(alpha=0.1).fit(X, ["a", "b", "a", "b"])
    assert model.ratios_[0] == pytest.approx(0.0) and model.ratios_[1] > 1 and model.ratios_[2] > 1


def test_scores_equal_separate_out_of_fold_pipelines():
    """Each column is what its own n-gram pipeline gives, in training (cross-fitted on the same
    folds) and after it."""
    heads = [("lr", LogisticRegression(max_iter=1000)), ("nb", NBLogisticRegression())]
    shared = OutOfFoldScores(_columns(), heads, folds=3)
    inside = shared.fit_transform(_frame(), LABELS)
    new = _frame(["A reckless and baseless crackdown.", "The budget was published on Tuesday.", ""])
    after = shared.transform(new)
    assert inside.shape == (len(TEXTS), 2) and after.shape == (3, 2)
    labels = np.array(LABELS)
    for column, (_, head) in enumerate(heads):
        alone = np.zeros(len(TEXTS))
        for train, held in cross_fit_splits(_frame(), labels, 3, 0):
            fold = Pipeline([("n", _columns()), ("c", clone(head))]).fit(_frame().iloc[train], labels[train])
            alone[held] = fold.predict_proba(_frame().iloc[held])[:, 1]
        np.testing.assert_allclose(alone, inside[:, column], atol=1e-12)
        refitted = Pipeline([("n", _columns()), ("c", clone(head))]).fit(_frame(), labels)
        np.testing.assert_allclose(refitted.predict_proba(new)[:, 1], after[:, column], atol=1e-12)
    assert list(shared.get_feature_names_out()) == ["oof_lr", "oof_nb"]
