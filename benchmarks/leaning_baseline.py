"""The leaning model against a plain TF-IDF + logistic regression, same data, same run.

Usage:  .venv/bin/python benchmarks/leaning_baseline.py [--data ../shared/data/allsides_baly2020]

Both train on the AllSides media-split train shards and are scored (macro-F1) on the media-split
valid file: no outlet is in both. The plain baseline is word 1-2-gram TF-IDF (same vocabulary
size) with class-balanced logistic regression. Both are wrapped the same way (sigmoid calibration
on outlet-grouped folds) and each fitted model is scored under both decision rules:

- ``trained_prior``: argmax of the calibrated probabilities (their prior is the training class mix);
- ``balanced``: argmax of the calibrated probabilities divided by the training class shares and
  renormalised (a uniform class prior), the rule the shipped ``leaning`` task uses.

Results go to benchmarks/results/leaning.json; the gain is reported under the same rule for both.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

from analyzer.classify import evaluate, read_dataset, train  # noqa: E402
from analyzer.classify.datasets import LabeledData  # noqa: E402
from analyzer.classify.tasks import Task, get_task  # noqa: E402
from analyzer.classify.training import TrainedModel  # noqa: E402

RULES = ("trained_prior", "balanced")


def plain_baseline(options: dict) -> Pipeline:
    """Word 1-2-gram TF-IDF + class-balanced logistic regression (scikit-learn defaults otherwise)."""
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_features=300_000, sublinear_tf=True)
    return Pipeline(
        [
            ("features", ColumnTransformer([("words", words, "text")])),
            ("classifier", LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)),
        ]
    )


def _scores(model: TrainedModel, valid: LabeledData) -> dict[str, Any]:
    """Valid scores of ``model`` under each decision rule (the calibrated wrapper is toggled)."""
    out = {}
    for rule in RULES:
        model.estimator.balanced = rule == "balanced"
        scored = evaluate(model, valid)
        correct = sum(scored.confusion[i][i] for i in range(len(scored.labels)))
        out[rule] = {
            "macro_f1": round(scored.score, 4),
            "accuracy": round(correct / scored.n, 4),
            "ece": round(scored.ece, 4),
            "per_class_f1": {k: round(v["f1"], 4) for k, v in scored.per_class.items()},
            "confusion": {"labels": scored.labels, "rows_true_cols_pred": scored.confusion},
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data/allsides_baly2020"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/leaning.json"))
    args = parser.parse_args()
    train_data = read_dataset("allsides", args.data)
    valid = read_dataset("allsides", Path(args.data) / "articles_media_valid.jsonl.gz")
    leaning = get_task("leaning")
    baseline = Task("leaning", leaning.labels, leaning.metric, "allsides", leaning.unit, plain_baseline)
    results: dict[str, Any] = {}
    for name, task in (("plain_tfidf_lr", baseline), ("leaning", leaning)):
        start = time.perf_counter()
        model = train(task, train_data, cv=None)
        seconds = time.perf_counter() - start
        results[name] = {"train_seconds": round(seconds, 1), **_scores(model, valid)}
        print(name, json.dumps(results[name]), flush=True)
    gains = {
        rule: round(
            100 * (results["leaning"][rule]["macro_f1"] - results["plain_tfidf_lr"][rule]["macro_f1"]), 1
        )
        for rule in RULES
    }
    best_plain = max(results["plain_tfidf_lr"][rule]["macro_f1"] for rule in RULES)
    summary = {
        "command": " ".join(["python", "benchmarks/leaning_baseline.py", *sys.argv[1:]]),
        "train": {"dataset": train_data.name, "n": len(train_data)},
        "valid": {
            "dataset": valid.name,
            "n": len(valid),
            "note": "media-split valid (L 1,640 / C 618 / R 98)",
        },
        "calibration": "sigmoid, CalibratedClassifierCV on 3 folds grouped by outlet (both models)",
        "decision_rules": {
            "trained_prior": "argmax of calibrated P(c|x) (prior = training class shares)",
            "balanced": "argmax of calibrated P(c|x) / training share of c (uniform prior; shipped rule)",
        },
        "results": results,
        "gain_macro_f1_points_same_rule": gains,
        "gain_macro_f1_points_vs_best_plain": round(
            100 * (results["leaning"]["balanced"]["macro_f1"] - best_plain), 1
        ),
        "date": time.strftime("%Y-%m-%d"),
    }
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
