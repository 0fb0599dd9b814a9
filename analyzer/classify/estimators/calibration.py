"""Calibration whose folds keep groups (articles, outlets) apart."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import GroupKFold


def with_further_mentions(X: pd.DataFrame, y: Any) -> tuple[pd.DataFrame, np.ndarray]:
    """``X`` and ``y`` followed by one row per entry of ``X["further_mentions"]`` (when present): the
    same sentence, label and group, that mention as the target span."""
    y = np.asarray(y)
    if "further_mentions" not in X.columns:
        return X, y
    positions, starts, ends, mentions = [], [], [], []
    for position, entries in enumerate(X["further_mentions"]):
        for start, end, mention in entries if isinstance(entries, list | tuple) else ():
            positions.append(position)
            starts.append(int(start))
            ends.append(int(end))
            mentions.append(mention)
    if not positions:
        return X, y
    extra = X.iloc[positions].copy()
    extra["target_start"], extra["target_end"] = starts, ends
    if "target" in extra.columns:
        extra["target"] = mentions
    extra["further_mentions"] = [[] for _ in positions]
    return pd.concat([X, extra], ignore_index=True), np.concatenate([y, y[positions]])


class GroupCalibrated(ClassifierMixin, BaseEstimator):
    """``CalibratedClassifierCV`` whose internal folds keep each ``X["group"]`` (article, outlet)
    on one side: calibrating on rows whose group was also in the fitting part would teach the
    calibrator the model's over-confidence on known groups, not on new ones.

    Models. By default one model is refitted on all rows and the calibrator learns from the folds'
    out-of-fold scores (one model to store and run). With ``ensemble`` the fold models themselves
    are kept and averaged (the tasks that use it say why in their model cards).

    Further mentions. With ``further_mentions`` (entity stance), ``fit`` also trains on each row's
    other mentions of the same target (``X["further_mentions"]``: ``(start, end, mention)`` in the
    same sentence, e.g. "her" and "she" after "Hillary Clinton"), each a row of its own with the
    row's label and group (so it stays on its row's side of the calibration folds). Only fitting
    changes: prediction scores the rows it is given.
    """

    def __init__(
        self,
        estimator: Any = None,
        method: str = "sigmoid",
        n_splits: int = 3,
        ensemble: bool = False,
        further_mentions: bool = False,
    ) -> None:
        self.estimator = estimator
        self.method = method
        self.n_splits = n_splits
        self.ensemble = ensemble
        self.further_mentions = further_mentions

    def fit(self, X: pd.DataFrame, y: Any) -> GroupCalibrated:
        if self.further_mentions:
            X, y = with_further_mentions(X, y)
        groups = X["group"].astype(str).to_numpy()
        splits = list(GroupKFold(self.n_splits).split(X, y, groups))
        self.calibrated_ = CalibratedClassifierCV(
            clone(self.estimator), method=self.method, cv=splits, ensemble=self.ensemble
        ).fit(X, y)
        self.classes_ = self.calibrated_.classes_
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.calibrated_.predict_proba(X)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
