"""Choose the author-stance rule (issue 21 item 2) by cross-validation grouped by event on BASIL dev.

The 135 articles are analysed once with the default ``Analyzer`` and their records cached as JSON
lines (``--cache``, default under /tmp); later runs re-score rules from the cache in seconds. The
grid (weights of reported speech and quotations, the framing weight, the neutral band) is searched
inside each fold; the held-out predictions of all folds are pooled for macro-F1 with an interval
over events, beside the aggregate before the rule and always-neutral.

    .venv/bin/python benchmarks/author_stance_cv.py --data ../shared/data/basil_dev/basil_dev.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
from common import run_info, write_result

from analyzer.classify.author import DEFAULT_RULE, AuthorStanceRule
from analyzer.corpus.basil import read_basil
from analyzer.evaluation.article_stance import (
    analyse_articles,
    best_rule,
    entity_cases,
    grouped_cv,
    mean_argmax,
    record_from_dict,
    score_cases,
    summary,
)

CACHE = Path("/tmp/author_stance/records.jsonl")
OUT = Path(__file__).parent / "results" / "author_stance_cv.json"


def records_for(articles: list, cache: Path) -> list:
    """The cached records when the cache holds these articles, else a fresh analysis (cached)."""
    ids = [a.article_id for a in articles]
    if cache.is_file():
        rows = [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines() if line]
        if [r["doc_id"] for r in rows] == ids:
            return [record_from_dict(r) for r in rows]
    started = time.perf_counter()
    records = analyse_articles(articles)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    print(f"analysed {len(records)} articles in {time.perf_counter() - started:.0f} s -> {cache}")
    return records


def grid() -> list[AuthorStanceRule]:
    """The rules searched, simplest first (ties go to the earlier point): voice weights, the
    framing weight (mention units per hit) and the neutral band (mention units)."""
    points = []
    band = [round(float(x), 2) for x in np.arange(0.5, 6.01, 0.25)]
    for attributed, quoted, framing in itertools.product((1.0, 0.5, 0.0), (1.0, 0.5, 0.0), (0.0, 0.5, 1.0)):
        if quoted > attributed:  # a quotation is no more the author's words than reported speech
            continue
        for against, favor in itertools.product(band, band):
            points.append(AuthorStanceRule(attributed, quoted, framing, against, favor))
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/basil_dev/basil_dev.jsonl"))
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--folds", type=int, default=9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    articles = list(read_basil(args.data))
    records = records_for(articles, args.cache)
    cases = entity_cases(articles, records)
    points = grid()
    started = time.perf_counter()
    cv = grouped_cv(cases, points, folds=args.folds, seed=args.seed)
    best, best_f1 = best_rule(cases, points)
    result = {
        "benchmark": "author_stance_cv",
        "command": "python benchmarks/author_stance_cv.py --data ../shared/data/basil_dev/basil_dev.jsonl",
        **run_info(),
        "data": str(args.data.name),
        "folds": args.folds,
        "seed": args.seed,
        "grid_points": len(points),
        "cv_author_rule": summary(cases, cv["predicted"], args.boot, args.seed),
        "cv_chosen": cv["chosen"],
        "best_on_all": {"rule": best.to_dict(), "macro_f1": round(best_f1, 4)},
        "shipped_rule_on_all": score_cases(cases, DEFAULT_RULE, args.boot, args.seed),
        "mean_argmax_on_all": summary(cases, [mean_argmax(c) for c in cases], args.boot, args.seed),
        "seconds": round(time.perf_counter() - started, 1),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
