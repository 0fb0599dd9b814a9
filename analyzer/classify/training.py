"""``train`` and ``evaluate``: the API behind ``analyzer train`` and ``analyzer evaluate``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

from ..errors import ParameterError
from .datasets import LabeledData
from .metrics import Evaluation, evaluate_predictions
from .persistence import load_model, save_model
from .tasks import Task, build, get_task

SHIPPED = Path(__file__).resolve().parents[1] / "models"


@dataclass
class TrainedModel:
    """A fitted estimator with its task and the metadata written to its sidecar."""

    task: Task
    estimator: Any
    metadata: dict[str, Any] = field(default_factory=dict)
    cv: Evaluation | None = None

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Class probabilities, columns in the order of ``task.labels``."""
        probs = self.estimator.predict_proba(frame)
        order = [list(self.estimator.classes_).index(label) for label in self.task.labels]
        return probs[:, order]

    def predict(self, frame: pd.DataFrame) -> list[str]:
        return [self.task.labels[i] for i in self.predict_proba(frame).argmax(axis=1)]

    def save(self, folder: str | Path) -> Path:
        return save_model(self.estimator, folder, self.metadata)


def _splitter(data: LabeledData, folds: int, group_by: str | None, seed: int):
    frame = data.frame
    if group_by:
        if group_by not in frame.columns:
            raise ParameterError("group_by", f"a column of the data ({', '.join(frame.columns)})", group_by)
        return StratifiedGroupKFold(folds, shuffle=True, random_state=seed), frame[group_by].astype(
            str
        ).to_numpy()
    return StratifiedKFold(folds, shuffle=True, random_state=seed), None


def cross_validate(
    task: Task,
    data: LabeledData,
    folds: int = 5,
    group_by: str | None = "group",
    seed: int = 0,
    **options: Any,
) -> Evaluation:
    """Out-of-fold predictions for every row, scored with the task's metric."""
    if group_by == "group" and ("group" not in data.frame.columns or task.group_by is None):
        group_by = None
    splitter, groups = _splitter(data, folds, group_by, seed)
    estimator = build(task, options)
    y = data.frame["label"].to_numpy()
    probs = cross_val_predict(estimator, data.frame, y, groups=groups, cv=splitter, method="predict_proba")
    classes = sorted(set(y))
    order = [classes.index(label) for label in task.labels]
    probs = probs[:, order]
    predicted = [task.labels[i] for i in probs.argmax(axis=1)]
    grouped_by = (data.group_source or group_by) if group_by == "group" else group_by
    split = f"{folds}-fold CV" + (f" grouped by {grouped_by}" if group_by else "")
    return evaluate_predictions(
        task=task.name, model="cross-validation", dataset=data.name, metric=task.metric,
        labels=task.labels, y_true=y, y_pred=predicted, probs=probs, split=split,
    )  # fmt: skip


def train(
    task: str | Task,
    data: LabeledData,
    *,
    cv: int | None = 5,
    group_by: str | None = "group",
    out: str | Path | None = None,
    seed: int = 0,
    **options: Any,
) -> TrainedModel:
    """Fit ``task`` on ``data`` (after ``cv``-fold cross-validation when ``cv``), save to ``out``."""
    spec = get_task(task) if isinstance(task, str) else task
    unknown = set(data.frame["label"]) - set(spec.labels)
    if unknown:
        raise ParameterError(
            "labels", f"within {', '.join(spec.labels)} for task {spec.name}", sorted(unknown)
        )
    evaluation = cross_validate(spec, data, cv, group_by, seed, **options) if cv else None
    estimator = clone(build(spec, options)).fit(data.frame, data.frame["label"].to_numpy())
    metadata = {
        "task": spec.name,
        "labels": list(spec.labels),
        "features": {"builder": spec.builder.__name__, "options": {**spec.defaults, **options}},
        "training_data": {"dataset": data.name, "files": data.sources, "sha256": data.sha256, "n": len(data)},
        "metrics": [evaluation.to_dict()] if evaluation else [],
    }
    model = TrainedModel(spec, estimator, metadata, evaluation)
    if out is not None:
        model.save(out)
    return model


def load_trained(task: str, path: str | Path | None = None) -> TrainedModel:
    """A saved model (default: the shipped one for ``task``), hash-checked before loading."""
    spec = get_task(task)
    estimator, sidecar = load_model(path or SHIPPED / spec.name)
    if sidecar.get("task") != spec.name:
        raise ParameterError("model", f"a model for task {spec.name}", sidecar.get("task"))
    return TrainedModel(spec, estimator, sidecar)


def evaluate(
    model: TrainedModel | str, data: LabeledData, model_path: str | Path | None = None
) -> Evaluation:
    """Score ``model`` (or the shipped model of a task name) on ``data``."""
    trained = load_trained(model, model_path) if isinstance(model, str) else model
    probs = trained.predict_proba(data.frame)
    predicted = [trained.task.labels[i] for i in probs.argmax(axis=1)]
    return evaluate_predictions(
        task=trained.task.name, model=str(model_path or SHIPPED / trained.task.name) if isinstance(model, str) else "in-memory",
        dataset=data.name, metric=trained.task.metric, labels=trained.task.labels,
        y_true=data.frame["label"].tolist(), y_pred=predicted, probs=probs, split="as given",
    )  # fmt: skip
