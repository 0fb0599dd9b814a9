"""Sentence bias: a sentence -> P(biased), as BABE's expert annotators judge loaded wording."""

from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from ..estimators import NBLogisticRegression, OutOfFoldScores
from ..features.word_bias import WordBiasRates
from .base import Task


def ngrams(min_df: int = 2) -> ColumnTransformer:
    """Word 1-2-grams and character 2-5-grams of the ``text`` column (TF-IDF, sublinear tf)."""
    return ColumnTransformer(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df), "text"),
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=min_df),
                "text",
            ),
        ]
    )


def pipeline(options: dict[str, Any]) -> Pipeline:
    """Stacked: two out-of-fold n-gram probabilities (a logistic regression and one over
    naive-Bayes-scaled n-grams, one featurization) next to word-bias-rate features, combined by a
    small logistic regression.

    ``prior_weight``: how strongly a word's annotation rate is shrunk towards its prior (spelling
    and, with ``news``, its news statistics times ``vector_scale``), so rare words borrow evidence
    from similar ones. ``news``: an AllSides folder (training resolves the default one)."""
    heads = [
        ("ngram_lr", LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)),
        ("ngram_nb", NBLogisticRegression(C=options["C"])),
    ]
    text = OutOfFoldScores(ngrams(), heads, folds=options["folds"])
    word_bias = WordBiasRates(
        prior_weight=options["prior_weight"],
        news=options.get("news") or None,
        vector_scale=options["vector_scale"],
    )
    features = FeatureUnion([("text", text), ("word_bias", word_bias)])
    classifier = LogisticRegression(C=options["stack_C"], max_iter=3000)
    return Pipeline(
        [("features", features), ("scale", StandardScaler(with_mean=False)), ("classifier", classifier)]
    )


SENTENCE_BIAS = Task(
    name="sentence_bias",
    labels=("biased", "non-biased"),
    metric="macro_f1",
    default_dataset="babe",
    unit="sentence -> P(biased)",
    builder=pipeline,
    defaults={"C": 1.0, "prior_weight": 60.0, "stack_C": 1.0, "folds": 5, "vector_scale": 3.0, "news": None},
    news=True,
)
