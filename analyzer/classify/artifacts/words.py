"""Run an exported loaded-word model: which words of a parsed sentence an expert would mark.

The model (see :mod:`analyzer.classify.estimators.loaded_words`) has three parts, all stored as
arrays: a sentence model (word TF-IDF and a logistic regression, a ``linear`` graph node) giving
P(sentence is biased); a token model, a logistic regression over named features of each candidate
word (their weights by name), that sentence probability per part of speech and, when trained with
them, the word's news statistics; and a sigmoid calibration of the token model's score with the
decision threshold chosen in training.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from scipy.special import expit

from ..wordstats import WordStats
from .arrays import ModelArrays
from .score import GraphScorer


def sentence_block(pos: Sequence[str], p_sentence: np.ndarray, pos_order: Sequence[str]) -> np.ndarray:
    """Dense columns ``sp`` and ``sp:<POS>`` (one per part of speech of ``pos_order``), one row per
    candidate, from its part of speech and its sentence's probability of being biased."""
    block = np.zeros((len(pos), 1 + len(pos_order)))
    block[:, 0] = p_sentence
    for column, name in enumerate(pos_order, start=1):
        rows = np.array([p == name for p in pos], dtype=bool)
        block[rows, column] = block[rows, 0]
    return block


def hit_score(tokens: Iterable[int], scored: dict[int, float]) -> float | None:
    """A lexicon hit's score: the probability of its most loaded scored token (None when the model
    scored none of its tokens). Evaluation and the ``analyzer_loaded_words`` component both use it."""
    inside = [scored[k] for k in tokens if k in scored]
    return max(inside) if inside else None


class LoadedWordScorer:
    """The exported loaded-word model (see the module docstring)."""

    def __init__(self, graph: dict[str, Any], arrays: ModelArrays) -> None:
        self.sentence = GraphScorer(graph["sentence"], arrays)
        token = graph["token"]
        self.named = dict(zip(arrays.terms(token["names"]), arrays[token["weights"]].tolist(), strict=True))
        self.dense = arrays[token["dense"]]
        self.intercept = float(token["intercept"])
        self.pos_order = tuple(graph["pos_order"])
        self.a = float(graph["calibration"]["a"])
        self.b = float(graph["calibration"]["b"])
        self.threshold = float(graph["threshold"])
        self.sha256 = arrays.sha256
        news = graph.get("news")
        self.news: WordStats | None = None
        self.vector_scale = 0.0
        if news:
            self.vector_scale = float(news["vector_scale"])
            self.news = WordStats(
                vocabulary=arrays.vocabulary(news["vocabulary"]),
                zipf=arrays[news["zipf"]],
                partisan=arrays[news["partisan"]],
                slant=arrays[news["slant"]],
                vectors=arrays[news["vectors"]],
            )

    def sentence_probability(self, texts: Sequence[str]) -> np.ndarray:
        """P(biased) of each sentence from the sentence model."""
        return self.sentence.predict_proba({"text": list(texts)})[:, 1]

    def score_features(
        self,
        features: Sequence[dict[str, float]],
        pos: Sequence[str],
        p_sentence: np.ndarray,
        words: Sequence[str],
        lemmas: Sequence[str],
    ) -> np.ndarray:
        """Calibrated P(loaded) of candidates given their named features, parts of speech, their
        sentence's P(biased), and their lower-cased forms and lemmas (for the news statistics)."""
        get = self.named.get
        raw = np.fromiter(
            (sum(get(name, 0.0) * value for name, value in f.items()) for f in features),
            dtype=float,
            count=len(features),
        )
        block = sentence_block(pos, p_sentence, self.pos_order)
        raw += block @ self.dense[: block.shape[1]] + self.intercept
        if self.news is not None:
            raw += self.news.block(words, lemmas, self.vector_scale) @ self.dense[block.shape[1] :]
        return expit(raw * self.a + self.b)
