"""Wrappers that change how a model is fitted: one model per target, equal weight per group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier


class PerTargetClassifier(ClassifierMixin, BaseEstimator):
    """One clone of ``estimator`` per value of ``X["target"]`` (stance words differ by topic:
    "pro-life" is against legal abortion, not against feminism); probabilities over all classes."""

    def __init__(self, estimator: Any = None) -> None:
        self.estimator = estimator

    def fit(self, X: pd.DataFrame, y: Any) -> PerTargetClassifier:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        self.models_ = {}
        for target in pd.unique(X["target"]):
            rows = (X["target"] == target).to_numpy()
            single_class = len(np.unique(y[rows])) < 2
            model = DummyClassifier(strategy="prior") if single_class else clone(self.estimator)
            self.models_[target] = model.fit(X[rows], y[rows])
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.combine(X, lambda model, rows: model.predict_proba(rows))

    def combine(self, X: pd.DataFrame, predict: Callable[[Any, pd.DataFrame], np.ndarray]) -> np.ndarray:
        """Probabilities over all classes, each row from its target's model through
        ``predict(model, rows)`` (uniform for a target not seen in training)."""
        out = np.full((len(X), len(self.classes_)), 1.0 / len(self.classes_))
        for target, model in self.models_.items():
            rows = (X["target"] == target).to_numpy()
            if rows.any():
                columns = np.searchsorted(self.classes_, model.classes_)
                out[rows] = 0.0
                out[np.ix_(rows, columns)] = predict(model, X[rows])
        return out

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class GroupWeighted(ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` (a Pipeline ending in a step named ``classifier``) with every group of
    ``X["group"]`` (e.g. each outlet) weighing the same in total, so that prolific outlets do not
    dominate what the model learns about a leaning.

    With ``class_balanced`` the weights are then rescaled so that every class also weighs the same
    in total (groups stay equal within their class): the decision is not pulled toward the class
    that happens to have the most outlets or articles in training.
    """

    def __init__(self, estimator: Any = None, class_balanced: bool = False) -> None:
        self.estimator = estimator
        self.class_balanced = class_balanced

    def fit(self, X: pd.DataFrame, y: Any) -> GroupWeighted:
        groups = X["group"].astype(str)
        weights = 1.0 / groups.map(groups.value_counts()).to_numpy(dtype=float)
        if self.class_balanced:
            labels = np.asarray(y)
            for label in np.unique(labels):
                weights[labels == label] /= weights[labels == label].sum()
        self.estimator_ = clone(self.estimator).fit(X, y, classifier__sample_weight=weights / weights.mean())
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.estimator_.predict_proba(X)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.estimator_.predict(X)
