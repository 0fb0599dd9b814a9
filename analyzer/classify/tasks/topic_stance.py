"""Topic stance: a text and one of the SemEval-2016 topics -> against / none / favor."""

from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler

from ..estimators import PerTargetClassifier
from ..features.embedding import SentenceEmbedding
from ..features.lexicon import LexiconCategoryCounts
from .base import Task


def pipeline(options: dict[str, Any]) -> PerTargetClassifier:
    """Word 1-3-grams, character 2-5-grams, lexicon categories and, with ``embedding_weight`` > 0,
    the text's sentence embedding scaled by that weight; one logistic regression per topic (stance
    words differ by topic: "pro-life" is against legal abortion, not against feminism)."""
    ngrams = [
        ("words", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True), "text"),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True), "text"),
    ]
    blocks: list[tuple[str, Any]] = [
        ("ngrams", ColumnTransformer(ngrams)),
        ("lexicon", Pipeline([("counts", LexiconCategoryCounts()), ("scale", MaxAbsScaler())])),
    ]
    if options["embedding_weight"] > 0:
        blocks.append(("embedding", SentenceEmbedding(weight=options["embedding_weight"])))
    classifier = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    return PerTargetClassifier(Pipeline([("features", FeatureUnion(blocks)), ("classifier", classifier)]))


TOPIC_STANCE = Task(
    name="topic_stance",
    labels=("against", "none", "favor"),
    metric="f_avg",
    default_dataset="semeval",
    unit="text + topic -> against / none / favor",
    builder=pipeline,
    defaults={"C": 1.0, "embedding_weight": 1.0},
    group_by=None,
    fold_ensemble=True,
)
