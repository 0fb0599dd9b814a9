"""Sentence features from word-level bias annotations (BABE's ``biased_words``).

For every word, how often annotators marked it as biased where it occurs, learned from the training
rows; a sentence gets the maximum, sum and counts above thresholds of its words' rates
(:func:`~analyzer.classify.artifacts.score.word_bias_row`). During ``fit_transform`` the training
rows get out-of-fold values (cross-fitting), so the classifier is trained on the same kind of
evidence it sees on new text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline

from ..artifacts.score import WORD_BIAS_NAMES, WORD_BIAS_PRIOR_NAMES, word_bias_row
from ..text import words
from ..wordstats import WordStats
from .base import TextTransformer, rows, texts
from .wordprior import NewsWordPrior


class WordBiasRates(TextTransformer):
    """Sentence features from word-level bias annotations (see the module docstring).

    With ``prior_weight > 0`` a word's rate is shrunk towards a prior learned from its spelling:
    a logistic regression over the character n-grams of the training vocabulary, each word weighted
    by how often it was and was not marked, so that unseen or rare words ("demagoguery",
    "-ists") get a rate from the words they resemble. The rate is then
    ``(marked + prior_weight * prior) / (seen + prior_weight)``.

    With ``news`` (an AllSides folder or :class:`~analyzer.classify.wordstats.WordStats`) the prior
    also sees each word's news statistics (:class:`~.wordprior.NewsWordPrior`, context vectors
    times ``vector_scale``): words BABE rarely shows then borrow the evidence of the words used like
    them in news, not only of the words spelt like them.
    """

    def __init__(
        self,
        smoothing: float = 2.0,
        folds: int = 5,
        random_state: int = 0,
        prior_weight: float = 0.0,
        prior_C: float = 1.0,
        news: str | WordStats | None = None,
        vector_scale: float = 3.0,
    ) -> None:
        self.smoothing = smoothing
        self.folds = folds
        self.random_state = random_state
        self.prior_weight = prior_weight
        self.prior_C = prior_C
        self.news = news
        self.vector_scale = vector_scale

    def fit(self, X: pd.DataFrame, y: object = None) -> WordBiasRates:
        sentences = texts(X)
        marked = (
            X["biased_words"].tolist()
            if isinstance(X, pd.DataFrame) and "biased_words" in X
            else [[]] * len(sentences)
        )
        seen: dict[str, int] = {}
        biased: dict[str, int] = {}
        for text, annotated in zip(sentences, marked, strict=True):
            flagged = {w.lower() for w in (annotated or [])}
            for word in set(words(text)):
                seen[word] = seen.get(word, 0) + 1
                if word in flagged:
                    biased[word] = biased.get(word, 0) + 1
        self.rates_ = {w: biased[w] / (seen[w] + self.smoothing) for w in biased}
        self.counts_ = {w: (biased.get(w, 0), n) for w, n in seen.items()}
        self.prior_ = self._fit_prior(seen, biased) if self.prior_weight > 0 and biased else None
        self._values: dict[str, np.ndarray] = {}
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def _fit_prior(self, seen: dict[str, int], biased: dict[str, int]) -> Pipeline | NewsWordPrior:
        vocabulary = list(seen)
        marked = np.array([biased.get(w, 0) for w in vocabulary], dtype=float)
        unmarked = np.array([seen[w] for w in vocabulary], dtype=float) - marked
        weights = np.concatenate([marked, unmarked])
        keep = weights > 0
        words_twice = np.asarray(vocabulary * 2, dtype=object)[keep]
        labels = np.concatenate([np.ones(len(vocabulary)), np.zeros(len(vocabulary))])[keep]
        if self.news is not None:
            news_prior = NewsWordPrior(self.news, C=self.prior_C, vector_scale=self.vector_scale)
            return news_prior.fit(words_twice, labels, sample_weight=weights[keep])
        prior = Pipeline(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
                ("model", LogisticRegression(C=self.prior_C, max_iter=3000)),
            ]
        )
        return prior.fit(words_twice, labels, model__sample_weight=weights[keep])

    def word_values(self, vocabulary: list[str]) -> np.ndarray:
        """Each word's rate and prior (one row each): the annotation rate shrunk towards the prior
        when there is one, else the plain rate (0 for a word never marked) as both. Both depend on
        the word alone, so each word is worked out once per fit (cross-validation transforms the
        same words many times)."""
        known = self.__dict__.setdefault("_values", {})
        new = [word for word in dict.fromkeys(vocabulary) if word not in known]
        if new:
            known.update(zip(new, self._new_values(new), strict=True))
        return np.array([known[word] for word in vocabulary]).reshape(len(vocabulary), 2)

    def _new_values(self, vocabulary: list[str]) -> np.ndarray:
        if self.prior_ is None:
            rates = np.array([self.rates_.get(w, 0.0) for w in vocabulary], dtype=float)
            return np.column_stack([rates, rates])
        prior = self.prior_.predict_proba(vocabulary)[:, 1] if vocabulary else np.zeros(0)
        counts = np.array([self.counts_.get(w, (0, 0)) for w in vocabulary], dtype=float).reshape(-1, 2)
        weight = self.prior_weight
        return np.column_stack([(counts[:, 0] + weight * prior) / (counts[:, 1] + weight), prior])

    def transform(self, X: object) -> csr_matrix:
        tokens = [words(text) for text in texts(X)]
        vocabulary = sorted({word for row in tokens for word in row})
        values = dict(zip(vocabulary, self.word_values(vocabulary), strict=True))
        values[""] = np.zeros(2)  # a text without words counts as one word of rate and prior 0
        out = np.zeros((len(tokens), len(self.get_feature_names_out())))
        for number, row in enumerate(tokens):
            pairs = np.array([values[word] for word in row or [""]])
            out[number] = word_bias_row(pairs[:, 0].tolist(), pairs[:, 1].tolist(), self.prior_weight > 0)
        return csr_matrix(out)

    def fit_transform(self, X: pd.DataFrame, y: object = None, **fit_params: Any) -> csr_matrix:
        n = len(texts(X))
        if n < 2 * self.folds:
            return self.fit(X).transform(X)
        out = np.zeros((n, len(self.get_feature_names_out())))
        for train, held in KFold(self.folds, shuffle=True, random_state=self.random_state).split(
            np.arange(n)
        ):
            part = clone(self).fit(rows(X, train))
            out[held] = part.transform(rows(X, held)).toarray()
        self.fit(X)
        return csr_matrix(out)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        names = list(WORD_BIAS_NAMES)
        if self.prior_weight > 0:
            names += WORD_BIAS_PRIOR_NAMES
        return np.array(names)
