"""A sentence and a target span as text columns, for entity stance (see
:func:`analyzer.classify.text.target_context`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text import target_context
from .base import TextTransformer


class TargetContext(TextTransformer):
    """Rewrite each (``text``, ``target_start``, ``target_end``) row as the columns ``masked``,
    ``left``, ``right`` (``window`` tokens each side), ``clause`` and ``text``."""

    def __init__(self, window: int = 6) -> None:
        self.window = window

    def fit(self, X: pd.DataFrame, y: object = None) -> TargetContext:
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        columns = target_context(X["text"].astype(str), X["target_start"], X["target_end"], self.window)
        return pd.DataFrame(columns, dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["masked", "left", "right", "clause", "text"])
