"""What the text transformers share: reading the ``text`` column, selecting rows, string input."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin


def texts(X: object) -> Sequence[str]:
    """The ``text`` column of a frame (or the items of a sequence) as a list of str."""
    if isinstance(X, pd.DataFrame):
        return X["text"].astype(str).tolist()
    return [str(x) for x in X]  # type: ignore[union-attr]


def rows(X: object, index: np.ndarray) -> object:
    """The rows ``index`` of a frame or a sequence."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[index]
    return np.asarray(X, dtype=object)[index]


class TextTransformer(TransformerMixin, BaseEstimator):
    """Base for transformers of raw text: declares string input to scikit-learn's checks."""

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags
