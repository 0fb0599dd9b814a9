"""Entity stance: a named target in a sentence -> against / neutral / favor toward it."""

from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler

from ..features.lexicon import LexiconCategoryCounts
from ..features.target import TargetContext
from .base import Task


def pipeline(options: dict[str, Any]) -> Pipeline:
    """The sentence with the target masked (word and character n-grams), the ``window`` words on
    each side of the target, and lexicon category shares around it; one logistic regression.

    With ``further_mentions`` (see :class:`~analyzer.classify.estimators.GroupCalibrated`) the
    other mentions NewsMTSC lists for each target ("she", "the senator") become training rows too;
    prediction is unchanged."""
    columns = ColumnTransformer(
        [
            ("masked", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), "masked"),
            (
                "masked_chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
                "masked",
            ),
            ("left", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "left"),
            ("right", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "right"),
        ]
    )
    features = FeatureUnion(
        [
            ("context", columns),
            ("lexicon", Pipeline([("counts", LexiconCategoryCounts()), ("scale", MaxAbsScaler())])),
        ]
    )
    classifier = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    return Pipeline(
        [("target", TargetContext(options["window"])), ("features", features), ("classifier", classifier)]
    )


ENTITY_STANCE = Task(
    name="entity_stance",
    labels=("against", "neutral", "favor"),
    metric="macro_f1",
    default_dataset="newsmtsc",
    unit="entity mention in a sentence -> against / neutral / favor",
    builder=pipeline,
    defaults={"C": 2.0, "window": 7, "further_mentions": True},
)
