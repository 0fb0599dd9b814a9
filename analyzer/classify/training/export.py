"""Export a fitted scikit-learn pipeline as data: the graph and arrays that :mod:`.score` runs.

Training fits scikit-learn estimators and Pipelines; :func:`export_estimator` walks the fitted
object and writes, for each step it knows, the node of the scoring graph and the arrays it needs
(vocabularies in column order, idf, scales, weights, calibration parameters, word tables). A step
or setting it does not know raises ``ValueError`` naming it, rather than exporting something that
would score differently. ``tests/classify/test_artifacts.py`` checks, per task, that the exported
model gives the fitted pipeline's ``predict_proba``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler

from ..artifacts.arrays import LENGTHS, encode_terms
from ..estimators import (
    GroupCalibrated,
    NBLogisticRegression,
    OutOfFoldScores,
    PerTargetClassifier,
)
from ..estimators.loaded_words import POS_ORDER
from ..features.embedding import SentenceEmbedding
from ..features.lexicon import LexiconCategoryCounts
from ..features.target import TargetContext
from ..features.word_bias import WordBiasRates
from ..features.wordprior import NewsWordPrior
from ..wordstats import SCALAR_NAMES


class Exporter:
    """Collects the arrays of one model under unique, readable keys while nodes are built."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def add(self, key: str, array: Any) -> str:
        unique, n = key, 1
        while unique in self.arrays:
            n += 1
            unique = f"{key}.{n}"
        self.arrays[unique] = np.asarray(array)
        return unique

    def terms(self, key: str, terms: list[str]) -> str:
        """Store a list of terms (two arrays, see :func:`~..artifacts.arrays.encode_terms`)."""
        text, lengths = encode_terms(terms)
        unique = self.add(key, text)
        self.arrays[unique + LENGTHS] = lengths
        return unique

    # Classifiers -----------------------------------------------------------------------------

    def classifier(self, estimator: Any, key: str) -> dict[str, Any]:
        """The classifier node of a fitted estimator (probabilities in ``classes_`` order)."""
        if isinstance(estimator, GroupCalibrated):
            return self.classifier(estimator.calibrated_, key)
        if isinstance(estimator, CalibratedClassifierCV):
            return self._calibrated(estimator, key)
        if isinstance(estimator, PerTargetClassifier):
            models = {
                str(target): self.classifier(model, f"{key}.{target}")
                for target, model in estimator.models_.items()
            }
            return {"op": "per_target", "column": "target", "classes": _labels(estimator), "models": models}
        if isinstance(estimator, DummyClassifier) and estimator.strategy == "prior":
            probs = [float(p) for p in estimator.class_prior_]
            return {"op": "constant", "classes": _labels(estimator), "probs": probs}
        if isinstance(estimator, Pipeline):
            return self.linear(estimator, key)
        raise ValueError(f"cannot export a {type(estimator).__name__} as a classifier")

    def _calibrated(self, estimator: CalibratedClassifierCV, key: str) -> dict[str, Any]:
        members = []
        for number, member in enumerate(estimator.calibrated_classifiers_):
            if member.method != "sigmoid":
                raise ValueError(f"cannot export calibration method {member.method!r} (sigmoid only)")
            inner = member.estimator
            if list(inner.classes_) != list(estimator.classes_):
                raise ValueError("a calibration fold saw fewer classes than the model; train on more rows")
            response = "decision" if hasattr(inner, "decision_function") else "proba"
            model_key = f"{key}.member{number}"
            model = (
                self.linear(inner, model_key) if response == "decision" else self.classifier(inner, model_key)
            )
            a = [float(calibrator.a_) for calibrator in member.calibrators]
            b = [float(calibrator.b_) for calibrator in member.calibrators]
            members.append({"model": model, "response": response, "a": a, "b": b})
        return {"op": "calibrated", "classes": _labels(estimator), "members": members}

    def linear(self, pipeline: Any, key: str) -> dict[str, Any]:
        """A Pipeline of preparation and feature steps ending in a logistic regression."""
        if not isinstance(pipeline, Pipeline):
            raise ValueError(f"cannot export a {type(pipeline).__name__} as a linear model")
        steps = [step for _, step in pipeline.steps]
        classifier = steps[-1]
        prepare = []
        while steps[:-1] and isinstance(steps[0], TargetContext):
            prepare.append({"op": "target_context", "window": int(steps[0].window)})
            steps = steps[1:]
        if not isinstance(classifier, LogisticRegression):
            raise ValueError(f"cannot export a pipeline ending in {type(classifier).__name__}")
        node: dict[str, Any] = {
            "op": "linear",
            "classes": _labels(classifier),
            "features": self.chain(steps[:-1], f"{key}.features"),
            "weights": self.add(f"{key}.weights", np.ascontiguousarray(classifier.coef_.T)),
            "intercept": self.add(f"{key}.intercept", classifier.intercept_),
        }
        if prepare:
            node["prepare"] = prepare
        return node

    # Features --------------------------------------------------------------------------------

    def chain(self, steps: list[Any], key: str) -> dict[str, Any]:
        """The feature node of consecutive transformer steps (the first reads columns; scalers
        after it rescale its output)."""
        if not steps:
            raise ValueError("a linear model needs at least one feature step")
        node = self.features(steps[0], key)
        for number, step in enumerate(steps[1:], start=1):
            node = self._rescaled(node, step, f"{key}.{number}")
        return node

    def _rescaled(self, node: dict[str, Any], step: Any, key: str) -> dict[str, Any]:
        if isinstance(step, MaxAbsScaler) and not step.clip:
            return {"op": "divide", "input": node, "by": self.add(f"{key}.scale", step.scale_)}
        if isinstance(step, StandardScaler) and not step.with_mean:
            if step.scale_ is None:
                return node
            return {"op": "divide", "input": node, "by": self.add(f"{key}.scale", step.scale_)}
        raise ValueError(f"cannot export a {type(step).__name__} after a feature step")

    def features(self, step: Any, key: str, column: str = "text") -> dict[str, Any]:
        """The feature node of a fitted transformer reading ``column``, named after its step (the
        last part of ``key``: explanations list a feature as ``name: column``)."""
        node = self._features(step, key, column)
        node.setdefault("name", key.rsplit(".", 1)[-1])
        return node

    def _features(self, step: Any, key: str, column: str) -> dict[str, Any]:
        if isinstance(step, Pipeline):
            return self.chain([s for _, s in step.steps], key)
        if isinstance(step, FeatureUnion):
            weights = step.transformer_weights or {}
            parts = [(name, s) for name, s in step.transformer_list if not _dropped(s)]
            return {
                "op": "union",
                "parts": [self.features(s, f"{key}.{name}", column) for name, s in parts],
                "weights": [float(weights.get(name, 1.0)) for name, _ in parts],
            }
        if isinstance(step, ColumnTransformer):
            return self._columns(step, key)
        if isinstance(step, TfidfVectorizer):
            return self._tfidf(step, key, column)
        if isinstance(step, LexiconCategoryCounts):
            terms = list(step.terms_)
            return {
                "op": "lexicon_counts",
                "column": column,
                "categories": list(step.categories_),
                "terms": self.terms(f"{key}.terms", terms),
                "categories_of": self.add(f"{key}.categories_of", [step.terms_[t] for t in terms]),
            }
        if isinstance(step, WordBiasRates):
            return self._word_bias(step, key, column)
        if isinstance(step, OutOfFoldScores):
            return self._positive_scores(step, key)
        if isinstance(step, SentenceEmbedding):
            return {"op": "embedding", "column": column, "weight": float(step.weight)}
        raise ValueError(f"cannot export a {type(step).__name__} as a feature step")

    def _columns(self, step: ColumnTransformer, key: str) -> dict[str, Any]:
        if step.transformer_weights:
            raise ValueError("cannot export a ColumnTransformer with transformer_weights")
        parts = []
        for name, transformer, selection in step.transformers_:
            if _dropped(transformer):
                continue
            if not isinstance(selection, str):
                raise ValueError(f"cannot export column selection {selection!r}: one column name per step")
            parts.append(self.features(transformer, f"{key}.{name}", selection))
        return {"op": "union", "parts": parts, "weights": [1.0] * len(parts)}

    def _tfidf(self, vectorizer: TfidfVectorizer, key: str, column: str) -> dict[str, Any]:
        unsupported = {
            name: getattr(vectorizer, name)
            for name in ("preprocessor", "tokenizer", "stop_words", "strip_accents")
            if getattr(vectorizer, name) is not None
        }
        if vectorizer.input != "content" or vectorizer.analyzer not in ("word", "char_wb") or unsupported:
            raise ValueError(f"cannot export TF-IDF settings {unsupported or vectorizer.analyzer!r}")
        vocabulary = vectorizer.vocabulary_
        terms = sorted(vocabulary, key=vocabulary.__getitem__)
        node: dict[str, Any] = {
            "op": "tfidf",
            "column": column,
            "analyzer": vectorizer.analyzer,
            "ngram_range": list(vectorizer.ngram_range),
            "lowercase": bool(vectorizer.lowercase),
            "token_pattern": vectorizer.token_pattern,
            "binary": bool(vectorizer.binary),
            "sublinear_tf": bool(vectorizer.sublinear_tf),
            "norm": vectorizer.norm,
            "vocabulary": self.terms(f"{key}.vocabulary", terms),
            "idf": self.add(f"{key}.idf", vectorizer.idf_) if vectorizer.use_idf else None,
        }
        return node

    def _positive_scores(self, step: OutOfFoldScores, key: str) -> dict[str, Any]:
        heads = [_binary_linear(model) for model in step.classifiers_]
        return {
            "op": "positive_scores",
            "columns": [f"oof_{name}" for name, _ in step.classifiers],
            "features": self.features(step.features_, f"{key}.features"),
            "weights": self.add(f"{key}.weights", np.column_stack([h.coef_.ravel() for h in heads])),
            "intercept": self.add(f"{key}.intercept", np.concatenate([h.intercept_ for h in heads])),
        }

    def _word_bias(self, step: WordBiasRates, key: str, column: str) -> dict[str, Any]:
        node: dict[str, Any] = {"op": "word_bias", "column": column, "with_prior": step.prior_weight > 0}
        prior = step.prior_
        if prior is None:
            table = {word: (rate, rate) for word, rate in step.rates_.items() if word}
            node["fallback"] = None
        else:
            known = set(step.counts_) | (set(prior.table_) if isinstance(prior, NewsWordPrior) else set())
            vocabulary = sorted(word for word in known if word)
            p = prior.predict_proba(vocabulary)[:, 1]
            counts = np.array([step.counts_.get(word, (0, 0)) for word in vocabulary], dtype=float)
            rates = (counts[:, 0] + step.prior_weight * p) / (counts[:, 1] + step.prior_weight)
            table = dict(zip(vocabulary, zip(rates.tolist(), p.tolist(), strict=True), strict=True))
            node["fallback"] = self._spelling_prior(prior, f"{key}.fallback")
        words = sorted(table)
        node["words"] = self.terms(f"{key}.words", words)
        node["values"] = self.add(f"{key}.values", np.array([table[w] for w in words], dtype=float))
        return node

    def _spelling_prior(self, prior: Any, key: str) -> dict[str, Any]:
        """The prior of a word outside the table, from its spelling: a linear node over the
        character n-grams of the ``text`` column (the word), with the news inputs of an unknown
        word folded into the intercept."""
        if isinstance(prior, NewsWordPrior):
            chars, model = prior.chars_, prior.model_
            width = len(chars.vocabulary_)
            unknown = float(model.coef_[0, width + SCALAR_NAMES.index("news_unknown")])
            return {
                "op": "linear",
                "classes": _labels(model),
                "features": {**self._tfidf(chars, f"{key}.chars", "text"), "name": "chars"},
                "weights": self.add(f"{key}.weights", np.ascontiguousarray(model.coef_[:, :width].T)),
                "intercept": self.add(f"{key}.intercept", model.intercept_ + unknown),
            }
        return self.linear(prior, key)


def _binary_linear(model: Any) -> LogisticRegression:
    if isinstance(model, NBLogisticRegression):
        model = model.model_
    if not isinstance(model, LogisticRegression) or len(model.classes_) != 2:
        raise ValueError(f"cannot export a stacked head of type {type(model).__name__}")
    return model


def _dropped(step: Any) -> bool:
    return isinstance(step, str) and step == "drop"


def _labels(estimator: Any) -> list[str]:
    return [str(label) for label in estimator.classes_]


def export_estimator(estimator: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The scoring graph and arrays of a fitted classifier (see the module docstring)."""
    exporter = Exporter()
    graph = exporter.classifier(estimator, "model")
    return graph, exporter.arrays


def export_loaded_words(model: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The graph and arrays of a fitted loaded-word model (see :mod:`.words`)."""
    exporter = Exporter()
    sentence_model, vectorizer, token_model = model.core_
    names = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    coef = token_model.coef_[0]
    graph: dict[str, Any] = {
        "op": "loaded_words",
        "sentence": exporter.linear(sentence_model, "sentence"),
        "token": {
            "names": exporter.terms("token.names", names),
            "weights": exporter.add("token.weights", coef[: len(names)]),
            "dense": exporter.add("token.dense", coef[len(names) :]),
            "intercept": float(token_model.intercept_[0]),
        },
        "pos_order": list(POS_ORDER),
        "calibration": {
            "a": float(model.calibrator_.coef_[0, 0]),
            "b": float(model.calibrator_.intercept_[0]),
        },
        "threshold": float(model.threshold_),
        "news": None,
    }
    news = model.news
    if news is not None:
        terms = sorted(news.vocabulary, key=news.vocabulary.__getitem__)
        graph["news"] = {
            "vector_scale": float(model.vector_scale),
            "vocabulary": exporter.terms("news.vocabulary", terms),
            "zipf": exporter.add("news.zipf", news.zipf),
            "partisan": exporter.add("news.partisan", news.partisan),
            "slant": exporter.add("news.slant", news.slant),
            "vectors": exporter.add("news.vectors", news.vectors),
        }
    return graph, exporter.arrays
