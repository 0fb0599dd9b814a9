"""Benchmark: ``compare`` + ``report`` over a large results set, time and peak memory.

Usage:  .venv/bin/python benchmarks/report.py [--articles 20000] [--outlets 40] [--results DIR]
                                              [--out benchmarks/results/report.json]

With ``--results`` the given batch output is used as it is. Otherwise a results set of
``--articles`` articles is built from a real batch run of the sample corpus (46 articles, all
tables): its documents are copied with fresh ids, spread over ``--outlets`` outlets (the sample's
five outlet names with a number) and over 2019–2024, and written as real Parquet parts with the
batch store. Then, in a fresh subprocess each (so peak RSS is theirs alone), ``analyzer.compare``,
``analyzer.report`` (HTML, CSV exports, ``--time month``; it runs the comparison itself), and the
two in sequence, the report drawn from the comparison (``compare_then_report``: what a researcher
who wants both the tables and the report runs), with their defaults (1,000 bootstrap resamples,
999 permutations).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import shown_path, write_result  # noqa: E402

from analyzer import __version__, read_corpus  # noqa: E402
from analyzer.batch import SCHEMAS, TABLES, open_result, run_batch  # noqa: E402
from analyzer.batch.store import PartStore  # noqa: E402

PART = 500
STEP = """
import json, resource, sys, time
import analyzer
start = time.perf_counter()
if sys.argv[1] == "compare":
    result = analyzer.compare(sys.argv[2], by="outlet")
    rows = {k: len(v) for k, v in result.tables.items()}
elif sys.argv[1] == "report":
    path = analyzer.report(sys.argv[2], sys.argv[3], by="outlet", time="month")
    rows = {"bytes": path.stat().st_size}
else:
    result = analyzer.compare(sys.argv[2], by="outlet")
    compared = time.perf_counter() - start
    path = analyzer.report(result, sys.argv[3], time="month")
    rows = {"compare_seconds": compared, "report_seconds": time.perf_counter() - start - compared,
            "bytes": path.stat().st_size}
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **rows}))
"""


def build(source: Path, out: Path, articles: int, outlets: int) -> None:
    """Copy ``source``'s documents (and all their rows) into ``out`` until it has ``articles``."""
    result = open_result(source)
    tables = {name: result.table(name) for name in TABLES}
    documents = tables["documents"]
    by_doc = {name: dict(tuple(t.groupby("doc_id"))) for name, t in tables.items() if name != "documents"}
    store = PartStore(out)
    store.lock()
    dates = pd.date_range("2019-01-01", "2024-12-31", periods=articles).strftime("%Y-%m-%d")
    try:
        part, rows = 0, {name: [] for name in TABLES}
        for i in range(articles):
            doc = documents.iloc[i % len(documents)]
            new_id = f"b{i:07d}"
            outlet = f"{doc['outlet']} {i % (outlets // 5 or 1) + 1}"
            rows["documents"].append(
                doc.to_frame().T.assign(doc_id=new_id, outlet=outlet, date=dates[i], dup_group=None)
            )
            for name, groups in by_doc.items():
                if doc["doc_id"] in groups:
                    rows[name].append(groups[doc["doc_id"]].assign(doc_id=new_id))
            if (i + 1) % PART == 0 or i + 1 == articles:
                part += 1
                arrow = {
                    name: pa.Table.from_pandas(
                        pd.concat(frames, ignore_index=True)[SCHEMAS[name].names],
                        schema=SCHEMAS[name],
                        preserve_index=False,
                    )
                    if frames
                    else SCHEMAS[name].empty_table()
                    for name, frames in rows.items()
                }
                store.write_part(part, arrow, {"keys": [], "failures": [], "documents": PART, "seconds": 0})
                rows = {name: [] for name in TABLES}
        store.write_manifest({**result.manifest, "counts": {"documents": articles, "records": articles}})
    finally:
        store.unlock()


def step(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", STEP, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/report.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="analyzer-report-bench-") as tmp:
        work = Path(tmp)
        results = args.results
        if results is None:
            sample = work / "sample"
            run_batch(read_corpus(ROOT / "corpora/sample/articles"), sample, quiet=True)
            results = work / "results"
            build(sample, results, args.articles, args.outlets)
        documents = open_result(results).table("documents")
        compared = step("compare", str(results))
        reported = step("report", str(results), str(work / "report.html"))
        pipeline = step("compare_then_report", str(results), str(work / "report2.html"))
    result = {
        "command": " ".join(["python", "benchmarks/report.py", *sys.argv[1:]]),
        "results": shown_path(args.results)
        if args.results
        else "sample corpus batch output, copied (see docstring)",
        "articles": len(documents),
        "outlets": int(documents["outlet"].nunique()),
        "compare": compared,
        "report": reported,
        "compare_then_report": pipeline,
        "compare_plus_report_seconds": round(pipeline["seconds"], 1),
        "analyzer": __version__,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
