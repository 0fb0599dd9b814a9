"""Columns, the analyzer's light model input, read like the DataFrame they stand for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from analyzer.classify import inference
from analyzer.classify.columns import Columns, as_frame
from analyzer.classify.features import TargetContext

TEXTS = ["The senator praised the reform.", "Critics called the plan a scam.", "The vote is on Tuesday."] * 4
LABELS = ["favor", "against", "none"] * 4


def test_scalars_repeat_on_every_row_and_the_frame_is_the_same_input():
    columns = Columns({"text": TEXTS[:3], "group": ""})
    assert len(columns) == 3
    assert columns["group"] == ["", "", ""]
    assert "text" in columns and "label" not in columns
    expected = pd.DataFrame({"text": TEXTS[:3], "group": ""}, dtype=object)
    pd.testing.assert_frame_equal(columns.frame(), expected)
    assert as_frame(columns).equals(expected)
    assert as_frame(expected) is expected


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        Columns({"text": ["a", "b"], "target_start": [0]})


def test_target_context_gives_the_same_columns_either_way():
    rows = {"text": TEXTS[:3], "target_start": [4, 0, 4], "target_end": [11, 7, 8]}
    from_frame = TargetContext(window=3).fit(None).transform(pd.DataFrame(rows, dtype=object))
    from_columns = TargetContext(window=3).fit(None).transform(Columns(rows))
    assert isinstance(from_columns, Columns)
    pd.testing.assert_frame_equal(from_columns.frame(), from_frame)


def test_an_estimator_the_fast_path_does_not_cover_gets_a_dataframe():
    seen = []

    def lengths(frame):
        seen.append(type(frame))
        return np.array([[len(t)] for t in frame["text"]])

    model = Pipeline(
        [
            ("features", FunctionTransformer(lengths)),
            ("classifier", LogisticRegression()),
        ]
    ).fit(pd.DataFrame({"text": TEXTS}, dtype=object), LABELS)
    seen.clear()
    got = inference.predict_proba(model, Columns({"text": TEXTS}))
    assert seen == [pd.DataFrame]
    assert np.array_equal(got, model.predict_proba(pd.DataFrame({"text": TEXTS}, dtype=object)))


def test_a_column_transformer_with_a_list_selection_falls_back_to_a_dataframe():
    lengths = FunctionTransformer(lambda frame: np.array([[len(t)] for t in frame["text"]], dtype=float))
    columns = ColumnTransformer([("words", TfidfVectorizer(), "text"), ("lengths", lengths, ["text"])])
    frame = pd.DataFrame({"text": TEXTS}, dtype=object)
    model = Pipeline([("columns", columns), ("classifier", LogisticRegression())]).fit(frame, LABELS)
    got = inference.predict_proba(model, Columns({"text": TEXTS}))
    assert np.array_equal(got, model.predict_proba(frame))
