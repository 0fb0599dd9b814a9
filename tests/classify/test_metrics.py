import numpy as np
import pytest

from analyzer.classify.training.metrics import evaluate_predictions, expected_calibration_error, score


def test_macro_f1_and_f_avg_by_hand():
    y_true = ["favor", "against", "none", "against"]
    y_pred = ["favor", "none", "none", "against"]
    # favor: P=1 R=1 F=1; against: P=1 R=0.5 F=2/3; none: P=0.5 R=1 F=2/3
    assert score("macro_f1", y_true, y_pred) == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    assert score("f_avg", y_true, y_pred) == pytest.approx((1 + 2 / 3) / 2)


def test_ece_by_hand():
    probs = np.array([[0.85, 0.15], [0.83, 0.17], [0.35, 0.65], [0.38, 0.62]])
    y_true = ["a", "b", "b", "a"]
    # bin (0.8, 0.9]: confidences 0.85, 0.83 (mean 0.84), accuracy 1/2 -> gap 0.34, weight 1/2
    # bin (0.6, 0.7]: confidences 0.65, 0.62 (mean 0.635), accuracy 1/2 -> gap 0.135, weight 1/2
    assert expected_calibration_error(probs, y_true, ["a", "b"]) == pytest.approx(0.5 * 0.34 + 0.5 * 0.135)


def test_evaluation_fields():
    e = evaluate_predictions(
        task="t", model="m", dataset="d", metric="macro_f1", labels=["x", "y"],
        y_true=["x", "y", "y"], y_pred=["x", "x", "y"], probs=np.array([[0.6, 0.4], [0.6, 0.4], [0.2, 0.8]]),
    )  # fmt: skip
    data = e.to_dict()
    assert {"task", "model", "dataset", "n", "metric", "score", "per_class", "confusion", "ece"} <= set(data)
    assert data["confusion"] == [[1, 0], [1, 1]] and data["n"] == 3
    assert data["per_class"]["x"]["precision"] == pytest.approx(0.5)
