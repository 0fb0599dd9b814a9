"""Stacked inputs from several linear classifiers that share one featurization.

- :class:`NBLogisticRegression`: logistic regression over naive-Bayes-scaled features (each column
  times the absolute log-count ratio of its use in the two classes; Wang & Manning 2012), with the
  scaling folded into ``coef_`` so that it scores the unscaled features like any logistic regression.
- :class:`OutOfFoldScores`: the positive-class probabilities of several classifiers over the same
  fitted features, one column each, cross-fitted in training (:func:`cross_fit_splits`) so that
  the next model learns how far to trust them on text they have not seen.

Why. For sentence bias, the n-gram model's probability and the probability of the same n-grams
scaled by naive-Bayes ratios disagree usefully (both as stacked inputs score higher in CV than
either alone), and one featurization serves both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..features.base import TextTransformer, rows


def cross_fit_splits(X: Any, y: np.ndarray, folds: int, random_state: int) -> Any:
    """The folds a stacked input is cross-fitted on: grouped by ``X["group"]`` (e.g. article)
    when there are at least ``folds`` groups, else shuffled and stratified by ``y``."""
    groups = X["group"].astype(str).to_numpy() if isinstance(X, pd.DataFrame) and "group" in X else None
    if groups is not None and len(set(groups)) >= folds:
        return GroupKFold(folds, shuffle=True, random_state=random_state).split(X, y, groups)
    return StratifiedKFold(folds, shuffle=True, random_state=random_state).split(X, y)


class NBLogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression on features scaled by naive-Bayes log-count ratios.

    ``fit`` computes, per column, ``r = log((p / |p|) / (q / |q|))`` with ``p`` and ``q`` the column
    sums of ``|X|`` (meant for counts or TF-IDF) over the rows of the second and of the first class
    plus ``alpha``, fits a
    ``LogisticRegression(C, class_weight, max_iter)`` on ``X * |r|`` and keeps it as ``model_`` with
    its weights multiplied by ``|r|``: ``model_`` then scores unscaled ``X`` with the same
    decisions, and needs no extra step at inference. (For an L2-penalised model the sign of ``r``
    does not matter: flipping a column's sign flips its weight.)
    """

    def __init__(
        self, alpha: float = 1.0, C: float = 1.0, class_weight: str | None = "balanced", max_iter: int = 3000
    ) -> None:
        self.alpha = alpha
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X: Any, y: Any) -> NBLogisticRegression:
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        X = sparse.csr_matrix(X)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"Only binary classification is supported; got {len(self.classes_)} class(es)")
        second = y == self.classes_[1]
        size = abs(X)
        p = np.asarray(size[second].sum(axis=0)).ravel() + self.alpha
        q = np.asarray(size[~second].sum(axis=0)).ravel() + self.alpha
        self.ratios_ = np.abs(np.log((p / p.sum()) / (q / q.sum())))
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        model.fit(X.multiply(self.ratios_).tocsr(), y)
        model.coef_ = model.coef_ * self.ratios_
        self.model_ = model
        self.n_iter_ = model.n_iter_
        return self

    def _checked(self, X: Any) -> Any:
        check_is_fitted(self)
        return validate_data(self, X, accept_sparse="csr", reset=False)

    def decision_function(self, X: Any) -> np.ndarray:
        X = self._checked(X)
        return self.model_.decision_function(X)

    def predict_proba(self, X: Any) -> np.ndarray:
        X = self._checked(X)
        return self.model_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        X = self._checked(X)
        return self.model_.predict(X)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_class = False
        return tags


class OutOfFoldScores(TextTransformer):
    """P(second class) of each of ``classifiers`` over ``features`` (fitted once), one column each.

    ``fit_transform`` returns cross-fitted columns (folds grouped by ``X["group"]`` when it has at
    least ``folds`` groups, see :func:`cross_fit_splits`): per
    fold, ``features`` and every classifier are fitted on the other folds. ``transform`` uses the
    ones fitted on all rows (``features_``, ``classifiers_``).
    """

    def __init__(
        self,
        features: Any = None,
        classifiers: Sequence[tuple[str, Any]] = (),
        folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.classifiers = classifiers
        self.folds = folds
        self.random_state = random_state

    @staticmethod
    def _fit_parts(features: Any, classifiers: Sequence[tuple[str, Any]], X: Any, y: np.ndarray) -> tuple:
        fitted = clone(features)
        matrix = fitted.fit_transform(X, y)
        return fitted, [clone(model).fit(matrix, y) for _, model in classifiers]

    @staticmethod
    def _scores(features: Any, classifiers: Sequence[Any], X: Any) -> np.ndarray:
        matrix = features.transform(X)
        return np.column_stack([model.predict_proba(matrix)[:, 1] for model in classifiers])

    def fit(self, X: pd.DataFrame, y: Any = None) -> OutOfFoldScores:
        self.features_, self.classifiers_ = self._fit_parts(self.features, self.classifiers, X, np.asarray(y))
        self.n_features_out_ = len(self.classifiers)
        return self

    def transform(self, X: Any) -> np.ndarray:
        return self._scores(self.features_, self.classifiers_, X)

    def fit_transform(self, X: pd.DataFrame, y: Any = None, **fit_params: object) -> np.ndarray:
        y = np.asarray(y)
        out = np.zeros((len(y), len(self.classifiers)))
        for train, held in cross_fit_splits(X, y, self.folds, self.random_state):
            features, classifiers = self._fit_parts(self.features, self.classifiers, rows(X, train), y[train])
            out[held] = self._scores(features, classifiers, rows(X, held))
        self.fit(X, y)
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"oof_{name}" for name, _ in self.classifiers])
