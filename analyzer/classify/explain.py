"""Which features pushed a prediction: contributions of a linear model's inputs.

Every task ends in a linear classifier, so a prediction decomposes exactly into one term per
feature: ``value × weight`` toward a class. Calibration (a monotone map of that sum) and the
wrappers around the linear model (per-target models, outlet weighting, calibration folds) do not
change which features pushed the decision, so :func:`contributions` unwraps them and averages the
terms over the calibration folds' copies of the model.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import Pipeline

from .embedding import DIMENSION_PREFIX


class NotExplainable(TypeError):
    """The estimator does not end in a linear model whose terms can be listed."""


def _linear_pipelines(estimator: Any, row: pd.DataFrame) -> list[Pipeline]:
    """The fitted Pipelines (ending in a model with ``coef_``) that score ``row``."""
    if isinstance(estimator, Pipeline):
        if hasattr(estimator.steps[-1][1], "coef_"):
            return [estimator]
        raise NotExplainable(f"{type(estimator.steps[-1][1]).__name__} has no linear weights")
    if isinstance(estimator, CalibratedClassifierCV):
        parts: list[Pipeline] = []
        for calibrated in estimator.calibrated_classifiers_:
            parts.extend(_linear_pipelines(calibrated.estimator, row))
        return parts
    for attribute in ("calibrated_", "estimator_"):
        inner = getattr(estimator, attribute, None)
        if inner is not None:
            return _linear_pipelines(inner, row)
    models = getattr(estimator, "models_", None)
    if isinstance(models, dict) and "target" in row:
        model = models.get(row["target"].iloc[0])
        return [] if model is None or not isinstance(model, Pipeline) else _linear_pipelines(model, row)
    raise NotExplainable(f"cannot list the features of a {type(estimator).__name__}")


def _terms(pipeline: Pipeline, row: pd.DataFrame, label: str) -> dict[str, float]:
    features = pipeline[:-1]
    classifier = pipeline.steps[-1][1]
    values = features.transform(row)
    values = values.toarray()[0] if hasattr(values, "toarray") else np.asarray(values)[0]
    names = features.get_feature_names_out()
    classes = list(classifier.classes_)
    if label not in classes:
        return {}
    coef = np.asarray(classifier.coef_)
    if coef.shape[0] == 1:
        weights = coef[0] if classes.index(label) == 1 else -coef[0]
    else:
        weights = coef[classes.index(label)] - coef.mean(axis=0)
    terms: dict[str, float] = defaultdict(float)
    for i in np.flatnonzero(values):
        terms[_grouped(str(names[i]))] += float(values[i] * weights[i])
    return dict(terms)


def _grouped(name: str) -> str:
    """The name a feature is listed under: the dimensions of a sentence embedding
    (``embedding_0`` ... ``embedding_383``, :class:`~.embedding.SentenceEmbedding`) say nothing one
    by one, so their terms are summed into one, ``embedding: sentence meaning``."""
    head, _, last = name.rpartition("__")
    if last.startswith(DIMENSION_PREFIX) and last.removeprefix(DIMENSION_PREFIX).isdigit():
        return f"{head}__sentence meaning" if head else "sentence meaning"
    return name


def contributions(
    estimator: Any, row: pd.DataFrame, label: str, top: int | None = 10
) -> list[tuple[str, float]]:
    """The ``top`` features (all with ``None``) that pushed ``row`` (a one-row frame) toward
    ``label`` most, with signed contributions (positive = toward ``label``), strongest first.

    For a multi-class model the weight toward a class is taken relative to the mean over
    classes, so a feature that raises every class equally contributes nothing.
    """
    pipelines = _linear_pipelines(estimator, row)
    if not pipelines:
        return []
    total: dict[str, float] = defaultdict(float)
    for pipeline in pipelines:
        for name, value in _terms(pipeline, row, label).items():
            total[name] += value / len(pipelines)
    ranked = sorted(total.items(), key=lambda item: -abs(item[1]))
    return [(readable(name), round(value, 6)) for name, value in ranked[:top] if value != 0.0]


def readable(name: str) -> str:
    """A feature name as a person reads it: ``ngrams__words__coup`` -> ``words: coup``."""
    parts = name.split("__")
    return parts[-1] if len(parts) < 2 else f"{parts[-2]}: {parts[-1]}"


class Prediction:
    """One prediction of a trained model: ``label``, ``probs`` (label → probability) and
    :meth:`explain`, the features that pushed it."""

    def __init__(self, task: str, probs: dict[str, float], estimator: Any, row: pd.DataFrame) -> None:
        self.task = task
        self.probs = probs
        self.label = max(probs, key=probs.__getitem__)
        self._estimator = estimator
        self._row = row

    def explain(self, top: int | None = 10, label: str | None = None) -> list[tuple[str, float]]:
        """The ``top`` features (all with ``None``) pushing toward ``label`` (default: the
        predicted one), as ``(feature, contribution)`` pairs, strongest first."""
        return contributions(self._estimator, self._row, label or self.label, top)

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "label": self.label, "probs": self.probs}

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:.2f}" for k, v in self.probs.items())
        return f"Prediction({self.task}: {self.label}; {shown})"
