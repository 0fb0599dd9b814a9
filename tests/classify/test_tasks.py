"""Task estimators: the per-target classifier's contract and routing."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from analyzer.classify.estimators import PerTargetClassifier
from analyzer.classify.tasks import TASKS, build, get_task
from analyzer.errors import ParameterError
from tests.classify.contract import PARAMETER_CHECKS


def base():
    return make_pipeline(make_column_transformer((CountVectorizer(), "text")), LogisticRegression())


@pytest.mark.parametrize("check", PARAMETER_CHECKS, ids=lambda c: c.__name__)
def test_contract(check):
    check("PerTargetClassifier", PerTargetClassifier(base()))


def test_one_model_per_target_and_single_class_targets():
    frame = pd.DataFrame(
        {
            "text": ["good pro", "bad con", "good pro", "bad con", "anything", "anything else"],
            "target": ["A", "A", "A", "A", "B", "B"],
        }
    )
    y = np.array(["favor", "against", "favor", "against", "none", "none"])
    model = clone(PerTargetClassifier(base())).fit(frame, y)
    assert set(model.models_) == {"A", "B"} and list(model.classes_) == ["against", "favor", "none"]
    probs = model.predict_proba(frame)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert list(model.predict(frame)) == list(y)
    unseen = model.predict_proba(pd.DataFrame({"text": ["x"], "target": ["C"]}))
    assert np.allclose(unseen, 1 / 3)


def test_tasks_build_calibrated_estimators():
    assert set(TASKS) >= {"sentence_bias", "topic_stance"}
    assert type(build(get_task("topic_stance"))).__name__ == "CalibratedClassifierCV"
    assert type(build(get_task("sentence_bias"))).__name__ == "GroupCalibrated"
    assert (
        type(build(get_task("leaning"))).__name__ == "Pipeline"
    )  # calibration scored worse in its grouped CV
    with pytest.raises(ParameterError, match="sentence_bias"):
        get_task("nope")
    with pytest.raises(ParameterError, match="options of leaning"):
        build(get_task("leaning"), {"k": 10})


def test_further_mentions_become_training_rows_with_their_targets_label_and_group():
    from analyzer.classify.estimators import with_further_mentions

    frame = pd.DataFrame(
        {
            "text": ["Ann Lee said she lied.", "Bo won."],
            "target": ["Ann Lee", "Bo"],
            "target_start": [0, 0],
            "target_end": [7, 2],
            "group": ["g1", "g2"],
            "further_mentions": [[(13, 16, "she")], []],
        }
    )
    X, y = with_further_mentions(frame, ["against", "favor"])
    assert list(y) == ["against", "favor", "against"]
    extra = X.iloc[2]
    assert extra["text"][extra["target_start"] : extra["target_end"]] == extra["target"] == "she"
    assert extra["group"] == "g1" and len(X) == 3
    plain, labels = with_further_mentions(frame.drop(columns="further_mentions"), ["against", "favor"])
    assert len(plain) == 2 and list(labels) == ["against", "favor"]
    assert (
        build(get_task("entity_stance")).further_mentions
        and not build(get_task("sentence_bias")).further_mentions
    )
