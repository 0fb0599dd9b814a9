"""Article leaning: an article -> left / center / right, as AllSides rates its outlet.

The recipe was chosen by cross-validation grouped by outlet over AllSides train + valid (66
outlets; ``benchmarks/leaning_cv.py``, ``docs/experiments/leaning_cv.md``): none of the richer
candidates (house-style scrubbing, outlet weighting, outlet-contrast term selection, calibration
with a balanced decision) beat this plain model there, so the plain model ships.
"""

from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .base import Task


def pipeline(options: dict[str, Any]) -> Pipeline:
    """Word 1-2-gram TF-IDF (sublinear tf, terms in at least 3 articles, at most ``max_features``)
    and a class-balanced logistic regression; the class is the most probable one."""
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=3, max_features=options["max_features"], sublinear_tf=True
    )
    classifier = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    return Pipeline([("features", ColumnTransformer([("words", words, "text")])), ("classifier", classifier)])


LEANING = Task(
    name="leaning",
    labels=("left", "center", "right"),
    metric="macro_f1",
    default_dataset="allsides",
    unit="article -> left / center / right",
    builder=pipeline,
    defaults={"C": 1.0, "max_features": 300_000},
    calibrated=False,
)
