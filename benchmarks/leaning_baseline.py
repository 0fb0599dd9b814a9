"""The leaning model against a plain TF-IDF + logistic regression, same data, same run.

Usage:  .venv/bin/python benchmarks/leaning_baseline.py [--data ../shared/data/allsides_baly2020]

Both train on the AllSides media-split train shards and are scored (macro-F1) on the media-split
valid file: no outlet is in both. The plain baseline is word 1-2-gram TF-IDF (same vocabulary
size) with class-balanced logistic regression. Both are wrapped the same way (sigmoid calibration
on outlet-grouped folds, the three fold models kept and averaged as the leaning task does) and each
fitted model is scored under both decision rules:

- ``trained_prior``: argmax of the calibrated probabilities (their prior is the training class mix);
- ``balanced``: argmax of the calibrated probabilities divided by the training class shares and
  renormalised (a uniform class prior), the rule the shipped ``leaning`` task uses.

Results go to benchmarks/results/leaning.json; the gain is reported under the same rule for both,
with paired bootstrap 95 % intervals of the gain (1,000 resamples, seed 0): of valid articles, and of
valid outlets (only a dozen: the article interval ignores that articles of one outlet go together).
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

import numpy as np  # noqa: E402
from analyzer.classify.datasets import LabeledData  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

from analyzer.classify import evaluate, read_dataset, train  # noqa: E402
from analyzer.classify.tasks import Task, get_task  # noqa: E402
from analyzer.classify.training import TrainedModel  # noqa: E402

RULES = ("trained_prior", "balanced")
RESAMPLES = 1000


def plain_baseline(options: dict) -> Pipeline:
    """Word 1-2-gram TF-IDF + class-balanced logistic regression (scikit-learn defaults otherwise)."""
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_features=300_000, sublinear_tf=True)
    return Pipeline(
        [
            ("features", ColumnTransformer([("words", words, "text")])),
            ("classifier", LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)),
        ]
    )


def _scores(model: TrainedModel, valid: LabeledData) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Valid scores of ``model`` under each decision rule (the calibrated wrapper is toggled), and
    its valid predictions under each rule."""
    out, predicted = {}, {}
    for rule in RULES:
        model.estimator.balanced = rule == "balanced"
        predicted[rule] = model.predict(valid.frame)
        scored = evaluate(model, valid)
        correct = sum(scored.confusion[i][i] for i in range(len(scored.labels)))
        out[rule] = {
            "macro_f1": round(scored.score, 4),
            "accuracy": round(correct / scored.n, 4),
            "ece": round(scored.ece, 4),
            "per_class_f1": {k: round(v["f1"], 4) for k, v in scored.per_class.items()},
            "confusion": {"labels": scored.labels, "rows_true_cols_pred": scored.confusion},
        }
    return out, predicted


def paired_bootstrap(
    valid: LabeledData, ours: list[str], plain: list[str], labels: tuple[str, ...]
) -> dict[str, Any]:
    """95 % percentile intervals of macro-F1(ours) - macro-F1(plain), in points, over resamples of
    the valid articles and, separately, of its outlets (all articles of a drawn outlet)."""
    y, a, b = (np.asarray(v) for v in (valid.frame["label"], ours, plain))

    def gain(rows: np.ndarray) -> float:
        score = [
            f1_score(y[rows], p[rows], labels=list(labels), average="macro", zero_division=0) for p in (a, b)
        ]
        return 100 * (score[0] - score[1])

    outlets = valid.frame["group"].astype(str).to_numpy()
    members = [np.flatnonzero(outlets == o) for o in np.unique(outlets)]
    rng = np.random.default_rng(0)
    articles = [gain(rng.integers(0, len(y), len(y))) for _ in range(RESAMPLES)]
    rng = np.random.default_rng(0)
    by_outlet = [
        gain(np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))]))
        for _ in range(RESAMPLES)
    ]
    return {
        "resamples": RESAMPLES,
        "gain": round(gain(np.arange(len(y))), 2),
        "articles": {
            "n": len(y),
            "ci95": [round(float(v), 2) for v in np.percentile(articles, [2.5, 97.5])],
            "share_below_5_points": round(float(np.mean(np.array(articles) < 5)), 3),
        },
        "outlets": {
            "n": len(members),
            "ci95": [round(float(v), 2) for v in np.percentile(by_outlet, [2.5, 97.5])],
            "share_below_5_points": round(float(np.mean(np.array(by_outlet) < 5)), 3),
        },
    }


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
    baseline = Task(
        "leaning",
        leaning.labels,
        leaning.metric,
        "allsides",
        leaning.unit,
        plain_baseline,
        fold_ensemble=True,
    )
    results: dict[str, Any] = {}
    predicted: dict[str, dict[str, list[str]]] = {}
    for name, task in (("plain_tfidf_lr", baseline), ("leaning", leaning)):
        start = time.perf_counter()
        model = train(task, train_data, cv=None)
        seconds = time.perf_counter() - start
        scores, predicted[name] = _scores(model, valid)
        results[name] = {"train_seconds": round(seconds, 1), **scores}
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
        "calibration": "sigmoid, CalibratedClassifierCV on 3 folds grouped by outlet, fold models averaged (both models)",
        "leaning_options": leaning.defaults,
        "decision_rules": {
            "trained_prior": "argmax of calibrated P(c|x) (prior = training class shares)",
            "balanced": "argmax of calibrated P(c|x) / training share of c (uniform prior; shipped rule)",
        },
        "results": results,
        "gain_macro_f1_points_same_rule": gains,
        "gain_macro_f1_points_vs_best_plain": round(
            100 * (results["leaning"]["balanced"]["macro_f1"] - best_plain), 1
        ),
        "paired_bootstrap_gain_balanced": paired_bootstrap(
            valid, predicted["leaning"]["balanced"], predicted["plain_tfidf_lr"]["balanced"], leaning.labels
        ),
        "date": time.strftime("%Y-%m-%d"),
    }
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
