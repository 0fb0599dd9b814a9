"""What the learned loaded-word detector adds to ``Analyzer.analyze`` time.

Usage:  .venv/bin/python benchmarks/loaded_words_cost.py [--corpus corpora/sample/articles] [--rounds 3]
                                                        [--out benchmarks/results/loaded_words_cost.json]

Two Analyzers (classifiers off, so only the spaCy pipeline and the analyzer components run), one
with the ``analyzer_loaded_words`` component and one without, analyze every article of the corpus
one call at a time, in alternating rounds; each contender's best round counts. Reported: ms per
article for both, the ratio, and the model hits per article. The requirement is a ratio <= 1.10.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import write_result  # noqa: E402

from analyzer import Analyzer, __version__, read_corpus  # noqa: E402


def timed(analyzer: Analyzer, texts: list[str]) -> tuple[float, int]:
    """Seconds to analyze ``texts`` one by one, and the model hits found."""
    started = time.perf_counter()
    hits = 0
    for text in texts:
        hits += sum(h.source == "model" for h in analyzer.analyze(text).framing)
    return time.perf_counter() - started, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpora/sample/articles"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/loaded_words_cost.json"))
    args = parser.parse_args()
    texts = [article.text for article in read_corpus(args.corpus)]
    contenders = {
        "without": Analyzer(classifiers=False, loaded_words=False),
        "with": Analyzer(classifiers=False, loaded_words=True),
    }
    for analyzer in contenders.values():
        timed(analyzer, texts[:3])
    best = dict.fromkeys(contenders, float("inf"))
    hits = 0
    for _ in range(args.rounds):
        for name, analyzer in contenders.items():
            seconds, found = timed(analyzer, texts)
            best[name] = min(best[name], seconds)
            hits = found if name == "with" else hits
    ms = {name: round(1000 * seconds / len(texts), 2) for name, seconds in best.items()}
    write_result(
        {
            "analyzer": __version__,
            "corpus": str(Path(args.corpus).resolve().relative_to(ROOT)),
            "articles": len(texts),
            "rounds": args.rounds,
            "ms_per_article_without": ms["without"],
            "ms_per_article_with": ms["with"],
            "added_ms_per_article": round(ms["with"] - ms["without"], 2),
            "ratio": round(best["with"] / best["without"], 3),
            "model_hits_per_article": round(hits / len(texts), 2),
        },
        args.out,
    )


if __name__ == "__main__":
    main()
