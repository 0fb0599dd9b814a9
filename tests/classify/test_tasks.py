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
    with pytest.raises(ParameterError, match="sentence_bias"):
        get_task("nope")


def test_group_weighted_gives_each_group_equal_weight():
    from analyzer.classify.estimators import GroupWeighted

    frame = pd.DataFrame(
        {"text": ["left words"] * 8 + ["right words"] * 2, "group": ["big"] * 8 + ["small"] * 2}
    )
    y = np.array(["left"] * 8 + ["right"] * 2)
    pipe = make_pipeline(make_column_transformer((CountVectorizer(), "text")), LogisticRegression())
    pipe.steps[-1] = ("classifier", pipe.steps[-1][1])
    model = GroupWeighted(pipe).fit(frame, y)
    probs = model.predict_proba(pd.DataFrame({"text": ["words"], "group": ["x"]}))
    # with equal group weights the shared word "words" is neutral: P(left) close to 1/2
    assert abs(probs[0, 0] - 0.5) < 0.1
    unweighted = clone(pipe).fit(frame, y).predict_proba(pd.DataFrame({"text": ["words"], "group": ["x"]}))
    assert unweighted[0, 0] > probs[0, 0]


def test_group_weighted_class_balanced_equalises_classes():
    from analyzer.classify.estimators import GroupWeighted

    frame = pd.DataFrame(
        {"text": ["left words"] * 9 + ["right words"] * 3, "group": ["a"] * 9 + ["b", "c", "d"]}
    )
    y = np.array(["left"] * 9 + ["right"] * 3)
    pipe = make_pipeline(make_column_transformer((CountVectorizer(), "text")), LogisticRegression())
    pipe.steps[-1] = ("classifier", pipe.steps[-1][1])
    probe = pd.DataFrame({"text": ["words"], "group": ["x"]})
    balanced = GroupWeighted(pipe, class_balanced=True).fit(frame, y).predict_proba(probe)
    # one left outlet against three right ones: group weights alone favour right, class balance does not
    only_groups = GroupWeighted(pipe).fit(frame, y).predict_proba(probe)
    assert abs(balanced[0, 0] - 0.5) < 0.05 and only_groups[0, 0] < balanced[0, 0]


def test_group_calibrated_balanced_decision_divides_by_training_prior():
    from analyzer.classify.estimators import GroupCalibrated

    rng = np.random.default_rng(0)
    n = 120
    y = np.where(rng.random(n) < 0.75, "left", "right")
    frame = pd.DataFrame(
        {"text": [f"{label} tok{rng.integers(5)}" if rng.random() < 0.6 else "noise" for label in y],
         "group": [f"g{i % 6}" for i in range(n)]}
    )  # fmt: skip
    model = GroupCalibrated(base(), balanced=True).fit(frame, y)
    assert np.allclose(model.class_prior_, [np.mean(y == "left"), np.mean(y == "right")])
    raw = model.predict_proba_trained_prior(frame)
    adjusted = model.predict_proba(frame)
    expected = raw / model.class_prior_
    assert np.allclose(adjusted, expected / expected.sum(axis=1, keepdims=True))
    assert list(model.predict(frame)) == list(model.classes_[adjusted.argmax(axis=1)])
    model.balanced = False
    assert np.allclose(model.predict_proba(frame), raw)
    assert build(get_task("leaning")).balanced and not build(get_task("sentence_bias")).balanced


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
