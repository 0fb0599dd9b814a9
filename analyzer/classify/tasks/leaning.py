"""Article leaning: an article -> left / center / right, as AllSides rates its outlet."""

from __future__ import annotations

from typing import Any

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ..estimators import GroupWeighted
from ..features.outlets import OutletContrastTfidf
from .base import Task


def pipeline(options: dict[str, Any]) -> GroupWeighted:
    """House-style-scrubbed TF-IDF restricted to the ``k`` terms that best separate leanings across
    outlets, and a logistic regression in which every outlet, then every class, weighs the same:
    the model should learn leanings, not the house style of the largest outlets."""
    words = OutletContrastTfidf(k=options["k"], min_groups=options["min_groups"])
    classifier = LogisticRegression(C=options["C"], max_iter=3000)
    return GroupWeighted(Pipeline([("features", words), ("classifier", classifier)]), class_balanced=True)


LEANING = Task(
    name="leaning",
    labels=("left", "center", "right"),
    metric="macro_f1",
    default_dataset="allsides",
    unit="article -> left / center / right",
    builder=pipeline,
    defaults={"C": 10.0, "k": 10000, "min_groups": 10},
    balanced_decision=True,
    fold_ensemble=True,
)
