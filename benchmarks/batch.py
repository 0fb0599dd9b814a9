"""Batch benchmarks: throughput against bare spaCy, scaling with processes, memory as the corpus grows.

Usage:  .venv/bin/python benchmarks/batch.py [--docs 2000] [--big 20000] [--skip-memory]
                                             [--skip-throughput] [--skip-no-classifiers] [--keep-big DIR]
                                             [--out benchmarks/results/batch.json]

Real article text: AllSides articles from ../shared/data/allsides_baly2020 when present (the
shard outside the media split, read in file order, first ``--docs``), else the sample corpus
repeated. Measured in one run, on the same documents:

1. throughput: ``analyzer batch`` (run_batch: screening, analysis, classifiers, Parquet parts) vs
   bare ``nlp.pipe`` with the same spaCy pipeline and the same ``n_process`` (1 and 2); also with
   ``--no-classifiers``, to show what the classifiers cost, and with ``--profile fast`` (no
   parser), to show what the fast profile gains;
2. scaling: ``run_batch`` with ``n_process=2`` vs ``1``;
3. memory: peak RSS (the process and its workers) of ``analyzer batch`` subprocesses on ``--docs``
   and ``--big`` documents (the corpus repeated with fresh ids when it has fewer), with their
   outlet, date and title; ``--keep-big DIR`` keeps the big run's output (a real results set for
   ``benchmarks/report.py --results DIR``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import write_result  # noqa: E402

from analyzer import Analyzer, ArticleInput, __version__, read_corpus  # noqa: E402
from analyzer.batch import run_batch  # noqa: E402
from analyzer.nlp.pipeline import load_bare_pipeline, pipeline_label  # noqa: E402

ALLSIDES = ROOT.parent / "shared" / "data" / "allsides_baly2020" / "articles_not_in_media_split.jsonl.gz"


def load_articles(n: int | None) -> tuple[list[dict], str]:
    """Up to ``n`` articles (all with None) as ``text, outlet, date, title``, and their origin."""
    if ALLSIDES.is_file():
        articles = []
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                text = (row.get("content_original") or "").strip()
                if text:
                    articles.append({"text": text, "outlet": row.get("source"), "date": row.get("date"),
                                     "title": row.get("title")})  # fmt: skip
                if len(articles) == n:
                    break
        return articles, str(ALLSIDES.relative_to(ROOT.parent))
    sample = [{"text": a.text, "outlet": a.outlet, "date": a.date, "title": a.title}
              for a in read_corpus(ROOT / "corpora/sample/articles")]  # fmt: skip
    return (sample * ((n or len(sample)) // len(sample) + 1))[
        : n or len(sample)
    ], "corpora/sample/articles (repeated)"


def write_jsonl(articles: list[dict], n: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"id": f"d{i}", **articles[i % len(articles)]}) + "\n")


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_rss_mb(command: list[str]) -> tuple[float, float]:
    """Peak RSS (MB) of the largest process among ``command`` and its children, and wall seconds."""
    script = (
        "import resource, subprocess, sys, time; start = time.time(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, time.time() - start)"
    )
    out = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True, check=True)
    rss, seconds = out.stdout.split()
    return float(rss), float(seconds)


def throughput(texts: list[str], batch_size: int, work: Path, no_classifiers: bool = True) -> dict:
    """Seconds of bare ``nlp.pipe`` and of ``run_batch`` per contender, 1 and 2 processes, and the
    ratios the README reports (``no_classifiers``: also time the batch without the classifiers)."""
    words = sum(len(t.split()) for t in texts)
    bare = load_bare_pipeline()
    contenders = {"batch": Analyzer(), "batch_fast": Analyzer(profile="fast")}
    if no_classifiers:
        contenders["batch_no_classifiers"] = Analyzer(classifiers=False)
    for analyzer in contenders.values():
        list(analyzer.analyze_many(texts[:5]))
    seconds: dict[str, float] = {}
    for n_process in (1, 2):
        seconds[f"bare_nlp_pipe_p{n_process}"] = timed(
            lambda n=n_process: [None for _ in bare.pipe(texts, batch_size=batch_size, n_process=n)]
        )
        for label, analyzer in contenders.items():
            out = work / f"{label}-{n_process}"
            seconds[f"{label}_p{n_process}"] = timed(
                lambda a=analyzer, o=out, n=n_process: run_batch(
                    (ArticleInput(t, doc_id=f"d{i}") for i, t in enumerate(texts)), o, analyzer=a,
                    n_process=n, batch_size=batch_size, quiet=True,
                )
            )  # fmt: skip
            shutil.rmtree(out)

    def ratio(a: str, b: str) -> dict:
        return {f"p{n}": round(seconds[f"{a}_p{n}"] / seconds[f"{b}_p{n}"], 3) for n in (1, 2)}

    return {
        "words": words,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "words_per_second": {k: round(words / v) for k, v in seconds.items()},
        "ratio_batch_vs_bare": ratio("bare_nlp_pipe", "batch"),
        "ratio_batch_no_classifiers_vs_bare": ratio("bare_nlp_pipe", "batch_no_classifiers")
        if no_classifiers
        else None,
        "ratio_batch_fast_vs_batch": ratio("batch", "batch_fast"),
        "scaling_batch_p2_vs_p1": round(seconds["batch_p1"] / seconds["batch_p2"], 3),
        "scaling_bare_p2_vs_p1": round(seconds["bare_nlp_pipe_p1"] / seconds["bare_nlp_pipe_p2"], 3),
        "spacy_model": pipeline_label(bare),
    }


def memory(pool: list[dict], sizes: tuple[int, int], work: Path, keep_big: Path | None) -> dict:
    """Peak RSS and wall time of ``analyzer batch`` (2 processes) on each corpus size."""
    runs = {}
    for n in sizes:
        corpus = work / f"corpus-{n}.jsonl"
        write_jsonl(pool, n, corpus)
        out = keep_big if n == sizes[1] and keep_big else work / f"mem-{n}"
        command = [sys.executable, "-m", "analyzer", "batch", str(corpus), "--out", str(out),
                   "--n-process", "2", "--quiet", "--no-dedup"]  # fmt: skip
        rss, wall = peak_rss_mb(command)
        runs[str(n)] = {"peak_rss_mb": round(rss, 1), "seconds": round(wall, 1)}
        corpus.unlink()
    return {
        "memory": runs,
        "memory_ratio_big_vs_small": round(
            runs[str(sizes[1])]["peak_rss_mb"] / runs[str(sizes[0])]["peak_rss_mb"], 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--big", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-no-classifiers", action="store_true")
    parser.add_argument("--keep-big", type=Path, default=None)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/batch.json"))
    args = parser.parse_args()

    articles, origin = load_articles(args.docs)
    result: dict = {
        "command": " ".join(["python", "benchmarks/batch.py", *sys.argv[1:]]),
        "corpus": origin,
        "documents": len(articles),
    }
    work = Path(tempfile.mkdtemp(prefix="analyzer-bench-"))
    try:
        if not args.skip_throughput:
            texts = [a["text"] for a in articles]
            result.update(throughput(texts, args.batch_size, work, not args.skip_no_classifiers))
        if not args.skip_memory:
            pool = load_articles(None)[0] if args.big > len(articles) else articles
            result.update(memory(pool, (args.docs, args.big), work, args.keep_big))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.update(
        {
            "analyzer": __version__,
            "python": platform.python_version(),
            "cpus": len(__import__("os").sched_getaffinity(0)),
            "max_rss_this_process_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "date": time.strftime("%Y-%m-%d"),
        }
    )
    write_result(result, args.out)


if __name__ == "__main__":
    main()
