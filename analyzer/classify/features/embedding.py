"""The sentence encoder's embedding as a feature block of a scikit-learn pipeline (topic stance)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..encoder import shared_encoder
from .base import TextTransformer, texts

DIMENSION_PREFIX = "embedding_"
"""Feature names of the embedding's dimensions: ``embedding_0`` ... (explanations sum them)."""


class SentenceEmbedding(TextTransformer):
    """The encoder's embedding of each text, times ``weight`` (the block's scale beside sparse
    n-gram blocks). Stateless: ``fit`` learns nothing, and the fitted model stores no weights of
    the encoder, only that it needs one."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, X: Any, y: Any = None) -> SentenceEmbedding:
        self.n_features_out_ = shared_encoder().dimension
        return self

    def transform(self, X: Any) -> np.ndarray:
        return shared_encoder().encode(texts(X)) * np.float32(self.weight)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array([f"{DIMENSION_PREFIX}{i}" for i in range(self.n_features_out_)], dtype=object)
