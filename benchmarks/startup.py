"""Start-up of the command line: ``--help``, ``lexicon check`` and a one-sentence ``analyze``.

Usage:  .venv/bin/python benchmarks/startup.py [--runs 7] [--out benchmarks/results/startup.json]

Each command runs ``--runs`` times as a fresh process (wall time, median reported). The one-sentence
``analyze`` (default settings: the full profile with the trained classifiers) is compared with a
baseline in the same run: a fresh process that only loads the same spaCy pipeline and the models
that analysis loads, and does nothing else (``python -c "spacy.load(...); load_model(...)"``). The
targets: ``--help`` at most 1 s, ``analyze`` at most 1.5 times the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, run_info, write_result

SENTENCE = "The interim government called the protests a coup attempt, critics said.\n"
BASELINE = """
import spacy
from analyzer.classify.model import load_model, load_word_scorer
from analyzer.nlp.pipeline import resolve_pipeline_name
spacy.load(resolve_pipeline_name())
for task in ("sentence_bias", "entity_stance", "leaning"):
    load_model(task)
{words}
"""


def timed(command: list[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` fresh runs of ``command`` (each must succeed)."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        seconds.append(round(time.perf_counter() - started, 3))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/startup.json"))
    args = parser.parse_args()

    cli = [sys.executable, "-m", "analyzer"]
    from analyzer.config import AnalyzerConfig

    loads_words = AnalyzerConfig().loaded_words
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "one_sentence.txt"
        article.write_text(SENTENCE, encoding="utf-8")
        commands = {
            "help": [*cli, "--help"],
            "lexicon_check": [*cli, "lexicon", "check", str(ROOT / "analyzer/lexicons/framing_v1.tsv")],
            "analyze_one_sentence": [*cli, "analyze", str(article), "--format", "json"],
            "baseline_spacy_load_and_models": [
                sys.executable,
                "-c",
                BASELINE.format(words="load_word_scorer()" if loads_words else ""),
            ],
        }
        timed(commands["analyze_one_sentence"], 1)  # warm the file cache once
        runs = {name: timed(command, args.runs) for name, command in commands.items()}
    medians = {name: statistics.median(values) for name, values in runs.items()}
    ratio = medians["analyze_one_sentence"] / medians["baseline_spacy_load_and_models"]
    result = {
        "benchmark": "startup",
        **run_info(),
        "runs": args.runs,
        "seconds_median": medians,
        "seconds_all": runs,
        "analyze_over_baseline": round(ratio, 3),
        "targets": {"help_seconds": 1.0, "analyze_over_baseline": 1.5},
        "met": {"help": medians["help"] <= 1.0, "analyze": ratio <= 1.5},
        "baseline": "a fresh process loading the same spaCy pipeline and the models analysis loads",
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
