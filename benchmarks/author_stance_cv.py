"""Choose the author-stance rule (issue 21 item 2) by cross-validation grouped by event on BASIL dev.

The 135 articles are analysed once with the default ``Analyzer`` and their records cached as JSON
lines (``--cache``, default under /tmp); later runs re-score rules from the cache in seconds. The
grid (weights of reported speech and quotations, the framing weight, the neutral band) is searched
inside each fold; the held-out predictions of all folds are pooled for macro-F1 with an interval
over events, beside the aggregate before the rule and always-neutral. A learned aggregate is
cross-validated on the same folds for comparison (``learned_cv``): a logistic regression on the same
evidence, settings fixed in advance, to tell whether the rule's form or its inputs limit it.

    .venv/bin/python benchmarks/author_stance_cv.py --data ../shared/data/basil_dev/basil_dev.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np
from common import run_info, write_result
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analyzer.classify.author import DEFAULT_RULE, VOICES, AuthorStanceRule
from analyzer.corpus.basil import read_basil
from analyzer.evaluation.article_stance import (
    analyse_articles,
    best_rule,
    case_evidence,
    entity_cases,
    event_folds,
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


def learned_features(case) -> np.ndarray | None:
    """The evidence of one case as numbers, None when the entity was not found or scored: summed
    P(against) and P(favor) of its mentions by voice, the framing aimed at it by voice, and the log
    of its mention count."""
    found = case_evidence(case)
    if found is None:
        return None
    against, favor = np.zeros(len(VOICES)), np.zeros(len(VOICES))
    for mention in case.entity.mentions:
        k = VOICES.index(mention.voice) if mention.voice in VOICES else 0
        against[k] += mention.stance["against"]
        favor[k] += mention.stance["favor"]
    return np.concatenate([against, favor, found.framing, [np.log1p(len(case.entity.mentions))]])


def learned_cv(cases: list, folds: int, seed: int) -> list[str]:
    """Pooled held-out labels of a multinomial logistic regression on :func:`learned_features`
    (standardised; C = 1 and balanced class weights, fixed in advance, not searched), trained on
    the found cases of the other folds; a case not found is ``neutral``, as for the rule."""
    rows = [learned_features(c) for c in cases]
    found = np.array([r is not None for r in rows])
    features = np.array([r if r is not None else np.zeros(10) for r in rows])
    gold = np.array([c.gold for c in cases])
    predicted = np.array(["neutral"] * len(cases), dtype=object)
    for held in event_folds([c.event for c in cases], folds, seed):
        train = np.setdiff1d(np.arange(len(cases)), held)
        train, held = train[found[train]], held[found[held]]
        model = make_pipeline(
            StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000)
        )
        model.fit(features[train], gold[train])
        if len(held):
            predicted[held] = model.predict(features[held])
    return list(predicted)


def basil_parser(description: str, out: Path) -> argparse.ArgumentParser:
    """The options every author-stance check on BASIL dev takes: the data, the records cache, the
    event folds and their seed, the bootstrap resamples and the result file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/basil_dev/basil_dev.jsonl"))
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--folds", type=int, default=9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=out)
    return parser


def basil_records(args: argparse.Namespace) -> tuple[list, list]:
    """The BASIL articles of ``args.data`` and their analysis records (cached in ``args.cache``)."""
    articles = list(read_basil(args.data))
    return articles, records_for(articles, args.cache)


def main() -> None:
    args = basil_parser(__doc__, OUT).parse_args()
    articles, records = basil_records(args)
    cases = entity_cases(articles, records)
    points = grid()
    started = time.perf_counter()
    cv = grouped_cv(cases, points, folds=args.folds, seed=args.seed)
    best, best_f1 = best_rule(cases, points)
    result = {
        "benchmark": "author_stance_cv",
        "command": " ".join(["python", "benchmarks/author_stance_cv.py", *sys.argv[1:]]),
        **run_info(),
        "data": str(args.data.name),
        "folds": args.folds,
        "seed": args.seed,
        "grid_points": len(points),
        "cv_author_rule": summary(cases, cv["predicted"], args.boot, args.seed),
        "cv_chosen": cv["chosen"],
        "cv_learned_aggregate": summary(
            cases, learned_cv(cases, args.folds, args.seed), args.boot, args.seed
        ),
        "best_on_all": {"rule": best.to_dict(), "macro_f1": round(best_f1, 4)},
        "shipped_rule_on_all": score_cases(cases, DEFAULT_RULE, args.boot, args.seed),
        "mean_argmax_on_all": summary(cases, [mean_argmax(c) for c in cases], args.boot, args.seed),
        "seconds": round(time.perf_counter() - started, 1),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
