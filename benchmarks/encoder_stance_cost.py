"""What the entity-stance encoder costs at analysis time, on one core.

1. Per target: the shipped (or given) encoder model over NewsMTSC dev-rw targets in one call
   (the scorer sorts them by length and encodes batches of 32): milliseconds per target and the
   mean input length in word pieces.
2. Per article of the sample corpus: the articles are parsed once (not timed), then entity stance
   is filled for one article at a time, as the analysis does, with the encoder (entities named at
   least twice) and with the linear model only (the fast profile's choice); the spaCy analysis of
   the same articles without classifiers is timed for scale.

    python benchmarks/encoder_stance_cost.py [--model models/entity_stance_encoder] [--rows 200]

``--fixture`` instead records the shipped model's probabilities on reference rows (the first six
NewsMTSC mt dev targets and two made-up sentences, the second longer than the encoder's limit) in
``tests/classify/data/encoder_stance_reference.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, run_info, shown_path, write_result

DEV = ROOT.parent / "shared" / "data" / "newsmtsc" / "paper_dev_test_split" / "rw" / "dev.jsonl"
SAMPLE = ROOT / "corpora" / "sample" / "articles"


def per_target(folder: Path, rows: int) -> dict:
    from analyzer.classify.data.datasets import read_dataset
    from analyzer.classify.model import load_model

    model = load_model("entity_stance", str(folder))
    frame = read_dataset("newsmtsc", DEV).frame.head(rows)
    columns = {name: frame[name].tolist() for name in ("text", "target_start", "target_end")}
    model.predict_proba({k: v[:8] for k, v in columns.items()})  # load and warm up
    started = time.perf_counter()
    model.predict_proba(columns)
    seconds = time.perf_counter() - started
    lengths = model.scorer.encoder(model.scorer.graph).inputs(columns).lengths()
    return {
        "rows": len(frame),
        "ms_per_target": round(1000 * seconds / len(frame), 2),
        "mean_word_pieces": round(float(np.mean(lengths)), 1),
    }


def per_article(folder: Path) -> dict:
    from analyzer import Analyzer
    from analyzer.classify.apply import Scorer

    paths = sorted(SAMPLE.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    plain = Analyzer(classifiers=False)
    plain.analyze(texts[0])  # load the pipeline
    started = time.perf_counter()
    records = [plain.analyze(text) for text in texts]
    spacy_seconds = time.perf_counter() - started
    with_encoder = Scorer({"entity_stance_encoder": str(folder)})
    linear_only = Scorer(encoder=False)
    with_encoder._entity_stance([(texts[0], records[0])])  # load both models
    linear_only._entity_stance([(texts[0], records[0])])
    timings: dict[str, float] = {"encoder": 0.0, "linear": 0.0}
    for name, scorer in (("encoder", with_encoder), ("linear", linear_only)):
        started = time.perf_counter()
        for text, record in zip(texts, records, strict=True):
            scorer._entity_stance([(text, record)])
        timings[name] = time.perf_counter() - started
    mentions = sum(len(e.mentions) for r in records for e in r.entities)
    encoded = sum(len(e.mentions) for r in records for e in r.entities if len(e.mentions) >= 2)
    n = len(texts)
    return {
        "articles": n,
        "mentions_per_article": round(mentions / n, 1),
        "encoder_mentions_per_article": round(encoded / n, 1),
        "ms_per_article_analysis_without_classifiers": round(1000 * spacy_seconds / n, 1),
        "ms_per_article_entity_stance_encoder": round(1000 * timings["encoder"] / n, 1),
        "ms_per_article_entity_stance_linear": round(1000 * timings["linear"] / n, 1),
    }


FIXTURE = ROOT / "tests" / "classify" / "data" / "encoder_stance_reference.json"
MT_DEV = DEV.parent.parent / "mt" / "dev.jsonl"


def write_fixture(folder: Path) -> None:
    import json

    from analyzer.classify.data.datasets import read_dataset
    from analyzer.classify.model import load_model

    frame = read_dataset("newsmtsc", MT_DEV).frame.head(6)
    columns = {k: frame[k].tolist() for k in ("text", "target_start", "target_end")}
    made_up = [
        ("The coup against Morales was condemned by his supporters.", 17, 24),
        ("Morales said " + "-".join(["government"] * 80) + " was wrong.", 0, 7),
    ]
    for text, start, end in made_up:
        columns["text"].append(text)
        columns["target_start"].append(start)
        columns["target_end"].append(end)
    model = load_model("entity_stance", str(folder))
    fixture = {
        "command": "python benchmarks/encoder_stance_cost.py --fixture",
        "model_npz_sha256": model.arrays.sha256,
        "columns": columns,
        "probs": model.predict_proba(columns).round(8).tolist(),
        "truncated": model.scorer.truncated(columns),
    }
    FIXTURE.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({"probs": fixture["probs"], "truncated": fixture["truncated"]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "entity_stance_encoder"))
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "encoder_stance_cost.json"))
    parser.add_argument("--fixture", action="store_true", help="write the test fixture instead")
    args = parser.parse_args()
    folder = Path(args.model)
    if args.fixture:
        write_fixture(folder)
        return
    with threadpool_limits(1):
        result = {
            "benchmark": "encoder_stance_cost",
            "model": shown_path(folder),
            "threads": 1,
            "per_target": per_target(folder, args.rows),
            "per_article": per_article(folder),
            **run_info(),
        }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
