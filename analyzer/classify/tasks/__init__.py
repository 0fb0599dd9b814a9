"""Classifier tasks: what each predicts, from which inputs, scored how, built from which features.

One module per task defines its :class:`Task`: labels, metric, default dataset, the option defaults
and a builder of the scikit-learn pipeline. :func:`build` wraps that pipeline in a calibrated
classifier (sigmoid, 3 internal folds: grouped by article or outlet where the task has groups,
else shuffled and stratified), so that its probabilities mean something, unless the task says
calibration scored worse in its grouped CV (``Task.calibrated``).
"""

from __future__ import annotations

from typing import Any

from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold

from ...errors import ParameterError
from ..estimators import GroupCalibrated
from .base import Task
from .entity_stance import ENTITY_STANCE
from .leaning import LEANING
from .sentence_bias import SENTENCE_BIAS
from .topic_stance import TOPIC_STANCE

TASKS: dict[str, Task] = {task.name: task for task in (SENTENCE_BIAS, ENTITY_STANCE, LEANING, TOPIC_STANCE)}

__all__ = ["TASKS", "Task", "build", "get_task"]


def get_task(name: str) -> Task:
    """The task called ``name``; a coded error lists the known ones."""
    if name not in TASKS:
        raise ParameterError("task", f"one of {', '.join(TASKS)}", name)
    return TASKS[name]


def build(task: Task, options: dict[str, Any] | None = None, calibrate: bool = True) -> Any:
    """An unfitted estimator for ``task`` (calibrated unless ``calibrate`` is false).

    Unknown option names are refused (coded error naming the task's options)."""
    unknown = set(options or {}) - set(task.defaults)
    if unknown:
        raise ParameterError(f"options of {task.name}", f"among {', '.join(task.defaults)}", sorted(unknown))
    settings = {**task.defaults, **(options or {})}
    estimator = task.builder(settings)
    if not calibrate or not task.calibrated:
        return estimator
    if task.group_by:
        return GroupCalibrated(
            estimator,
            ensemble=task.fold_ensemble,
            further_mentions=bool(settings.get("further_mentions", False)),
        )
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    return CalibratedClassifierCV(estimator, method="sigmoid", cv=folds, ensemble=task.fold_ensemble)
