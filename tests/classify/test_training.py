"""Train, save, load and evaluate on real BABE sentences (a subset, to stay fast)."""

import json
import subprocess
import sys

import pytest

from analyzer import evaluate, load_trained, read_dataset, train
from analyzer.classify.artifacts.files import ModelIntegrityError
from analyzer.classify.data.datasets import LabeledData
from analyzer.classify.features.newsstats import build_word_stats
from tests.conftest import SHARED

BABE = SHARED / "data" / "babe"
pytestmark = [pytest.mark.skipif(not BABE.is_dir(), reason=f"BABE not found under {BABE}"), pytest.mark.slow]


@pytest.fixture(scope="module")
def babe_subset():
    data = read_dataset("babe", BABE)
    frame = data.frame.sample(800, random_state=0).reset_index(drop=True)
    return LabeledData("babe-subset", frame, data.sources, data.sha256, data.group_source)


@pytest.fixture(scope="module")
def trained(babe_subset, tmp_path_factory):
    """Trained with small news statistics from the subset's own text (the AllSides ones take
    minutes to build)."""
    texts = babe_subset.frame["text"].tolist()
    leanings = [("left", "center", "right")[k % 3] for k in range(len(texts))]
    news = build_word_stats(texts, leanings, vocabulary=2000, window=3, dimensions=10, source={"test": 1})
    out = tmp_path_factory.mktemp("models") / "sentence_bias"
    return train("sentence_bias", babe_subset, cv=3, out=out, news=news), out


def test_news_statistics_are_recorded_by_their_source(trained):
    model, out = trained
    assert model.metadata["features"]["options"]["news"]["test"] == 1
    assert json.loads((out / "model.json").read_text())["features"]["options"]["news"]["test"] == 1


def test_cv_scores_are_real(trained):
    model, _ = trained
    assert model.cv.split == "3-fold CV grouped by news_link"
    assert 0.55 < model.cv.score <= 1.0 and model.cv.ece is not None and model.cv.n == 800


def test_saved_model_round_trip(trained, babe_subset):
    model, out = trained
    loaded = load_trained("sentence_bias", out)
    assert loaded.metadata["training_data"]["sha256"] == babe_subset.sha256
    assert (
        loaded.predict_proba(babe_subset.frame.head(20)) == model.predict_proba(babe_subset.frame.head(20))
    ).all()
    again = evaluate(loaded, babe_subset)
    assert again.score > model.cv.score  # scored on its own training data


def test_tampered_shipped_model_is_refused(trained, tmp_path):
    _, out = trained
    copy = tmp_path / "m"
    copy.mkdir()
    for name in ("model.npz", "model.json", "model.sha256"):
        (copy / name).write_bytes((out / name).read_bytes())
    blob = bytearray((copy / "model.npz").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (copy / "model.npz").write_bytes(bytes(blob))
    with pytest.raises(ModelIntegrityError):
        load_trained("sentence_bias", copy)


def test_cli_evaluate_prints_one_json_object(trained, tmp_path, babe_subset):
    _, out = trained
    data = tmp_path / "dev.csv"
    babe_subset.frame.head(100).to_csv(data, index=False)
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", "evaluate", "--task", "sentence_bias", "--model", str(out),
         "--data", str(data), "--dataset", "csv", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"task", "model", "dataset", "n", "metric", "score", "per_class", "confusion", "ece"} <= set(
        result
    )
    assert result["n"] == 100 and result["metric"] == "macro_f1" and 0 <= result["score"] <= 1


def test_explanations_add_up_to_the_linear_score(trained, babe_subset):
    model, _ = trained
    row = babe_subset.frame.head(1)
    prediction = model.predictions(row)[0]
    assert prediction.label in ("biased", "non-biased") and abs(sum(prediction.probs.values()) - 1) < 1e-3
    terms = prediction.explain(top=None, label="biased")
    linear = []
    for calibrated in model.estimator.calibrated_.calibrated_classifiers_:
        pipeline = calibrated.estimator
        toward_biased = 1 if list(pipeline.classes_).index("biased") == 1 else -1
        linear.append(toward_biased * (pipeline.decision_function(row)[0] - pipeline[-1].intercept_[0]))
    assert sum(v for _, v in terms) == pytest.approx(sum(linear) / len(linear), abs=1e-4)
    assert model.metadata["export_check"]["max_abs_difference"] <= 1e-9
    top = prediction.explain(top=5)
    assert len(top) == 5 and all(": " in name for name, _ in top)
    assert [abs(v) for _, v in top] == sorted((abs(v) for _, v in top), reverse=True)
