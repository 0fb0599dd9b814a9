"""TF-IDF restricted to terms whose usage separates the labels *across outlets* (article leaning)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import f_classif
from sklearn.preprocessing import normalize

from ..text import scrub_house_style
from .base import TextTransformer, texts


def group_membership(groups: pd.Series) -> csr_matrix:
    """Rows: the distinct values of ``groups``; columns: the samples; 1 where a sample is in a group."""
    codes, uniques = pd.factorize(groups.astype(str))
    return csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(uniques), len(codes)))


def restricted(vectorizer: TfidfVectorizer, columns: np.ndarray) -> TfidfVectorizer:
    """A fitted copy of ``vectorizer`` whose vocabulary is only its terms at ``columns`` (same
    analysis settings and idf weights): its rows are normalised over those terms alone."""
    copy = clone(vectorizer)
    terms = vectorizer.get_feature_names_out()[columns]
    copy.set_params(vocabulary={term: i for i, term in enumerate(terms)}, max_features=None, min_df=1)
    copy.vocabulary_ = dict(copy.vocabulary)
    copy.fixed_vocabulary_ = True
    copy.idf_ = vectorizer.idf_[columns]
    return copy


class OutletContrastTfidf(TextTransformer):
    """TF-IDF over house-style-scrubbed text (:func:`~analyzer.classify.text.scrub_house_style`),
    keeping the ``k`` terms that best separate labels across outlets.

    ``fit`` (which needs ``y``) keeps the terms used by at least ``min_groups`` groups (outlets,
    ``X["group"]``), then scores each by an ANOVA F statistic computed on one observation per
    (outlet, label) pair with at least ``min_unit_docs`` articles: the pair's mean TF-IDF weight of
    the term. A term that only one prolific outlet uses scores low even when that outlet is large,
    because it counts as one observation, not thousands of articles. The fitted vectorizer keeps
    only the chosen terms, and rows are normalised over them.
    """

    def __init__(
        self,
        k: int = 5000,
        min_groups: int = 10,
        min_unit_docs: int = 10,
        ngram_range: tuple[int, int] = (1, 2),
        max_features: int = 300_000,
        scrub: bool = True,
    ) -> None:
        self.k = k
        self.min_groups = min_groups
        self.min_unit_docs = min_unit_docs
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.scrub = scrub

    def _prepare(self, X: object) -> list[str]:
        return [scrub_house_style(t) for t in texts(X)] if self.scrub else list(texts(X))

    def fit(self, X: pd.DataFrame, y: object = None) -> OutletContrastTfidf:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: pd.DataFrame, y: object = None, **fit_params: Any) -> csr_matrix:
        if y is None:
            raise ValueError("OutletContrastTfidf needs labels (y) to choose its terms")
        vectorizer = TfidfVectorizer(
            ngram_range=self.ngram_range, min_df=3, max_features=self.max_features, sublinear_tf=True
        )
        matrix = vectorizer.fit_transform(self._prepare(X))
        groups = X["group"].astype(str).reset_index(drop=True)
        spread = np.asarray(((group_membership(groups) @ (matrix > 0).astype(np.float32)) > 0).sum(axis=0))
        candidates = np.flatnonzero(spread.ravel() >= self.min_groups)
        labels = pd.Series(np.asarray(y)).astype(str)
        units = group_membership(groups + "\x1f" + labels)
        sizes = np.asarray(units.sum(axis=1)).ravel()
        unit_labels = pd.Series(pd.factorize(groups + "\x1f" + labels)[1]).str.split("\x1f").str[1]
        usable = sizes >= self.min_unit_docs
        if unit_labels[usable].nunique() < 2:
            usable = sizes > 0
        means = (units[usable] @ matrix[:, candidates]).toarray() / sizes[usable, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.nan_to_num(f_classif(means, unit_labels[usable].to_numpy())[0], posinf=np.inf)
        order = np.argsort(-scores, kind="stable")[: self.k]
        chosen = np.sort(candidates[order])
        self.vectorizer_ = restricted(vectorizer, chosen)
        self.n_features_out_ = len(chosen)
        return normalize(matrix[:, chosen].astype(np.float64))

    def transform(self, X: object) -> csr_matrix:
        return self.vectorizer_.transform(self._prepare(X))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()
