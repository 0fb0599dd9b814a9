"""Does the fine-tuned encoder beat the linear sentence-bias model? BABE, 5-fold CV grouped by article.

Issue 21 item 1 asks to try the entity-stance encoder for sentence bias and keep it where it wins
(BABE grouped CV >= 0.80). The folds are the shipped model's (scikit-learn's StratifiedGroupKFold,
5 folds, shuffled with seed 0, grouped by article). In each fold all-MiniLM-L6-v2 is fine-tuned on
the training rows with the entity-stance recipe, fixed in advance and not searched: the sentence
alone as input (at most 128 word pieces), a linear head on the first token, AdamW 8e-5 with 10 %
warm-up and linear decay, batch 16, 2 epochs, dropout 0.1, seed 0, one thread. The held-out rows are
predicted. The linear model (the shipped ``sentence_bias`` settings) is cross-validated on the same
folds. Reported: each model's pooled out-of-fold macro-F1 with a 95 % bootstrap interval over
articles, and the interval of their paired difference.

Needs the ``train`` extra (torch). Folds can run in separate processes, one per core:

    python benchmarks/sentence_bias_encoder_cv.py --folds 0 1 2   # one process
    python benchmarks/sentence_bias_encoder_cv.py --folds 3 4     # another
    python benchmarks/sentence_bias_encoder_cv.py --merge         # scores, writes the result file
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from common import ROOT, run_info, write_result
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

from analyzer.classify.data.datasets import read_dataset
from analyzer.classify.encoder import PairInputs, encoder_path, tokenizer_of

BABE = ROOT.parent / "shared" / "data" / "babe"
WORK = Path("/tmp/sentence_bias_encoder_cv")
OUT = Path(__file__).parent / "results" / "sentence_bias_encoder_cv.json"
CLASSES = ("non-biased", "biased")
FOLDS, SEED, MAX_TOKENS = 5, 0, 128


def folds(frame) -> list[tuple[np.ndarray, np.ndarray]]:  # type: ignore[no-untyped-def]
    """The shipped model's CV folds (``analyzer.classify.training.train.cross_validate``)."""
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(frame, frame["label"].to_numpy(), frame["group"].astype(str).to_numpy()))


def sentence_inputs(texts: list[str]) -> PairInputs:
    """``[CLS] sentence [SEP]`` word pieces, cut at :data:`MAX_TOKENS` (the end kept) and flagged."""
    tokenizer = tokenizer_of(encoder_path())
    ids, types, cut = [], [], []
    for encoding in tokenizer.encode_batch(texts):
        row = list(encoding.ids)
        cut.append(len(row) > MAX_TOKENS)
        if cut[-1]:
            row = [*row[: MAX_TOKENS - 1], row[-1]]
        ids.append(row)
        types.append([0] * len(row))
    return PairInputs(ids, types, cut)


def run_fold(frame, k: int) -> None:  # type: ignore[no-untyped-def]
    from analyzer.classify.training.encoder_stance import EncoderStanceOptions, fit_inputs, predict

    train, held = folds(frame)[k]
    texts = frame["text"].tolist()
    labels = frame["label"].tolist()
    options = EncoderStanceOptions(window=None, max_tokens=MAX_TOKENS, threads=1, seed=SEED)
    started = time.perf_counter()
    model, _ = fit_inputs(
        sentence_inputs([texts[i] for i in train]), [labels[i] for i in train], CLASSES, options
    )
    probs = predict(model, sentence_inputs([texts[i] for i in held]))
    WORK.mkdir(parents=True, exist_ok=True)
    np.savez(WORK / f"fold{k}.npz", held=held, probs=probs)
    seconds = round(time.perf_counter() - started, 1)
    (WORK / f"fold{k}.json").write_text(json.dumps({"fold": k, "seconds": seconds, "rows": len(train)}))
    predicted = [CLASSES[i] for i in probs.argmax(axis=1)]
    score = f1_score([labels[i] for i in held], predicted, average="macro")
    print(f"fold {k}: {len(train)} training rows, {seconds} s, held-out macro-F1 {score:.4f}", flush=True)


def linear_probabilities(data) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Out-of-fold P(biased) of the linear sentence-bias model on the same folds."""
    from analyzer.classify.tasks import build, get_task
    from analyzer.classify.training.train import with_news

    task = get_task("sentence_bias")
    estimator = build(task, with_news(task, data, {}))
    y = data.frame["label"].to_numpy()
    probs = cross_val_predict(estimator, data.frame, y, cv=folds(data.frame), method="predict_proba")
    return probs[:, sorted(set(y)).index("biased")]


def paired_bootstrap(truth, first, second, groups, resamples: int = 1000) -> dict:  # type: ignore[no-untyped-def]
    """Macro-F1 of each prediction and of their difference, 95 % intervals resampling articles."""
    truth, first, second = np.asarray(truth), np.asarray(first), np.asarray(second)
    names, index = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    members = [np.flatnonzero(index == k) for k in range(len(names))]
    rng = np.random.default_rng(SEED)
    draws = []
    for _ in range(resamples):
        rows = np.concatenate([members[k] for k in rng.integers(0, len(members), len(members))])
        a = f1_score(truth[rows], first[rows], average="macro")
        b = f1_score(truth[rows], second[rows], average="macro")
        draws.append((a, b, a - b))
    low, high = np.percentile(np.array(draws), [2.5, 97.5], axis=0)

    def point(predicted: np.ndarray) -> float:
        return round(float(f1_score(truth, predicted, average="macro")), 4)

    return {
        "encoder": {"macro_f1": point(first), "ci95_articles": [round(low[0], 4), round(high[0], 4)]},
        "linear": {"macro_f1": point(second), "ci95_articles": [round(low[1], 4), round(high[1], 4)]},
        "difference": {
            "macro_f1": round(point(first) - point(second), 4),
            "ci95_articles": [round(low[2], 4), round(high[2], 4)],
        },
    }


def merge(data) -> None:  # type: ignore[no-untyped-def]
    frame = data.frame
    encoder = np.full(len(frame), np.nan)
    seconds = []
    for k in range(FOLDS):
        stored = np.load(WORK / f"fold{k}.npz")
        encoder[stored["held"]] = stored["probs"][:, CLASSES.index("biased")]
        seconds.append(json.loads((WORK / f"fold{k}.json").read_text())["seconds"])
    linear = linear_probabilities(data)
    truth = frame["label"].to_numpy()

    def labels(p: np.ndarray) -> np.ndarray:
        return np.where(p >= 0.5, "biased", "non-biased")

    result = {
        "benchmark": "sentence_bias_encoder_cv",
        "command": "python benchmarks/sentence_bias_encoder_cv.py --folds ...; --merge",
        **run_info(),
        "data": "BABE final_labels_SG2 (shared/data/babe)",
        "rows": len(frame),
        "articles": int(frame["group"].nunique()),
        "protocol": f"{FOLDS}-fold StratifiedGroupKFold by article, shuffled with seed {SEED} (the shipped "
        "model's CV folds); out-of-fold predictions pooled",
        "recipe": "all-MiniLM-L6-v2 fine-tuned on the sentence alone, head on the first token, AdamW 8e-5, "
        "10 % warm-up, batch 16, 2 epochs, dropout 0.1, seed 0, one thread (fixed in advance)",
        "train_seconds_per_fold": seconds,
        **paired_bootstrap(truth, labels(encoder), labels(linear), frame["group"].to_numpy()),
    }
    write_result(result, OUT)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=BABE)
    parser.add_argument("--folds", type=int, nargs="*", default=[])
    parser.add_argument("--merge", action="store_true")
    args = parser.parse_args()
    data = read_dataset("babe", args.data)
    for k in args.folds:
        run_fold(data.frame, k)
    if args.merge:
        merge(data)


if __name__ == "__main__":
    main()
