"""A word's prior chance of being marked as biased, from its spelling and its use in news.

:class:`~analyzer.classify.features.WordBiasRates` shrinks each word's annotation rate towards a
prior, so that words BABE shows rarely or never still get a rate. A prior from spelling alone
(character n-grams) tells "disgraceful" from "graceful" poorly; :class:`NewsWordPrior` adds what
:mod:`.newsstats` knows about the word from 26,590 AllSides articles: how rare it is, how partisan
and how slanted its use, and its context vector (words used like "slammed", such as "blasted" and
"lambasted", get similar vectors and so lend each other the annotators' evidence).

It is cheap to run. ``fit`` scores every word of the news vocabulary once and keeps those priors in a
table (``table_``); any other word is scored from its spelling, with the news inputs of a word
without statistics. A fitted prior therefore keeps neither the statistics nor their 40,000 context
vectors, only one float per word.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ..wordstats import SCALAR_NAMES, WordStats
from .newsstats import load_word_stats

UNKNOWN = SCALAR_NAMES.index("news_unknown")


class NewsWordPrior(ClassifierMixin, BaseEstimator):
    """Logistic regression over a word's character n-grams (2-5, TF-IDF) and its news block
    (:meth:`~analyzer.classify.newsstats.WordStats.block`: zipf, partisanship, slant, unknown flag,
    context vector times ``vector_scale``); see the module docstring.

    ``X`` is a sequence of lower-cased words; ``y`` 1 for a marked occurrence, 0 for an unmarked one
    (``sample_weight`` counts them). ``news`` is an AllSides folder (statistics built once per
    process, :func:`~analyzer.classify.newsstats.load_word_stats`) or the :class:`WordStats`.
    """

    def __init__(
        self, news: str | WordStats | None = None, C: float = 1.0, vector_scale: float = 3.0
    ) -> None:
        self.news = news
        self.C = C
        self.vector_scale = vector_scale

    def _stats(self) -> WordStats:
        if self.news is None:
            raise ValueError("NewsWordPrior needs news statistics (an AllSides folder or WordStats)")
        return self.news if isinstance(self.news, WordStats) else load_word_stats(str(self.news))

    def _inputs(self, words: Sequence[str], stats: WordStats | None) -> sparse.csr_matrix:
        """Character n-grams, then the news block (of a word without statistics when ``stats`` is
        None)."""
        chars = self.chars_.transform(words)
        if stats is not None:
            block = sparse.csr_matrix(stats.block(words, words, self.vector_scale))
        else:
            block = sparse.csr_matrix(
                (np.ones(len(words)), (np.arange(len(words)), np.full(len(words), UNKNOWN))),
                shape=(len(words), self.news_width_),
            )
        return sparse.hstack([chars, block], format="csr")

    def fit(
        self, X: Sequence[str], y: Sequence[int], sample_weight: Sequence[float] | None = None
    ) -> NewsWordPrior:
        words = [str(w) for w in X]
        stats = self._stats()
        self.news_width_ = len(stats.feature_names())
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(words)
        self.model_ = LogisticRegression(C=self.C, max_iter=3000)
        self.model_.fit(self._inputs(words, stats), np.asarray(y), sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        known = list(stats.vocabulary)
        positive = self.model_.predict_proba(self._inputs(known, stats))[:, 1]
        self.table_ = dict(zip(known, positive.tolist(), strict=True))
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """P(not marked), P(marked) per word: from ``table_`` for words with news statistics, else
        from the spelling with the news inputs of an unknown word."""
        words = [str(w) for w in X]
        positive = np.array([self.table_.get(w, np.nan) for w in words], dtype=float)
        missing = np.flatnonzero(np.isnan(positive))
        if len(missing):
            rest = [words[k] for k in missing]
            positive[missing] = self.model_.predict_proba(self._inputs(rest, None))[:, 1]
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
