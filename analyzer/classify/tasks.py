"""Classifier tasks: what each predicts, from which inputs, scored how, built from which features.

Each task builds a scikit-learn Pipeline from engineered features on top of word and character
n-grams and a linear classifier; :func:`build` wraps it in ``CalibratedClassifierCV`` so that its
probabilities are calibrated (sigmoid, 3 internal folds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler

from ..errors import ParameterError
from .features import LexiconCategoryCounts, WordBiasRates


@dataclass(frozen=True)
class Task:
    """A classification task and how it is trained and scored."""

    name: str
    labels: tuple[str, ...]
    metric: str
    default_dataset: str
    unit: str
    builder: Callable[[dict[str, Any]], Any]
    defaults: dict[str, Any] = field(default_factory=dict)


def _ngrams() -> list[tuple[str, Any, str]]:
    return [
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), "text"),
        (
            "chars",
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            "text",
        ),
    ]


def _sentence_bias(options: dict[str, Any]) -> Pipeline:
    features = FeatureUnion(
        [
            ("ngrams", ColumnTransformer(_ngrams())),
            ("word_bias", Pipeline([("rates", WordBiasRates()), ("scale", MaxAbsScaler())])),
            ("lexicon", Pipeline([("counts", LexiconCategoryCounts()), ("scale", MaxAbsScaler())])),
        ]
    )
    classifier = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    return Pipeline([("features", features), ("classifier", classifier)])


TASKS: dict[str, Task] = {
    "sentence_bias": Task(
        name="sentence_bias",
        labels=("biased", "non-biased"),
        metric="macro_f1",
        default_dataset="babe",
        unit="sentence -> P(biased)",
        builder=_sentence_bias,
        defaults={"C": 1.0},
    ),
}


def get_task(name: str) -> Task:
    """The task called ``name``; a coded error lists the known ones."""
    if name not in TASKS:
        raise ParameterError("task", f"one of {', '.join(TASKS)}", name)
    return TASKS[name]


def build(task: Task, options: dict[str, Any] | None = None, calibrate: bool = True) -> Any:
    """An unfitted estimator for ``task`` (calibrated unless ``calibrate`` is false)."""
    settings = {**task.defaults, **(options or {})}
    estimator = task.builder(settings)
    if calibrate:
        return CalibratedClassifierCV(estimator, method="sigmoid", cv=3)
    return estimator
