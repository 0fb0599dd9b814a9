"""Evaluation metrics: each task's official score, per-class scores, confusion, calibration.

- macro-F1 over all classes (BABE, NewsMTSC, AllSides);
- F_avg: the mean of the F1 of ``favor`` and ``against``, predictions pooled over targets
  (SemEval-2016 Task 6);
- expected calibration error (ECE): the mean absolute gap between confidence and accuracy over
  equal-width confidence bins, weighted by bin size (Guo et al., 2017), using the top-class
  probability.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support


@dataclass
class Evaluation:
    """Scores of one model on one dataset (all fractions in [0, 1])."""

    task: str
    model: str
    dataset: str
    n: int
    metric: str
    score: float
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: list[list[int]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    ece: float | None = None
    split: str = ""

    def to_dict(self) -> dict:
        """The JSON object printed by ``analyzer evaluate --format json``."""
        return asdict(self)


def expected_calibration_error(
    probs: np.ndarray, y_true: Sequence[str], classes: Sequence[str], bins: int = 10
) -> float:
    """ECE of the top-class probability over ``bins`` equal-width bins."""
    probs = np.asarray(probs, dtype=float)
    confidence = probs.max(axis=1)
    predicted = np.asarray(classes)[probs.argmax(axis=1)]
    correct = predicted == np.asarray(y_true)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            total += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(total)


def score(metric: str, y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """The official score ``metric`` (``macro_f1`` or ``f_avg``)."""
    if metric == "f_avg":
        return float(f1_score(y_true, y_pred, labels=["favor", "against"], average="macro", zero_division=0))
    return float(f1_score(y_true, y_pred, average="macro", zero_division=0))


def evaluate_predictions(
    *,
    task: str,
    model: str,
    dataset: str,
    metric: str,
    labels: Sequence[str],
    y_true: Sequence[str],
    y_pred: Sequence[str],
    probs: np.ndarray | None = None,
    split: str = "",
) -> Evaluation:
    """An :class:`Evaluation` from gold labels, predictions and (optionally) class probabilities."""
    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    per_class = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    return Evaluation(
        task=task,
        model=model,
        dataset=dataset,
        n=len(y_true),
        metric=metric,
        score=score(metric, y_true, y_pred),
        per_class=per_class,
        confusion=confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        labels=labels,
        ece=expected_calibration_error(probs, y_true, labels) if probs is not None else None,
        split=split,
    )


def bootstrap_interval(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    groups: Sequence[object],
    metric: str = "macro_f1",
    resamples: int = 1000,
    seed: int = 0,
) -> list[float]:
    """A 95 % percentile bootstrap interval of ``metric`` resampling whole ``groups`` (for
    NewsMTSC: sentences, whose targets are not independent), ``[low, high]``."""
    truth, predicted = np.asarray(y_true), np.asarray(y_pred)
    names, index = np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)
    members = [np.flatnonzero(index == k) for k in range(len(names))]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        rows = np.concatenate([members[k] for k in rng.integers(0, len(members), len(members))])
        values.append(score(metric, truth[rows], predicted[rows]))
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]
