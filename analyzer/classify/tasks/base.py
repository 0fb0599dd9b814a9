"""The description of a classifier task."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Task:
    """A classification task and how it is trained and scored.

    ``group_by``: the input column whose values stay on one side of calibration folds (None:
    shuffled folds). ``calibrated``: the pipeline is wrapped in sigmoid calibration (False: its own
    probabilities are used, where calibration scored worse in the task's grouped CV).
    ``fold_ensemble``: the calibration folds' models are kept and averaged instead of one refitted
    model. ``news``: training resolves the ``news`` option (the AllSides folder of the news
    statistics) when it is not given."""

    name: str
    labels: tuple[str, ...]
    metric: str
    default_dataset: str
    unit: str
    builder: Callable[[dict[str, Any]], Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    group_by: str | None = "group"
    calibrated: bool = True
    fold_ensemble: bool = False
    news: bool = False
