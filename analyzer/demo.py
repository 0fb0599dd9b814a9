"""The demo job: the sample corpus through a batch run, then the researcher report.

Writes ``out/results/`` (the batch tables and manifest; replaced on every demo run),
``out/report.html`` (self-contained) and ``out/report_tables/`` (every comparison table as CSV).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .api import Analyzer
from .batch import run_batch
from .config import AnalyzerConfig
from .corpus.readers import count_records, read_corpus
from .reporting import report


def run_demo(
    corpus: str | Path, out: str | Path, spacy_model: str | None = None, progress: bool = True
) -> list[Path]:
    """Analyze every article of ``corpus`` into ``out`` and report on it; returns what was written."""
    out_dir = Path(out)
    results = out_dir / "results"
    if (results / "manifest.json").is_file():
        shutil.rmtree(results)
    analyzer = Analyzer(AnalyzerConfig(spacy_model=spacy_model))
    run_batch(read_corpus(corpus), results, analyzer=analyzer, total=count_records(corpus), quiet=not progress,
              inputs={"source": str(corpus), "format": "auto"})  # fmt: skip
    html = report(results, out_dir / "report.html", by="outlet", tables="csv")
    return [results, html, out_dir / "report_tables"]
