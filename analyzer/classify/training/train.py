"""``train`` and ``evaluate``: the API behind ``analyzer train`` and ``analyzer evaluate``.

Training fits the task's scikit-learn pipeline, exports it as data (:mod:`..artifacts.export`),
checks that the export gives the pipeline's probabilities on the training rows, and returns (and,
with ``out``, writes) the exported :class:`~analyzer.classify.model.Model`: evaluation and use
score exactly what ships.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

from ... import __version__
from ...errors import InputNotFoundError, ParameterError
from ..artifacts.arrays import ModelArrays
from ..artifacts.files import read_model
from ..data.datasets import LabeledData, read_dataset
from ..features.newsstats import news_path
from ..model import Model, load_model, shipped_folder
from ..tasks import Task, build, get_task
from ..wordstats import WordStats
from .cards import write_card
from .export import export_estimator
from .metrics import Evaluation, evaluate_predictions

EXPORT_TOLERANCE = 1e-9
"""The largest difference allowed between the exported model's and the pipeline's probabilities."""
EXPORT_CHECK_ROWS = 200


def training_versions() -> dict[str, str]:
    """The versions a model file records: of this package and of what fitted it."""
    return {
        "analyzer": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


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
    n_jobs: int = 1,
    **options: Any,
) -> Evaluation:
    """Out-of-fold predictions for every row, scored with the task's metric; ``n_jobs`` folds are
    fitted at once (joblib processes; each holds its own copy of the data)."""
    if group_by == "group" and ("group" not in data.frame.columns or task.group_by is None):
        group_by = None
    splitter, groups = _splitter(data, folds, group_by, seed)
    estimator = build(task, with_news(task, data, options))
    y = data.frame["label"].to_numpy()
    probs = cross_val_predict(
        estimator, data.frame, y, groups=groups, cv=splitter, method="predict_proba", n_jobs=n_jobs
    )
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
    n_jobs: int = 1,
    **options: Any,
) -> Model:
    """Fit ``task`` on ``data`` and save it to ``out`` with its sidecar and model card.

    ``data`` (and each of ``dev``) is a :class:`LabeledData` or a path read with the reader
    ``dataset`` (default: the task's, e.g. ``babe`` for ``sentence_bias``).
    ``cv`` folds of cross-validation run first (none when ``cv`` is 0/None); each of ``dev`` is
    scored after the fit. Both kinds of numbers go into the sidecar's ``metrics`` with their split.
    ``command`` is the command line that reproduces the model, recorded for its card. ``n_jobs``
    cross-validation folds are fitted at once.
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
    evaluation = cross_validate(spec, data, cv, group_by, seed, n_jobs, **options) if cv else None
    started = time.perf_counter()
    estimator = clone(build(spec, options)).fit(data.frame, data.frame["label"].to_numpy())
    seconds = time.perf_counter() - started
    graph, arrays = export_estimator(estimator)
    metadata = {
        "task": spec.name,
        "unit": spec.unit,
        "labels": list(spec.labels),
        "calibrated": spec.calibrated,
        "features": {"builder": spec.builder.__module__, "options": _recorded({**spec.defaults, **options})},
        "training_data": {"dataset": data.name, "files": data.sources, "sha256": data.sha256, "n": len(data)},
        "train_seconds": round(seconds, 1),
        "command": command or f"analyzer.train({spec.name!r}, ...)",
        "metrics": [],
        "graph": graph,
        "versions": training_versions(),
    }
    model = Model(metadata, ModelArrays(arrays), estimator, evaluation)
    metadata["export_check"] = export_check(model, data)
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
        model = Model(*read_model(out), estimator, evaluation)
    return model


def export_check(model: Model, data: LabeledData) -> dict[str, Any]:
    """The largest difference between the exported model's probabilities and the fitted pipeline's
    on (up to :data:`EXPORT_CHECK_ROWS`) training rows; an export that scores differently raises."""
    frame = data.frame.head(EXPORT_CHECK_ROWS)
    fitted = model.estimator.predict_proba(frame)
    classes = [str(c) for c in model.estimator.classes_]
    exported = model.scorer.predict_proba({name: frame[name].tolist() for name in frame.columns})
    exported = exported[:, [model.scorer.classes.index(c) for c in classes]]
    difference = float(np.abs(exported - fitted).max()) if len(frame) else 0.0
    if difference > EXPORT_TOLERANCE:
        raise RuntimeError(
            f"the exported {model.task} model differs from the fitted pipeline by {difference:.2e} "
            "on training rows; please report this as a bug"
        )
    return {"rows": len(frame), "max_abs_difference": difference}


def load_trained(task: str, path: str | Path | None = None) -> Model:
    """A saved model (default: the shipped one for ``task``), checked against its sidecar."""
    get_task(task)
    return load_model(task, str(path) if path else None)


def evaluate(
    model: Model | str,
    data: LabeledData | str | Path,
    model_path: str | Path | None = None,
    dataset: str | None = None,
) -> Evaluation:
    """Score ``model`` (a :class:`~analyzer.classify.model.Model`, or a task name: its shipped
    model, or the one in ``model_path``) on ``data`` (a :class:`LabeledData` or a path read with
    ``dataset``)."""
    trained = load_trained(model, model_path) if isinstance(model, str) else model
    task = get_task(trained.task)
    data = as_labeled(data, task, dataset)
    probs = trained.predict_proba(data.frame)
    predicted = [trained.labels[i] for i in probs.argmax(axis=1)]
    where = str(model_path or shipped_folder(task.name)) if isinstance(model, str) else "in-memory"
    return evaluate_predictions(
        task=task.name, model=where, dataset=data.name, metric=task.metric, labels=task.labels,
        y_true=data.frame["label"].tolist(), y_pred=predicted, probs=probs, split="as given",
    )  # fmt: skip
