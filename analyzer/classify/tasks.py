"""Classifier tasks: what each predicts, from which inputs, scored how, built from which features.

Each task builds a scikit-learn Pipeline from engineered features on top of word and character
n-grams and a linear classifier; :func:`build` wraps it in ``CalibratedClassifierCV`` so that its
probabilities are calibrated (sigmoid, 3 internal folds: grouped by article or outlet where the task
has groups, else shuffled and stratified). Tasks with ``balanced_decision`` (``leaning``) re-weight
the calibrated probabilities to a uniform class prior before the argmax (see :class:`GroupCalibrated`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler

from ..errors import ParameterError
from .dependency import TargetDependencies
from .embedding import SentenceEmbedding
from .features import (
    LexiconCategoryCounts,
    OutletContrastTfidf,
    OutOfFoldProbability,
    TargetContext,
    WordBiasRates,
)
from .stacking import NBLogisticRegression, OutOfFoldScores
from .vectorize import CharNgramTfidf


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
    group_by: str | None = "group"
    balanced_decision: bool = False
    fold_ensemble: bool = False
    news: bool = False
    """Whether training resolves the ``news`` option (the AllSides folder of the news statistics,
    see :func:`~analyzer.classify.training.with_news`) when it is not given."""


def _ngrams() -> list[tuple[str, Any, str]]:
    return [
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), "text"),
        (
            "chars",
            CharNgramTfidf(ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            "text",
        ),
    ]


def _sentence_bias(options: dict[str, Any]) -> Pipeline:
    """Stacked: out-of-fold n-gram probabilities next to word-bias-rate features (with a prior for
    rare words), combined by a small logistic regression.

    Three changes took 5-fold CV grouped by article from macro-F1 0.767 to 0.782, at about no cost
    per article (settings chosen on those same folds, so the number is optimistic):

    - ``news`` (an AllSides folder; training resolves the default one, see
      :func:`~analyzer.classify.training.with_news`): the rare-word prior sees each word's news
      statistics as well as its spelling (:class:`~analyzer.classify.wordprior.NewsWordPrior`,
      context vectors times ``vector_scale``), kept as a per-word table. 0.767 -> 0.777
      (``vector_scale`` 1: 0.774, 6: 0.777 with ``nb``).
    - ``nb``: next to the n-gram logistic regression, a second one over the same n-grams scaled by
      naive-Bayes ratios (:class:`~analyzer.classify.stacking.NBLogisticRegression`), both from one
      featurization (:class:`~analyzer.classify.stacking.OutOfFoldScores`). 0.777 -> 0.778; as a
      replacement of the plain model instead: 0.772.
    - ``prior_weight`` 5 -> 60: with a better prior, a word's rate leans on it more than on its few
      BABE counts. 0.778 -> 0.782 (15: 0.780, 30: 0.781). Chosen by an inner CV in each outer
      fold instead (nested), the score is 0.7798: the weight barely matters (README).
    """
    regression = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    if options.get("nb", False):
        heads = [("ngram_lr", regression), ("ngram_nb", NBLogisticRegression(C=options["C"]))]
        text: Any = OutOfFoldScores(ColumnTransformer(_ngrams()), heads, folds=options["folds"])
    else:
        text_model = Pipeline([("ngrams", ColumnTransformer(_ngrams())), ("classifier", regression)])
        text = OutOfFoldProbability(text_model, folds=options["folds"])
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


class PerTargetClassifier(ClassifierMixin, BaseEstimator):
    """One clone of ``estimator`` per value of ``X["target"]`` (stance words differ by topic:
    "pro-life" is against legal abortion, not against feminism); probabilities over all classes."""

    def __init__(self, estimator: Any = None) -> None:
        self.estimator = estimator

    def fit(self, X: pd.DataFrame, y: Any) -> PerTargetClassifier:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        self.models_ = {}
        for target in pd.unique(X["target"]):
            rows = (X["target"] == target).to_numpy()
            single_class = len(np.unique(y[rows])) < 2
            model = DummyClassifier(strategy="prior") if single_class else clone(self.estimator)
            self.models_[target] = model.fit(X[rows], y[rows])
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.combine(X, lambda model, rows: model.predict_proba(rows))

    def combine(self, X: pd.DataFrame, predict: Callable[[Any, pd.DataFrame], np.ndarray]) -> np.ndarray:
        """Probabilities over all classes, each row from its target's model through
        ``predict(model, rows)`` (uniform for a target not seen in training)."""
        out = np.full((len(X), len(self.classes_)), 1.0 / len(self.classes_))
        for target, model in self.models_.items():
            rows = (X["target"] == target).to_numpy()
            if rows.any():
                columns = np.searchsorted(self.classes_, model.classes_)
                out[rows] = 0.0
                out[np.ix_(rows, columns)] = predict(model, X[rows])
        return out

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class GroupWeighted(ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` (a Pipeline ending in a step named ``classifier``) with every group of
    ``X["group"]`` (e.g. each outlet) weighing the same in total, so that prolific outlets do not
    dominate what the model learns about a leaning.

    With ``class_balanced`` the weights are then rescaled so that every class also weighs the same
    in total (groups stay equal within their class): the decision is not pulled toward the class
    that happens to have the most outlets or articles in training.
    """

    def __init__(self, estimator: Any = None, class_balanced: bool = False) -> None:
        self.estimator = estimator
        self.class_balanced = class_balanced

    def fit(self, X: pd.DataFrame, y: Any) -> GroupWeighted:
        groups = X["group"].astype(str)
        weights = 1.0 / groups.map(groups.value_counts()).to_numpy(dtype=float)
        if self.class_balanced:
            labels = np.asarray(y)
            for label in np.unique(labels):
                weights[labels == label] /= weights[labels == label].sum()
        self.estimator_ = clone(self.estimator).fit(X, y, classifier__sample_weight=weights / weights.mean())
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.estimator_.predict_proba(X)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.estimator_.predict(X)


def _leaning(options: dict[str, Any]) -> GroupWeighted:
    """House-style-scrubbed TF-IDF, terms chosen by how they separate leanings across outlets,
    logistic regression with outlet- and class-balanced weights. ``k`` = 10,000 terms (was 5,000):
    media-split valid macro-F1 0.351 -> 0.371 (2,500 terms: 0.324), against 0.303 for the plain
    baseline (benchmarks/leaning_baseline.py); the model still runs one sparse product per article.
    ``chosen_norm`` (rows normalised over the kept terms, a vocabulary of ``k`` terms instead of
    300,000): valid macro-F1 0.371 -> 0.369, ECE 0.077 -> 0.070, leaning scoring after the spaCy
    stage 4.1 -> 2.2 ms per article, model file 12.6 -> 1.3 MB."""
    words = OutletContrastTfidf(
        k=options["k"], min_groups=options["min_groups"], chosen_norm=options["chosen_norm"]
    )
    classifier = LogisticRegression(C=options["C"], max_iter=3000)
    return GroupWeighted(Pipeline([("features", words), ("classifier", classifier)]), class_balanced=True)


def _topic_stance(options: dict[str, Any]) -> PerTargetClassifier:
    """Word and character n-grams, lexicon categories and, with ``embedding_weight`` > 0, the text's
    sentence embedding (:class:`~.embedding.SentenceEmbedding`, scaled by that weight), one
    logistic regression per topic. The embedding block lifts 5-fold CV F_avg 0.667 -> 0.708 and val
    0.718 -> 0.756 (see the model card); 0 leaves it out (no encoder needed)."""
    ngrams = [
        ("words", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True), "text"),
        ("chars", CharNgramTfidf(ngram_range=(2, 5), sublinear_tf=True), "text"),
    ]
    blocks: list[tuple[str, Any]] = [
        ("ngrams", ColumnTransformer(ngrams)),
        ("lexicon", Pipeline([("counts", LexiconCategoryCounts()), ("scale", MaxAbsScaler())])),
    ]
    if options["embedding_weight"] > 0:
        blocks.append(("embedding", SentenceEmbedding(weight=options["embedding_weight"])))
    features = FeatureUnion(blocks)
    classifier = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    return PerTargetClassifier(Pipeline([("features", features), ("classifier", classifier)]))


def _entity_stance(options: dict[str, Any]) -> Pipeline:
    """Masked sentence, target windows (``window`` words each side) and lexicon shares, fitted on the
    main mentions and, with ``further_mentions`` (see :class:`GroupCalibrated`), on the further
    mentions NewsMTSC lists for each target too: with ``window`` 7, rw dev macro-F1 0.691 -> 0.703
    and mt dev 0.581 -> 0.599 (window 6 -> 7 alone: 0.696 / 0.597; further mentions alone at 6:
    0.695 / 0.603), at no inference cost. With ``parse_weight`` > 0 also the
    target's dependency-parse tokens (:class:`TargetDependencies`), their TF-IDF block scaled by
    that weight. They separate the targets of one sentence: at 0.3 (window 6, main mentions only),
    mt dev macro-F1 0.581 -> 0.632 and rw dev 0.691 -> 0.692 (ECE 0.095 -> 0.082). Off by default: the transformer parses each
    sentence again (about +35 ms per article, more than the whole classifier budget) until it
    reuses the analyzer's own parse."""
    columns = ColumnTransformer(
        [
            ("masked", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), "masked"),
            (
                "masked_chars",
                CharNgramTfidf(ngram_range=(2, 5), sublinear_tf=True, min_df=2),
                "masked",
            ),
            ("left", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "left"),
            ("right", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "right"),
            *(
                [("clause", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), "clause")]
                if options["clause"]
                else []
            ),
        ]
    )
    features = FeatureUnion(
        [
            ("context", columns),
            ("lexicon", Pipeline([("counts", LexiconCategoryCounts()), ("scale", MaxAbsScaler())])),
        ]
    )
    classifier = LogisticRegression(C=options["C"], class_weight="balanced", max_iter=3000)
    context = [("target", TargetContext(options["window"])), ("features", features)]
    if not options["parse_weight"]:
        return Pipeline([*context, ("classifier", classifier)])
    parse = Pipeline(
        [
            ("tokens", TargetDependencies()),
            ("tfidf", TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=2)),
            ("scale", MaxAbsScaler()),
        ]
    )
    union = FeatureUnion(
        [("context", Pipeline(context)), ("parse", parse)],
        transformer_weights={"context": 1.0, "parse": options["parse_weight"]},
    )
    return Pipeline([("features", union), ("classifier", classifier)])


TASKS: dict[str, Task] = {
    "sentence_bias": Task(
        name="sentence_bias",
        labels=("biased", "non-biased"),
        metric="macro_f1",
        default_dataset="babe",
        unit="sentence -> P(biased)",
        builder=_sentence_bias,
        defaults={
            "C": 1.0,
            "prior_weight": 60.0,
            "stack_C": 1.0,
            "folds": 5,
            "vector_scale": 3.0,
            "news": None,
            "nb": True,
        },
        news=True,
    ),
    "entity_stance": Task(
        name="entity_stance",
        labels=("against", "neutral", "favor"),
        metric="macro_f1",
        default_dataset="newsmtsc",
        unit="entity mention in a sentence -> against / neutral / favor",
        builder=_entity_stance,
        defaults={"C": 2.0, "window": 7, "clause": False, "parse_weight": 0.0, "further_mentions": True},
    ),
    "leaning": Task(
        name="leaning",
        labels=("left", "center", "right"),
        metric="macro_f1",
        default_dataset="allsides",
        unit="article -> left / center / right",
        builder=_leaning,
        defaults={"C": 10.0, "k": 10000, "min_groups": 10, "chosen_norm": True},
        balanced_decision=True,
        fold_ensemble=True,
    ),
    "topic_stance": Task(
        name="topic_stance",
        labels=("against", "none", "favor"),
        metric="f_avg",
        default_dataset="semeval",
        unit="text + topic -> against / none / favor",
        builder=_topic_stance,
        defaults={"C": 1.0, "embedding_weight": 1.0},
        group_by=None,
        fold_ensemble=True,
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
    if not calibrate:
        return estimator
    if task.group_by:
        return GroupCalibrated(
            estimator,
            balanced=task.balanced_decision,
            ensemble=task.fold_ensemble,
            further_mentions=bool(settings.get("further_mentions", False)),
        )
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    return CalibratedClassifierCV(estimator, method="sigmoid", cv=folds, ensemble=task.fold_ensemble)


def with_further_mentions(X: pd.DataFrame, y: Any) -> tuple[pd.DataFrame, np.ndarray]:
    """``X`` and ``y`` followed by one row per entry of ``X["further_mentions"]`` (when present): the
    same sentence, label and group, that mention as the target span."""
    y = np.asarray(y)
    if "further_mentions" not in X.columns:
        return X, y
    positions, starts, ends, mentions = [], [], [], []
    for position, entries in enumerate(X["further_mentions"]):
        for start, end, mention in entries if isinstance(entries, list | tuple) else ():
            positions.append(position)
            starts.append(int(start))
            ends.append(int(end))
            mentions.append(mention)
    if not positions:
        return X, y
    extra = X.iloc[positions].copy()
    extra["target_start"], extra["target_end"] = starts, ends
    if "target" in extra.columns:
        extra["target"] = mentions
    extra["further_mentions"] = [[] for _ in positions]
    return pd.concat([X, extra], ignore_index=True), np.concatenate([y, y[positions]])


class GroupCalibrated(ClassifierMixin, BaseEstimator):
    """``CalibratedClassifierCV`` whose internal folds keep each ``X["group"]`` (article, outlet)
    on one side: calibrating on rows whose group was also in the fitting part would teach the
    calibrator the model's over-confidence on known groups, not on new ones.

    Models. By default one model is refitted on all rows and the calibrator learns from the folds'
    out-of-fold scores (one model to store and run: a third of the cost of the fold ensemble, same
    dev scores for sentence bias and entity stance). With ``ensemble`` the fold models themselves
    are kept and averaged: for leaning on the media-split valid file that scored macro-F1 0.35
    against 0.26 for the refitted model, and topic stance on SemEval val F_avg 0.718 against 0.699,
    so both keep their ensembles (they run once per article or per user target, not per sentence).

    Decision rule. Calibrated probabilities carry the training set's class mix as their prior, so
    their argmax leans toward the classes most frequent in training. With ``balanced`` the
    probabilities are re-weighted to a uniform class prior, ``p(c|x) / prior(c)`` renormalised
    (``prior`` = the training class shares, kept in ``class_prior_``), and ``predict`` is their
    argmax: the balanced decision that suits a macro-averaged score on data whose class mix is
    unknown. The unadjusted probabilities stay available from :meth:`predict_proba_trained_prior`.

    Further mentions. With ``further_mentions`` (entity stance), ``fit`` also trains on each row's
    other mentions of the same target (``X["further_mentions"]``: ``(start, end, mention)`` in the
    same sentence, e.g. "her" and "she" after "Hillary Clinton"), each a row of its own with the
    row's label and group (so it stays on its row's side of the calibration folds). Only fitting
    changes: prediction scores the rows it is given.
    """

    further_mentions: bool = False
    """Class default, for models pickled before the parameter existed."""

    def __init__(
        self,
        estimator: Any = None,
        method: str = "sigmoid",
        n_splits: int = 3,
        balanced: bool = False,
        ensemble: bool = False,
        further_mentions: bool = False,
    ) -> None:
        self.estimator = estimator
        self.method = method
        self.n_splits = n_splits
        self.balanced = balanced
        self.ensemble = ensemble
        self.further_mentions = further_mentions

    def fit(self, X: pd.DataFrame, y: Any) -> GroupCalibrated:
        if self.further_mentions:
            X, y = with_further_mentions(X, y)
        groups = X["group"].astype(str).to_numpy()
        splits = list(GroupKFold(self.n_splits).split(X, y, groups))
        self.calibrated_ = CalibratedClassifierCV(
            clone(self.estimator), method=self.method, cv=splits, ensemble=self.ensemble
        ).fit(X, y)
        self.classes_ = self.calibrated_.classes_
        labels = np.asarray(y)
        self.class_prior_ = np.array([(labels == c).mean() for c in self.classes_])
        return self

    def predict_proba_trained_prior(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities under the training class mix (no re-weighting)."""
        return self.calibrated_.predict_proba(X)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.decision_probabilities(self.calibrated_.predict_proba(X))

    def decision_probabilities(self, probs: np.ndarray) -> np.ndarray:
        """Calibrated probabilities ``probs`` under the decision rule: as they are, or with
        ``balanced`` re-weighted to a uniform class prior."""
        if not self.balanced:
            return probs
        adjusted = probs / self.class_prior_
        return adjusted / adjusted.sum(axis=1, keepdims=True)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
