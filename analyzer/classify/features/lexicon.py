"""Lexicon categories as features: per framing-lexicon category, the share of a text's words that
are lexicon terms (single-word terms, matched on lower-cased words and simple inflections)."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from ...lexicons import default_lexicon_path, load_lexicon
from ..text import lexicon_lookup, words
from .base import TextTransformer, texts


class LexiconCategoryCounts(TextTransformer):
    """Per category, the number of a text's words found in the lexicon, divided by the square root
    of its number of words (see the module docstring)."""

    def __init__(self, lexicon_path: str | None = None) -> None:
        self.lexicon_path = lexicon_path

    def fit(self, X: object, y: object = None) -> LexiconCategoryCounts:
        lexicon = load_lexicon(self.lexicon_path or default_lexicon_path())
        self.categories_ = sorted({e.category for e in lexicon.entries})
        index = {c: i for i, c in enumerate(self.categories_)}
        self.terms_ = {e.term: index[e.category] for e in lexicon.entries if " " not in e.term}
        self.n_features_out_ = len(self.categories_)
        return self

    def transform(self, X: object) -> csr_matrix:
        found: dict[str, int | None] = {}
        out = np.zeros((len(texts(X)), len(self.categories_)))
        for row, text in enumerate(texts(X)):
            tokens = words(text)
            for word in tokens:
                if word not in found:
                    found[word] = lexicon_lookup(word, self.terms_)
                if found[word] is not None:
                    out[row, found[word]] += 1
            out[row] /= max(len(tokens), 1) ** 0.5
        return csr_matrix(out)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"lexicon_{c}" for c in self.categories_])
