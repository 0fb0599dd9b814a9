"""``train`` and ``evaluate``: the API behind ``analyzer train`` and ``analyzer evaluate``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

from ..errors import InputNotFoundError, ParameterError
from . import inference
from .cards import write_card
from .columns import Columns
from .datasets import LabeledData, read_dataset
from .explain import Prediction
from .metrics import Evaluation, evaluate_predictions
from .newsstats import WordStats, news_path
from .persistence import load_model, save_model
from .tasks import Task, build, get_task
from .trust import SHIPPED


@dataclass
class TrainedModel:
    """A fitted estimator with its task and the metadata written to its sidecar."""

    task: Task
    estimator: Any
    metadata: dict[str, Any] = field(default_factory=dict)
    cv: Evaluation | None = None

    def predict_proba(self, frame: pd.DataFrame | Columns) -> np.ndarray:
        """Class probabilities, columns in the order of ``task.labels`` (through the fast inference
        path of :mod:`.inference`: the estimator's own ``predict_proba`` arithmetic, without
        scikit-learn's per-call checks). ``frame`` may be :class:`~.columns.Columns`."""
        probs = inference.predict_proba(self.estimator, frame)
        order = [list(self.estimator.classes_).index(label) for label in self.task.labels]
        return probs[:, order]

    def predict(self, frame: pd.DataFrame) -> list[str]:
        return [self.task.labels[i] for i in self.predict_proba(frame).argmax(axis=1)]

    def predictions(self, frame: pd.DataFrame) -> list[Prediction]:
        """One :class:`Prediction` per row (probabilities rounded to 4 places), explainable."""
        probs = self.predict_proba(frame)
        return [
            Prediction(
                self.task.name,
                {label: round(float(p), 4) for label, p in zip(self.task.labels, row, strict=True)},
                self.estimator,
                frame.iloc[[i]],
            )
            for i, row in enumerate(probs)
        ]

    def save(self, folder: str | Path) -> Path:
        return save_model(self.estimator, folder, self.metadata)


def _splitter(data: LabeledData, folds: int, group_by: str | None, seed: int):
    frame = data.frame
    smallest = int(frame["label"].value_counts().min()) if len(frame) else 0
    if not isinstance(folds, int) or folds < 2 or smallest < folds:
        raise ParameterError(
            "cv",
            f"an integer from 2 to {smallest} (the rows of the rarest label), or 0 for no cross-validation",
            folds,
        )
    if group_by:
        if group_by not in frame.columns:
            raise ParameterError("group_by", f"a column of the data ({', '.join(frame.columns)})", group_by)
        if frame[group_by].nunique() < folds:
            raise ParameterError(
                "cv", f"at most the number of groups in {group_by} ({frame[group_by].nunique()})", folds
            )
        return StratifiedGroupKFold(folds, shuffle=True, random_state=seed), frame[group_by].astype(
            str
        ).to_numpy()
    return StratifiedKFold(folds, shuffle=True, random_state=seed), None


def with_news(task: Task, data: LabeledData, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` with ``news`` resolved for a task that uses news statistics (``task.news``).

    A given folder must exist (coded error otherwise). Without one, the ``allsides_baly2020`` folder
    beside ``data``'s folder is used when it exists, else the task trains without news statistics
    (``news`` False, recorded in the sidecar): a model can still be trained on one's own data without
    the AllSides corpus. ``news=False`` turns them off."""
    news = options.get("news")
    if not task.news or news is False or isinstance(news, WordStats):
        return options
    try:
        return {**options, "news": str(news_path(data, news))}
    except InputNotFoundError:
        if news is not None:
            raise
        return {**options, "news": False}


def _recorded(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` as the sidecar records them: news statistics given as :class:`WordStats` by
    what they were built from (their ``source``), not their tables."""
    news = options.get("news")
    return {**options, "news": news.source} if isinstance(news, WordStats) else options


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
    estimator = build(task, with_news(task, data, options))
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


def as_labeled(data: LabeledData | str | Path, task: Task, dataset: str | None = None) -> LabeledData:
    """``data`` itself, or the file/folder it names read with ``dataset`` (default: the task's)."""
    if isinstance(data, LabeledData):
        return data
    return read_dataset(dataset or task.default_dataset, data)


def train(
    task: str | Task,
    data: LabeledData | str | Path,
    *,
    dataset: str | None = None,
    cv: int | None = 5,
    group_by: str | None = "group",
    out: str | Path | None = None,
    seed: int = 0,
    dev: Sequence[LabeledData | str | Path] = (),
    command: str | None = None,
    **options: Any,
) -> TrainedModel:
    """Fit ``task`` on ``data`` and save it to ``out`` with its sidecar and model card.

    ``data`` (and each of ``dev``) is a :class:`LabeledData` or a path read with the reader
    ``dataset`` (default: the task's, e.g. ``babe`` for ``sentence_bias``).
    ``cv`` folds of cross-validation run first (none when ``cv`` is 0/None); each of ``dev`` is
    scored after the fit. Both kinds of numbers go into the sidecar's ``metrics`` with their split.
    ``command`` is the command line that reproduces the model, recorded for its card.
    ``news`` (tasks with ``Task.news``): the AllSides folder of the news statistics, see
    :func:`with_news`.
    """
    spec = get_task(task) if isinstance(task, str) else task
    data = as_labeled(data, spec, dataset)
    dev = [as_labeled(part, spec, dataset) for part in dev]
    for part in (data, *dev):
        unknown = set(part.frame["label"]) - set(spec.labels)
        if unknown:
            raise ParameterError(
                "labels",
                f"within {', '.join(spec.labels)} for task {spec.name} in {part.name}",
                sorted(unknown),
            )
    options = with_news(spec, data, options)
    evaluation = cross_validate(spec, data, cv, group_by, seed, **options) if cv else None
    started = time.perf_counter()
    estimator = clone(build(spec, options)).fit(data.frame, data.frame["label"].to_numpy())
    seconds = time.perf_counter() - started
    metadata = {
        "task": spec.name,
        "unit": spec.unit,
        "labels": list(spec.labels),
        "features": {"builder": spec.builder.__name__, "options": _recorded({**spec.defaults, **options})},
        "training_data": {"dataset": data.name, "files": data.sources, "sha256": data.sha256, "n": len(data)},
        "train_seconds": round(seconds, 1),
        "command": command or f"analyzer.train({spec.name!r}, ...)",
        "metrics": [],
    }
    model = TrainedModel(spec, estimator, metadata, evaluation)
    if evaluation:
        metadata["metrics"].append(evaluation.to_dict())
    for part in dev:
        scored = evaluate(model, part)
        scored.split = "dev: " + ", ".join("/".join(Path(s).parts[-2:]) for s in part.sources)
        scored.model = "this model"
        metadata["metrics"].append(scored.to_dict())
    if out is not None:
        model.save(out)
        write_card(out)
    return model


def load_trained(task: str, path: str | Path | None = None, trust: bool = False) -> TrainedModel:
    """A saved model (default: the shipped one for ``task``), hash-checked before loading; a model
    neither shipped nor trained here is refused unless trusted (``trust=True`` or
    :func:`analyzer.trust_model`)."""
    spec = get_task(task)
    estimator, sidecar = load_model(path or SHIPPED / spec.name, trust=trust)
    if sidecar.get("task") != spec.name:
        raise ParameterError("model", f"a model for task {spec.name}", sidecar.get("task"))
    return TrainedModel(spec, estimator, sidecar)


def evaluate(
    model: TrainedModel | str,
    data: LabeledData | str | Path,
    model_path: str | Path | None = None,
    dataset: str | None = None,
    trust: bool = False,
) -> Evaluation:
    """Score ``model`` (a :class:`TrainedModel`, or a task name: its shipped model, or the one in
    ``model_path``, loaded as :func:`load_trained` does) on ``data`` (a :class:`LabeledData` or a
    path read with ``dataset``)."""
    trained = load_trained(model, model_path, trust) if isinstance(model, str) else model
    data = as_labeled(data, trained.task, dataset)
    probs = trained.predict_proba(data.frame)
    predicted = [trained.task.labels[i] for i in probs.argmax(axis=1)]
    return evaluate_predictions(
        task=trained.task.name, model=str(model_path or SHIPPED / trained.task.name) if isinstance(model, str) else "in-memory",
        dataset=data.name, metric=trained.task.metric, labels=trained.task.labels,
        y_true=data.frame["label"].tolist(), y_pred=predicted, probs=probs, split="as given",
    )  # fmt: skip
