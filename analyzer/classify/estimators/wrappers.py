"""A wrapper that fits one model per target (topic)."""

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
