"""What a whole batch command costs against bare spaCy: words per second and peak memory, one process.

Usage:  .venv/bin/python benchmarks/batch_cost.py [--docs 300] [--rounds 2] [--out benchmarks/results/batch_cost.json]

Real article text (the same source as ``benchmarks/batch.py``: AllSides articles outside the media
split, first ``--docs``). Each contender is a fresh process run on the same JSON-lines file, timed
from start to exit (start-up, model loads and writing the output included):

- ``bare``: ``spacy.load`` of the analysis' pipeline, then ``nlp.pipe`` over the texts (batch 16);
- ``default``: ``analyzer batch FILE --out DIR --n-process 1`` (full profile, classifiers, the
  entity-stance encoder, loaded words);
- ``fast``: the same with ``--profile fast`` (no parser, linear entity stance);
- ``default_all_entities``: the default with ``--encoder-entities 0`` (the encoder for every entity
  named at least twice, not only the three most mentioned per article).

Rounds alternate the contenders and the best round counts (least disturbed by other load). Words
are the whitespace-separated words of the texts. Peak memory is the largest resident set of the
command's processes (with one process: the batch worker itself). Targets (issue 21): default at
least 0.5 x bare words/s, fast at least 0.85 x, peak memory at most 2 GB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from batch import load_articles, peak_rss_mb, write_jsonl
from common import ROOT, run_info, write_result

from analyzer.nlp.pipeline import resolve_pipeline_name

BARE = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    texts = [json.loads(line)["text"] for line in handle]
for _ in nlp.pipe(texts, batch_size=16):
    pass
"""
TARGETS = {"default_over_bare": 0.5, "fast_over_bare": 0.85, "peak_rss_mb": 2048}


def commands(corpus: Path, work: Path) -> dict[str, list[str]]:
    """The command line of each contender."""
    batch = [
        sys.executable,
        "-m",
        "analyzer",
        "batch",
        str(corpus),
        "--n-process",
        "1",
        "--quiet",
        "--no-dedup",
    ]
    return {
        "bare": [sys.executable, "-c", BARE, resolve_pipeline_name(), str(corpus)],
        "default": [*batch, "--out", str(work / "default")],
        "fast": [*batch, "--out", str(work / "fast"), "--profile", "fast"],
        "default_all_entities": [
            *batch,
            "--out",
            str(work / "default_all_entities"),
            "--encoder-entities",
            "0",
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/batch_cost.json"))
    args = parser.parse_args()

    articles, origin = load_articles(args.docs)
    words = sum(len(a["text"].split()) for a in articles)
    work = Path(tempfile.mkdtemp(prefix="analyzer-batch-cost-"))
    try:
        corpus = work / "corpus.jsonl"
        write_jsonl(articles, len(articles), corpus)
        runs: dict[str, list[dict]] = {}
        for _ in range(args.rounds):
            for name, command in commands(corpus, work).items():
                for folder in work.glob(name):
                    shutil.rmtree(folder)  # a fresh output folder each round (no resume)
                rss, seconds = peak_rss_mb(command)
                runs.setdefault(name, []).append({"seconds": round(seconds, 2), "peak_rss_mb": round(rss, 1)})
    finally:
        shutil.rmtree(work, ignore_errors=True)

    best = {name: min(r["seconds"] for r in rounds) for name, rounds in runs.items()}
    per_second = {name: round(words / seconds) for name, seconds in best.items()}
    peak = {name: max(r["peak_rss_mb"] for r in rounds) for name, rounds in runs.items()}
    ratios = {
        "default_over_bare": round(per_second["default"] / per_second["bare"], 3),
        "fast_over_bare": round(per_second["fast"] / per_second["bare"], 3),
        "default_all_entities_over_bare": round(per_second["default_all_entities"] / per_second["bare"], 3),
    }
    result = {
        "benchmark": "batch_cost",
        "command": " ".join(["python", "benchmarks/batch_cost.py", *sys.argv[1:]]),
        **run_info(),
        "corpus": origin,
        "documents": len(articles),
        "words": words,
        "rounds": runs,
        "seconds_best": best,
        "words_per_second": per_second,
        "peak_rss_mb": peak,
        **ratios,
        "targets": TARGETS,
        "met": {
            "default": ratios["default_over_bare"] >= TARGETS["default_over_bare"],
            "fast": ratios["fast_over_bare"] >= TARGETS["fast_over_bare"],
            "memory": max(peak["default"], peak["fast"]) <= TARGETS["peak_rss_mb"],
        },
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
