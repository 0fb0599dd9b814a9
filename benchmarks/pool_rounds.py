"""Pool the per-round classifier overheads of several ``throughput.py`` result files.

Each throughput run records, per round, the classifiers' overhead (with / without − 1) for one
call per article and for batches. One run's 8 rounds are few for a machine whose speed drifts, so
the README reports runs fixed in advance as repeats pooled: the mean of all their rounds with a
95 % bootstrap interval (rounds resampled with replacement), the median, the range and how many
rounds are at or under the 10 % target.

    .venv/bin/python benchmarks/pool_rounds.py RUN_A.json \\
        RUN_B.json   (result files of benchmarks/throughput.py --out RUN_A.json, ...)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

TARGET = 0.10


def pooled(values: np.ndarray, resamples: int, seed: int) -> dict:
    """Mean, 95 % bootstrap interval of the mean, median, range and rounds at or under target."""
    means = np.random.default_rng(seed).choice(values, size=(resamples, len(values))).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {
        "rounds": len(values),
        "mean": round(float(values.mean()), 4),
        "interval_95": [round(float(low), 4), round(float(high), 4)],
        "median": round(float(np.median(values)), 4),
        "range": [round(float(values.min()), 4), round(float(values.max()), 4)],
        "at_or_under_target": int((values <= TARGET).sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("results", nargs="+", help="throughput.py result files (JSON)")
    parser.add_argument("--resamples", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    runs = [json.loads(Path(path).read_text(encoding="utf-8")) for path in args.results]
    out = {"files": [Path(path).name for path in args.results]}
    for path in ("analyze", "analyze_many"):
        values = np.concatenate([run["classifier_overhead_per_round"][path] for run in runs])
        out[path] = pooled(values, args.resamples, args.seed)
    out["classifier_share_analyze"] = [run["classifier_share_analyze"] for run in runs]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
