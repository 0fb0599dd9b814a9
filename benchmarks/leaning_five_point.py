"""Would a five-point leaning target order BASIL's articles better? A check, not a selection.

AllSides' three labels put nytimes.com (rated Lean Left) with the Left outlets. The 2023 outlet
ratings (``allsides_outlet_ratings_2023``) rate each domain on five points (Left −2, Lean Left −1,
Center 0, Lean Right 1, Right 2; the domain's root entry). This fits, on all of AllSides train +
valid, the plain TF-IDF of ``leaning_cv.py`` once, then (a) the plain three-class logistic
regression, scored as P(right) − P(left), and (b) ridge regressions (alpha 1 and 3, fixed) on the
five-point rating of the rated articles; and reports BASIL dev's pair order and outlet means for each
(``analyzer.evaluation.leaning_pairs``). One fit each, about 4 minutes on one core.

    .venv/bin/python benchmarks/leaning_five_point.py --data ../shared/data/allsides_baly2020 \
        --ratings ../shared/data/allsides_outlet_ratings_2023/all_sides_snapshot_15_11_2023.csv \
        --basil ../shared/data/basil_dev/basil_dev.jsonl
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from common import run_info, write_result
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge

from analyzer.classify.data.datasets import combine, read_allsides
from analyzer.classify.text import article_text
from analyzer.corpus.basil import read_basil
from analyzer.evaluation.leaning_pairs import pair_order

OUT = Path(__file__).parent / "results" / "leaning_five_point.json"
POINTS = {"Left": -2, "Lean Left": -1, "Center": 0, "Lean Right": 1, "Right": 2}


def domain(address: str) -> str:
    """``www.nytimes.com`` and ``http://www.nytimes.com/`` -> ``nytimes.com``."""
    host = urlparse(address if "//" in address else f"//{address}").netloc
    return host.lower().removeprefix("www.")


def root_ratings(path: Path) -> dict[str, int]:
    """Domain -> five-point rating of its root entry (the outlet itself, not a section or author)."""
    ratings = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            address = row["news_link"].strip()
            if row["bias_rating"] in POINTS and urlparse(address).path.strip("/") == "":
                ratings.setdefault(domain(address), POINTS[row["bias_rating"]])
    return ratings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/allsides_baly2020"))
    parser.add_argument(
        "--ratings",
        type=Path,
        default=Path("../shared/data/allsides_outlet_ratings_2023/all_sides_snapshot_15_11_2023.csv"),
    )
    parser.add_argument("--basil", type=Path, default=Path("../shared/data/basil_dev/basil_dev.jsonl"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    frame = combine(
        [read_allsides(args.data), read_allsides(args.data / "articles_media_valid.jsonl.gz")]
    ).frame
    ratings = root_ratings(args.ratings)
    five = frame["group"].map(lambda g: ratings.get(domain(g), np.nan)).to_numpy(dtype=float)
    rated = ~np.isnan(five)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=3, max_features=300_000)
    features = vectorizer.fit_transform(frame["text"])
    basil = list(read_basil(args.basil))
    basil_features = vectorizer.transform([article_text(a.title, a.text) for a in basil])
    plain = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(features, frame["label"])
    probs = plain.predict_proba(basil_features)
    labels = list(plain.classes_)
    scores = {"plain_C1 P(right) - P(left)": probs[:, labels.index("right")] - probs[:, labels.index("left")]}
    for alpha in (1.0, 3.0):
        ridge = Ridge(alpha=alpha).fit(features[rated], five[rated])
        scores[f"ridge five-point alpha {alpha:g}"] = ridge.predict(basil_features)
    checks = {}
    for name, score in scores.items():
        found = pair_order(basil, score)
        checks[name] = {k: v for k, v in found.items() if k not in ("task", "score")}
        print(name, found["pair_agreement"], found["pair_agreement_ci95_events"], found["outlet_mean_score"])
    write_result(
        {
            "benchmark": "leaning_five_point",
            "command": " ".join(["python", "benchmarks/leaning_five_point.py", *sys.argv[1:]]),
            **run_info(),
            "articles": len(frame),
            "rated_articles": int(rated.sum()),
            "domains": int(frame["group"].nunique()),
            "rated_domains": int(frame.loc[rated, "group"].nunique()),
            "basil": checks,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
