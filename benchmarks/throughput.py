"""Throughput of Analyzer.analyze vs bare spaCy nlp.pipe on the same corpus, same run.

Usage:  .venv/bin/python benchmarks/throughput.py [--repeat-corpus 3] [--rounds 3] [--out benchmarks/results/throughput.json]

Words are whitespace-separated words of the input texts (the same count for every contender).
Contenders: bare ``nlp.pipe`` (batched), bare ``nlp(text)`` per article, ``Analyzer.analyze`` per
article and ``Analyzer.analyze_many`` (batched), each without the classifiers (the spaCy stage
alone) and with them (the default); each analyzer path is compared with the bare spaCy path that
calls the pipeline the same way, and per-call analyze also with ``nlp.pipe``. The classifiers'
cost is the with/without time ratio minus one, per path.
Each contender runs ``--rounds`` times, alternating, and the best round counts (least disturbed
by other load). Ratios are analyzer words/s divided by bare spaCy words/s.

The classifiers' cost is also given per round: within a round the runs with and without the
classifiers follow each other directly, in the order without-with in even rounds and with-without
in odd ones (so a steady drift of the machine's speed favours neither; use an even number of
rounds), and ``classifier_overhead_*_median`` is the median over rounds of (with / without − 1),
the figure to quote when the best-of-rounds ratio moves between runs.

A third figure times the two stages inside the same calls: ``analyze_split`` runs what
``Analyzer.analyze`` runs (the spaCy stage, then the classifiers) with a clock around each, so
``classifier_share_analyze`` (classifier time / spaCy-stage time, summed over all rounds) is free
of drift between runs altogether. It leaves out one indirect cost the with/without ratio includes:
the spaCy stage of the next call running slower because the classifiers evicted its data from
the processor's caches.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import run_info, shown_path, write_result  # noqa: E402

from analyzer import Analyzer, ArticleInput  # noqa: E402
from analyzer.corpus.readers import read_corpus  # noqa: E402
from analyzer.nlp.pipeline import load_bare_pipeline, pipeline_label  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(ROOT / "corpora/sample/articles"))
    parser.add_argument("--repeat-corpus", type=int, default=3, help="Repeat the corpus this many times.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/throughput.json"))
    args = parser.parse_args()

    texts = [a.text for a in read_corpus(args.corpus)] * args.repeat_corpus
    words = sum(len(t.split()) for t in texts)
    analyzer = Analyzer(classifiers=False)
    classified = Analyzer()
    nlp = analyzer.nlp
    bare = load_bare_pipeline()
    list(bare.pipe(texts[:5]))
    list(analyzer.analyze_many(texts[:5]))
    list(classified.analyze_many(texts[:5]))

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    def run_bare_call() -> None:
        for text in texts:
            bare(text)

    def run_analyze() -> None:
        for text in texts:
            analyzer.analyze(text)

    def run_analyze_many() -> None:
        for _ in analyzer.analyze_many((ArticleInput(t) for t in texts), batch_size=args.batch_size):
            pass

    def run_classified() -> None:
        for text in texts:
            classified.analyze(text)

    def run_classified_many() -> None:
        for _ in classified.analyze_many((ArticleInput(t) for t in texts), batch_size=args.batch_size):
            pass

    stages = {"spacy": 0.0, "classifiers": 0.0}

    def run_split() -> None:
        # The steps of Analyzer.analyze, one clock per stage.
        for text in texts:
            start = time.perf_counter()
            record = classified.annotate(ArticleInput(text))
            middle = time.perf_counter()
            classified.score([(text, record)])
            stages["spacy"] += middle - start
            stages["classifiers"] += time.perf_counter() - middle

    contenders = {
        "bare_nlp_pipe": run_bare,
        "bare_nlp_call": run_bare_call,
        "analyze": run_analyze,
        "analyze_many": run_analyze_many,
        "analyze_classified": run_classified,
        "analyze_many_classified": run_classified_many,
        "analyze_split": run_split,
    }
    pairs = [("analyze", "analyze_classified"), ("analyze_many", "analyze_many_classified")]
    best: dict[str, float] = {}
    rounds: list[dict[str, float]] = []
    for number in range(args.rounds):
        rounds.append({})
        order = ["bare_nlp_pipe", "bare_nlp_call"]
        for pair in pairs:
            order.extend(pair if number % 2 == 0 else reversed(pair))
        order.append("analyze_split")
        for name in order:
            run = contenders[name]
            start = time.perf_counter()
            run()
            elapsed = time.perf_counter() - start
            rounds[-1][name] = elapsed
            best[name] = min(best.get(name, elapsed), elapsed)
    per_round = {
        path: [r[f"{path}_classified"] / r[path] - 1 for r in rounds] for path in ("analyze", "analyze_many")
    }
    rates = {name: words / seconds for name, seconds in best.items()}
    result = {
        "benchmark": "throughput",
        **run_info(),
        "command": " ".join(["python", "benchmarks/throughput.py", *sys.argv[1:]]),
        "corpus": shown_path(args.corpus),
        "documents": len(texts),
        "words": words,
        "rounds": args.rounds,
        "seconds_best": {k: round(v, 3) for k, v in best.items()},
        "words_per_second": {k: round(v) for k, v in rates.items()},
        "ratio_analyze_vs_bare": round(rates["analyze"] / rates["bare_nlp_pipe"], 3),
        "ratio_analyze_many_vs_bare": round(rates["analyze_many"] / rates["bare_nlp_pipe"], 3),
        "ratio_analyze_vs_bare_call": round(rates["analyze"] / rates["bare_nlp_call"], 3),
        "ratio_bare_call_vs_bare_pipe": round(rates["bare_nlp_call"] / rates["bare_nlp_pipe"], 3),
        "ratio_analyze_classified_vs_bare": round(rates["analyze_classified"] / rates["bare_nlp_pipe"], 3),
        "ratio_analyze_many_classified_vs_bare": round(
            rates["analyze_many_classified"] / rates["bare_nlp_pipe"], 3
        ),
        "classifier_overhead_analyze": round(best["analyze_classified"] / best["analyze"] - 1, 3),
        "classifier_overhead_analyze_many": round(
            best["analyze_many_classified"] / best["analyze_many"] - 1, 3
        ),
        "classifier_overhead_analyze_median": round(statistics.median(per_round["analyze"]), 3),
        "classifier_overhead_analyze_many_median": round(statistics.median(per_round["analyze_many"]), 3),
        "classifier_overhead_per_round": {k: [round(v, 3) for v in vs] for k, vs in per_round.items()},
        "classifier_share_analyze": round(stages["classifiers"] / stages["spacy"], 3),
        "classifier_ms_per_article": round(stages["classifiers"] / (len(texts) * args.rounds) * 1000, 2),
        "spacy_stage_ms_per_article": round(stages["spacy"] / (len(texts) * args.rounds) * 1000, 2),
        "models": classified.versions["models"],
        "spacy_model": pipeline_label(nlp),
        "date": time.strftime("%Y-%m-%d"),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
