"""Run an exported model: class probabilities from plain arrays and a small JSON graph.

A model file holds no code. Its ``model.json`` describes the computation as nested nodes, each an
``op`` with its settings, naming arrays of ``model.npz`` by key; this module evaluates them with
numpy and scipy's public API (no scikit-learn: its exact version no longer matters at inference).
:mod:`.export` writes the graph from a fitted scikit-learn pipeline, and a test per shipped model
checks that both give the same probabilities.

Inputs are *columns*: a mapping from column name to one value per row (``text``, and for entity
stance ``target_start`` / ``target_end``, for topic stance ``target``).

Classifier nodes (rows -> probabilities, columns in the node's ``classes`` order):

- ``linear``: ``prepare`` steps, a ``features`` node, then ``weights`` (features x classes, or
  x 1 for two classes) and ``intercept``; probabilities by the logistic function (two classes) or
  the softmax.
- ``calibrated``: the mean over ``members`` of sigmoid-calibrated scores: each member's model gives
  a decision (``response`` ``decision``) or probabilities (``proba``); one sigmoid per class
  column, ``1 / (1 + exp(a * s + b))``, normalised to sum 1 (two classes: the second class's
  sigmoid and its complement).
- ``per_target``: one model per value of the ``target`` column (uniform for an unseen value).
- ``constant``: the same probabilities for every row.
- ``encoder_stance``: a fine-tuned encoder reading the target in its sentence (columns ``text``,
  ``target_start``, ``target_end``), see :mod:`.stance`.

Feature nodes (rows -> matrix): ``tfidf`` (word or ``char_wb`` n-grams of a column), ``union`` (blocks side by side, each times its weight), ``divide`` (each column
divided by a scale), ``lexicon_counts``, ``word_bias``, ``positive_scores`` (the second-class
probability of several two-class linear heads over one block, one column each) and ``embedding``
(the sentence encoder's vector times a weight).

Prepare steps (columns -> columns): ``target_context`` (:func:`~analyzer.classify.text.target_context`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from scipy.special import expit, softmax

from ..encoder import shared_encoder
from ..text import (
    char_wb_ngrams,
    char_wb_words,
    lexicon_lookup,
    target_context,
    word_ngrams,
    words,
)
from .arrays import ModelArrays
from .stance import EncoderStance

WORD_CACHE_LIMIT = 200_000
"""Character n-gram blocks remember each word's columns; past this many words they start over."""
Columns = Mapping[str, Sequence[Any]]


@dataclass(frozen=True)
class Entries:
    """A sparse feature block as its non-zero entries: each entry's row, column and value.

    A linear model needs nothing more of it: row ``r``'s score is the sum of ``value x weight`` over
    its entries, one weighted count per class (:meth:`__matmul__`)."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        """``self @ weights`` for dense ``weights`` (features x classes)."""
        height = self.shape[0]
        return np.column_stack(
            [
                np.bincount(self.rows, weights=self.values * column[self.columns], minlength=height)
                for column in weights.T
            ]
        ).reshape(height, weights.shape[1])

    def toarray(self) -> np.ndarray:
        dense = np.zeros(self.shape)
        np.add.at(dense, (self.rows, self.columns), self.values)
        return dense

    @classmethod
    def of(cls, block: Any) -> Entries:
        """``block`` itself, or the non-zero entries of a dense array."""
        if isinstance(block, Entries):
            return block
        rows, columns = np.nonzero(block)
        return cls(rows, columns, np.asarray(block, dtype=float)[rows, columns], block.shape)


Matrix = Entries | np.ndarray
"""A feature block: sparse (:class:`Entries`) or a dense numpy array."""


def row_count(columns: Columns) -> int:
    """The number of rows of ``columns`` (all columns have that many values)."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    return lengths.pop() if lengths else 0


def _subset(columns: Columns, rows: np.ndarray) -> dict[str, list[Any]]:
    return {name: [values[i] for i in rows] for name, values in columns.items()}


def _text_column(columns: Columns, name: str) -> list[str]:
    return [value if isinstance(value, str) else str(value) for value in columns[name]]


class GraphScorer:
    """Probabilities of an exported model (see the module docstring); stateless between calls
    apart from caches of what depends on one word alone."""

    def __init__(self, graph: dict[str, Any], arrays: ModelArrays) -> None:
        self.graph = graph
        self.arrays = arrays
        self._char_columns: dict[int, dict[str, np.ndarray]] = {}
        self._lexicons: dict[int, _WordCategories] = {}
        self._encoders: dict[int, EncoderStance] = {}

    @property
    def classes(self) -> list[str]:
        return list(self.graph["classes"])

    def predict_proba(self, columns: Columns) -> np.ndarray:
        """Probabilities, one row per input row, columns in :attr:`classes` order."""
        if row_count(columns) == 0:
            return np.zeros((0, len(self.classes)))
        return self.probabilities(self.graph, columns)

    # Classifier nodes ------------------------------------------------------------------------

    def probabilities(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        op = node["op"]
        if op == "linear":
            return _logistic(self.decision(node, columns))
        if op == "calibrated":
            return np.mean([self._calibrated(member, node, columns) for member in node["members"]], axis=0)
        if op == "per_target":
            return self._per_target(node, columns)
        if op == "constant":
            return np.tile(np.asarray(node["probs"], dtype=float), (row_count(columns), 1))
        if op == "encoder_stance":
            return self.encoder(node).probabilities(columns)
        raise ValueError(f"unknown classifier op {op!r}")

    def encoder(self, node: dict[str, Any]) -> EncoderStance:
        """The numpy encoder of an ``encoder_stance`` node (built once: it dequantizes the weights)."""
        found = self._encoders.get(id(node))
        if found is None:
            found = self._encoders[id(node)] = EncoderStance(node, self.arrays)
        return found

    def truncated(self, columns: Columns) -> list[bool]:
        """Per row: whether the model's encoder had to cut the row's input (always False for a
        model without an encoder)."""
        if self.graph["op"] != "encoder_stance":
            return [False] * row_count(columns)
        return self.encoder(self.graph).truncated(columns)

    def decision(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        """A ``linear`` node's scores: ``features @ weights + intercept`` (rows x weight columns)."""
        for step in node.get("prepare", ()):
            columns = self.prepare(step, columns)
        features = self.features(node["features"], columns)
        scores = features @ self.arrays[node["weights"]]
        return np.asarray(scores) + self.arrays[node["intercept"]]

    def _calibrated(self, member: dict[str, Any], node: dict[str, Any], columns: Columns) -> np.ndarray:
        model = member["model"]
        if member["response"] == "decision":
            scores = self.decision(model, columns)
        else:
            scores = self.probabilities(model, columns)
            if scores.shape[1] == 2:
                scores = scores[:, 1:]
        a, b = np.asarray(member["a"]), np.asarray(member["b"])
        calibrated = expit(-(scores * a + b))
        if len(node["classes"]) == 2:
            return np.column_stack([1.0 - calibrated[:, 0], calibrated[:, 0]])
        total = calibrated.sum(axis=1, keepdims=True)
        uniform = np.full_like(calibrated, 1.0 / calibrated.shape[1])
        return np.divide(calibrated, total, out=uniform, where=total != 0)

    def _per_target(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        classes = list(node["classes"])
        targets = list(columns[node["column"]])
        out = np.full((len(targets), len(classes)), 1.0 / len(classes))
        for target, model in node["models"].items():
            rows = np.array([i for i, value in enumerate(targets) if value == target], dtype=int)
            if len(rows):
                place = [classes.index(label) for label in model["classes"]]
                out[rows] = 0.0
                out[np.ix_(rows, place)] = self.probabilities(model, _subset(columns, rows))
        return out

    # Prepare steps ---------------------------------------------------------------------------

    def prepare(self, step: dict[str, Any], columns: Columns) -> Columns:
        if step["op"] == "target_context":
            return target_context(
                _text_column(columns, "text"), columns["target_start"], columns["target_end"], step["window"]
            )
        raise ValueError(f"unknown prepare op {step['op']!r}")

    # Feature nodes ---------------------------------------------------------------------------

    def features(self, node: dict[str, Any], columns: Columns) -> Matrix:
        op = node["op"]
        handler: Callable[[dict[str, Any], Columns], Matrix] | None = getattr(self, f"_{op}", None)
        if op not in FEATURE_OPS or handler is None:
            raise ValueError(f"unknown feature op {op!r}")
        return handler(node, columns)

    def _union(self, node: dict[str, Any], columns: Columns) -> Matrix:
        """The parts side by side (each times its weight)."""
        parts = [self.features(part, columns) for part in node["parts"]]
        weights = node["weights"]
        if not any(isinstance(part, Entries) for part in parts):
            return np.hstack([part * weight for part, weight in zip(parts, weights, strict=True)])
        entries = [Entries.of(part) for part in parts]
        offsets = np.cumsum([0] + [part.shape[1] for part in entries])
        return Entries(
            np.concatenate([part.rows for part in entries]),
            np.concatenate([part.columns + offset for part, offset in zip(entries, offsets, strict=False)]),
            np.concatenate([part.values * weight for part, weight in zip(entries, weights, strict=True)]),
            (entries[0].shape[0], int(offsets[-1])),
        )

    def _divide(self, node: dict[str, Any], columns: Columns) -> Matrix:
        matrix = self.features(node["input"], columns)
        scale = self.arrays[node["by"]]
        if not isinstance(matrix, Entries):
            return matrix / scale
        return Entries(matrix.rows, matrix.columns, matrix.values / scale[matrix.columns], matrix.shape)

    def _tfidf(self, node: dict[str, Any], columns: Columns) -> Entries:
        texts = _text_column(columns, node["column"])
        vocabulary = self.arrays.vocabulary(node["vocabulary"])
        found = (
            self._char_terms(node, texts, vocabulary)
            if node["analyzer"] == "char_wb"
            else [
                _known(terms, vocabulary)
                for terms in map(
                    word_ngrams(node["token_pattern"], tuple(node["ngram_range"]), node["lowercase"]), texts
                )
            ]
        )
        return _tfidf_rows(
            found, len(vocabulary), node, self.arrays[node["idf"]] if node.get("idf") else None
        )

    def _char_terms(
        self, node: dict[str, Any], texts: list[str], vocabulary: Mapping[str, int]
    ) -> list[list[int]]:
        """Each text's character n-gram columns (repeats kept), from each word's columns, which
        are worked out once per word and remembered."""
        columns_of = self._char_columns.setdefault(id(node), {})
        if len(columns_of) > WORD_CACHE_LIMIT:
            columns_of.clear()
        ngram_range = tuple(node["ngram_range"])
        found = []
        for text in texts:
            ids: list[int] = []
            for word in char_wb_words(text, node["lowercase"]):
                known = columns_of.get(word)
                if known is None:
                    known = columns_of[word] = _known(char_wb_ngrams(word, ngram_range), vocabulary)
                ids += known
            found.append(ids)
        return found

    def _lexicon_counts(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        found = self._lexicons.get(id(node))
        if found is None:
            category_of = self.arrays[node["categories_of"]]
            terms = self.arrays.vocabulary(node["terms"])
            values = {term: int(category_of[k]) for term, k in terms.items()}
            found = self._lexicons[id(node)] = _WordCategories(values)
        texts = _text_column(columns, node["column"])
        out = np.zeros((len(texts), len(node["categories"])))
        for row, text in enumerate(texts):
            tokens = words(text)
            for category in map(found.__getitem__, tokens):
                if category is not None:
                    out[row, category] += 1
            out[row] /= max(len(tokens), 1) ** 0.5
        return out

    def _word_bias(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        table = self.arrays.vocabulary(node["words"])
        values = self.arrays[node["values"]]
        texts = _text_column(columns, node["column"])
        tokens = [words(text) or [""] for text in texts]
        unknown = sorted({word for row in tokens for word in row if word not in table})
        pairs = {
            word: (rate, prior)
            for word, (rate, prior) in zip(
                unknown, [(p, p) for p in self._prior_of_unknown(node, unknown)], strict=True
            )
        }
        for word in {word for row in tokens for word in row if word in table}:
            pairs[word] = tuple(values[table[word]].tolist())
        out = [
            word_bias_row([pairs[w][0] for w in row], [pairs[w][1] for w in row], node["with_prior"])
            for row in tokens
        ]
        return np.array(out, dtype=float).reshape(len(texts), -1)

    def _prior_of_unknown(self, node: dict[str, Any], unknown: list[str]) -> np.ndarray:
        """Rate and prior of words outside the table: the prior from the word's spelling (its
        character n-grams' linear model), or 0 for a model without a prior (the empty string,
        a text's stand-in when it has no words, is always 0)."""
        fallback = node.get("fallback")
        if fallback is None or not unknown:
            return np.zeros(len(unknown))
        scores = self.decision(fallback, {"text": unknown})[:, 0]
        return np.where(np.array(unknown) == "", 0.0, expit(scores))

    def _positive_scores(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        matrix = self.features(node["features"], columns)
        return expit(np.asarray(matrix @ self.arrays[node["weights"]]) + self.arrays[node["intercept"]])

    def _embedding(self, node: dict[str, Any], columns: Columns) -> np.ndarray:
        texts = _text_column(columns, node["column"])
        return shared_encoder().encode(texts) * np.float32(node["weight"])


WORD_BIAS_NAMES = ("wordbias_max", "wordbias_sum", "wordbias_n_over_0.3", "wordbias_n_over_0.1")
WORD_BIAS_PRIOR_NAMES = ("wordbias_top3_mean", "wordbias_prior_max", "wordbias_prior_top3_mean")


def word_bias_row(rates: Sequence[float], priors: Sequence[float], with_prior: bool) -> list[float]:
    """A sentence's word-bias features from its words' rates and priors (:data:`WORD_BIAS_NAMES`,
    and :data:`WORD_BIAS_PRIOR_NAMES` when the rates have a prior)."""
    features = [max(rates), float(sum(rates)), sum(r > 0.3 for r in rates), sum(r > 0.1 for r in rates)]
    if with_prior:
        top_rates, top_priors = sorted(rates)[-3:], sorted(priors)[-3:]
        features += [sum(top_rates) / len(top_rates), max(priors), sum(top_priors) / len(top_priors)]
    return [float(value) for value in features]


class _WordCategories(dict):
    """A lexicon's ``word -> category`` look-up (:func:`~analyzer.classify.text.lexicon_lookup`,
    inflections included), remembered per word; None for a word outside the lexicon."""

    def __init__(self, terms: dict[str, int]) -> None:
        super().__init__()
        self.terms = terms

    def __missing__(self, word: str) -> int | None:
        if len(self) > WORD_CACHE_LIMIT:
            self.clear()
        found = self[word] = lexicon_lookup(word, self.terms)
        return found


FEATURE_OPS = frozenset(
    {"union", "divide", "tfidf", "lexicon_counts", "word_bias", "positive_scores", "embedding"}
)


def _known(terms: list[str], vocabulary: Mapping[str, int]) -> list[int]:
    """The vocabulary columns of the ``terms`` it holds, repeats kept."""
    get = vocabulary.get
    return [column for column in map(get, terms) if column is not None]


def _tfidf_rows(found: list[list[int]], width: int, node: dict[str, Any], idf: np.ndarray | None) -> Entries:
    """TF-IDF rows from each row's vocabulary columns (repeats kept): terms counted, weighted
    (binary, sublinear tf, idf as the node says) and each row scaled to unit ``norm``.

    Every (row, column) pair is one key ``row * width + column``: sorting the keys counts each pair
    once, for all rows together."""
    lengths = [len(ids) for ids in found]
    rows = np.repeat(np.arange(len(found), dtype=np.int64), lengths)
    keys, counts = np.unique(
        rows * width + np.fromiter(chain.from_iterable(found), np.int64, sum(lengths)), return_counts=True
    )
    row_of, column_of = np.divmod(keys, width)
    values = np.ones(len(keys)) if node.get("binary") else counts.astype(float)
    if node["sublinear_tf"]:
        values = np.log(values) + 1.0
    if idf is not None:
        values *= idf[column_of]
    norm = node["norm"]
    if norm is not None:
        if norm not in ("l1", "l2"):
            raise ValueError(f"norm must be 'l1', 'l2' or None, not {norm!r}")
        sizes = np.bincount(
            row_of, weights=values * values if norm == "l2" else np.abs(values), minlength=len(found)
        )
        sizes = np.sqrt(sizes) if norm == "l2" else sizes
        values /= np.where(sizes > 0, sizes, 1.0)[row_of]
    return Entries(row_of, column_of, values, (len(found), width))


def _logistic(scores: np.ndarray) -> np.ndarray:
    """Probabilities from linear scores: two classes from one column (logistic), else softmax."""
    if scores.shape[1] == 1:
        positive = expit(scores[:, 0])
        return np.column_stack([1.0 - positive, positive])
    return softmax(scores, axis=1)
