"""How far the fast profile (no dependency parser) agrees with the full profile.

Usage:  .venv/bin/python benchmarks/profile_agreement.py [--corpus corpora/sample/articles]
                                                        [--out benchmarks/results/profile_agreement.json]

Both profiles analyze the same articles (classifiers off: they read the same sentences either way).
Reported: sentences with the same boundaries, entities with the same mentions, framing hits at the
same offsets, and for those hits how often voice, target and negation/hedge flags agree. The full
profile is the reference, not ground truth: this measures what leaving the parser out changes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import shown_path, write_result  # noqa: E402

from analyzer import Analyzer, __version__, read_corpus  # noqa: E402


def compare(full: list[dict], fast: list[dict]) -> dict:
    """Agreement counts over paired records of the two profiles."""
    counts = dict.fromkeys(
        ("sentences_full", "sentences_fast", "sentences_same", "hits_full", "hits_fast", "hits_same",
         "voice_same", "targets_full", "targets_fast", "targets_same", "flags_same"), 0,
    )  # fmt: skip
    for a, b in zip(full, fast, strict=True):
        spans = {(s["start"], s["end"]) for s in a["sentences"]}
        counts["sentences_full"] += len(a["sentences"])
        counts["sentences_fast"] += len(b["sentences"])
        counts["sentences_same"] += sum((s["start"], s["end"]) in spans for s in b["sentences"])
        reference = {(f["start"], f["end"]): f for f in a["framing"]}
        counts["hits_full"] += len(a["framing"])
        counts["hits_fast"] += len(b["framing"])
        for hit in b["framing"]:
            other = reference.get((hit["start"], hit["end"]))
            if other is None:
                continue
            counts["hits_same"] += 1
            counts["voice_same"] += hit["voice"] == other["voice"]
            counts["targets_full"] += other["target"] is not None
            counts["targets_fast"] += hit["target"] is not None
            counts["targets_same"] += hit["target"] is not None and hit["target"] == other["target"]
            counts["flags_same"] += (hit["negated"], hit["hedged"]) == (other["negated"], other["hedged"])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(ROOT / "corpora/sample/articles"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/profile_agreement.json"))
    args = parser.parse_args()
    articles = list(read_corpus(args.corpus))
    records = {
        profile: [
            r.to_dict()
            for r in Analyzer(profile=profile, classifiers=False, loaded_words=False).analyze_many(articles)
        ]
        for profile in ("full", "fast")
    }
    counts = compare(records["full"], records["fast"])
    result = {
        "command": " ".join(["python", "benchmarks/profile_agreement.py", *sys.argv[1:]]),
        "corpus": shown_path(args.corpus),
        "documents": len(articles),
        "counts": counts,
        "shares": {
            "sentences_same_of_full": round(counts["sentences_same"] / max(counts["sentences_full"], 1), 3),
            "hits_same_of_full": round(counts["hits_same"] / max(counts["hits_full"], 1), 3),
            "voice_same": round(counts["voice_same"] / max(counts["hits_same"], 1), 3),
            "target_precision_vs_full": round(counts["targets_same"] / max(counts["targets_fast"], 1), 3),
            "target_recall_vs_full": round(counts["targets_same"] / max(counts["targets_full"], 1), 3),
            "flags_same": round(counts["flags_same"] / max(counts["hits_same"], 1), 3),
        },
        "analyzer": __version__,
        "date": time.strftime("%Y-%m-%d"),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
