"""Per-word news statistics as arrays, and the block of model inputs they give a word.

Built by :mod:`analyzer.classify.newsstats` from a news corpus; stored in the loaded-word model's
arrays and read back here at inference (numpy only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

CLIP = 5.0
ZIPF_SCALE = 9.0
SCALAR_NAMES = ("news_zipf", "news_partisan", "news_slant", "news_unknown")


@dataclass
class WordStats:
    """Per-word news statistics (see the module docstring); ``source`` says what they came from."""

    vocabulary: dict[str, int]
    zipf: np.ndarray
    partisan: np.ndarray
    slant: np.ndarray
    vectors: np.ndarray
    source: dict = field(default_factory=dict)

    def rows(self, words: Sequence[str], lemmas: Sequence[str]) -> np.ndarray:
        """Row of each word in the tables (its lemma's when the form is unknown), -1 when neither is."""
        get = self.vocabulary.get
        return np.array([get(w, get(lemma, -1)) for w, lemma in zip(words, lemmas, strict=True)], dtype=int)

    def block(self, words: Sequence[str], lemmas: Sequence[str], vector_scale: float) -> np.ndarray:
        """One row per word: the scalars of :data:`SCALAR_NAMES` (zipf and the z-scores scaled to
        about [-1, 1], ``news_unknown`` 1.0 for words without statistics) then the context vector
        times ``vector_scale`` (zeros when unknown)."""
        rows = self.rows(words, lemmas)
        known = rows >= 0
        at = np.where(known, rows, 0)
        out = np.zeros((len(rows), len(SCALAR_NAMES) + self.vectors.shape[1]))
        out[:, 0] = np.where(known, self.zipf[at] / ZIPF_SCALE, 0.0)
        out[:, 1] = np.where(known, self.partisan[at] / CLIP, 0.0)
        out[:, 2] = np.where(known, self.slant[at] / CLIP, 0.0)
        out[:, 3] = (~known).astype(float)
        out[:, len(SCALAR_NAMES) :] = self.vectors[at].astype(float) * (vector_scale * known[:, None])
        return out

    def feature_names(self) -> list[str]:
        return [*SCALAR_NAMES, *(f"news_vec{k}" for k in range(self.vectors.shape[1]))]
