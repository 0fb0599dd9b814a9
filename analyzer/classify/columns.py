"""Columns: a model input as named lists, what the analyzer hands its classifiers on every call.

Why. ``Analyzer.analyze`` builds a few small model inputs per article (its sentences, its entity
mentions, the article itself). As pandas DataFrames they cost little when pandas' code is warm
(0.2 ms each), but the first one after the spaCy pipeline has run cost 2.3 ms (measured on the
sample corpus): the processor has to fetch pandas' long construction path back into its caches on
every call. A :class:`Columns` is a dict of lists with a row count: the fast inference path
(:mod:`.inference`) and this package's transformers read it directly; any other estimator gets
:meth:`Columns.frame`, the DataFrame the analyzer used to build, so results are the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


class Columns:
    """Named columns of equal length; a scalar value is repeated on every row (as in a DataFrame
    built from a dict)."""

    __slots__ = ("data", "rows")

    def __init__(self, data: Mapping[str, Any]) -> None:
        lengths = {len(v) for v in data.values() if isinstance(v, list | tuple)}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self.rows = lengths.pop() if lengths else 0
        self.data = {k: list(v) if isinstance(v, list | tuple) else [v] * self.rows for k, v in data.items()}

    def __getitem__(self, name: str) -> list:
        return self.data[name]

    def __contains__(self, name: object) -> bool:
        return name in self.data

    def __len__(self) -> int:
        return self.rows

    @property
    def columns(self) -> list[str]:
        """The column names, in order."""
        return list(self.data)

    def frame(self) -> pd.DataFrame:
        """The same input as a DataFrame of plain Python objects, for estimators that need one and
        for explanations: with pandas' default Arrow-backed strings, every vectorizer that iterates
        a text column would pay a conversion per value (same strings, so the same predictions)."""
        return pd.DataFrame(self.data, dtype=object)


def as_frame(X: Any) -> Any:
    """``X`` as a DataFrame when it is :class:`Columns`, otherwise ``X`` itself."""
    return X.frame() if isinstance(X, Columns) else X
