"""``analyzer batch``: a corpus in, Parquet tables out, streamed part by part, resumable.

The input is read lazily and cut into parts of ``part_size`` records. Each part is analyzed with
``Engine.analyze_many`` (``nlp.pipe`` with ``n_process`` workers), turned into table rows and
committed atomically (see :mod:`analyzer.batch.store`). Records with a reader problem, texts
over ``max_chars`` (reason ``too long``) and documents whose analysis raises are written to the part's marker as failures with their reason, and
the run goes on. With ``resume`` the documents of committed parts are skipped, so an interrupted
run finishes with every document exactly once.
"""

from __future__ import annotations

import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..corpus.screen import screen
from ..engine import Engine, text_problem
from ..errors import TextTooLongError
from ..records import ArticleAnalysis, ArticleInput
from .executors import make_executor
from .progress import progress_bar
from .store import OutputError, PartStore
from .tables import TABLES, record_rows, to_arrow


def record_key(article: ArticleInput) -> str:
    """What identifies an input record across runs: its id, or where it was read for a record
    that has a problem (whose id may be missing or repeated)."""
    return f"@{article.source}" if article.problem else str(article.doc_id)


@dataclass
class BatchResult:
    """What a batch run wrote: the folder, its manifest, and the tables (read on demand)."""

    out_dir: Path
    manifest: dict[str, Any]
    _store: PartStore = field(repr=False, default=None)  # type: ignore[assignment]

    def table(self, name: str) -> pd.DataFrame:
        """One of the tables (documents, entities, mentions, framing, sentences, stance, texts)."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        return self._store.read_table(name).to_pandas()

    def iter_table(self, name: str) -> Iterator[pd.DataFrame]:
        """One of the tables part by part (a corpus's ``texts`` need not fit in memory at once)."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        return (part.to_pandas() for part in self._store.iter_table(name))

    @property
    def failures(self) -> list[dict[str, Any]]:
        return self.manifest["failures"]


def open_result(out_dir: str | Path) -> BatchResult:
    """The result of a finished batch run in ``out_dir`` (for ``compare`` and ``report``)."""
    store = PartStore(out_dir)
    return BatchResult(store.folder, store.read_manifest(), store)


def _tables(results: Iterable[tuple[ArticleInput, ArticleAnalysis]]) -> dict[str, Any]:
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for article, record in results:
        for table, part_rows in record_rows(record, article).items():
            rows[table].extend(part_rows)
    return {t: to_arrow(t, r) for t, r in rows.items()}


def _timed(outcomes: Iterator[tuple[list[ArticleInput], list]], number: int):
    """Number the parts after ``number`` and time each (from the previous part's end)."""
    started = time.perf_counter()
    for chunk, analyzed in outcomes:
        number += 1
        yield number, chunk, analyzed, time.perf_counter() - started
        started = time.perf_counter()


def _commit(store: PartStore, number: int, chunk: list[ArticleInput], analyzed: list, seconds: float) -> None:
    """Write part ``number``: the tables of its analyzed documents and its marker with failures."""
    failures = [{"doc_id": a.doc_id, "source": a.source, "reason": a.problem} for a in chunk if a.problem]
    failures += [
        {"doc_id": a.doc_id, "source": a.source, "reason": error}
        for a, _, error in analyzed
        if error is not None
    ]
    tables = _tables((a, r) for a, r, error in analyzed if error is None)
    marker = {
        "keys": [record_key(a) for a in chunk],
        "documents": tables["documents"].num_rows,
        "rows": {t: tables[t].num_rows for t in TABLES},
        "failures": failures,
        "seconds": round(seconds, 3),
    }
    store.write_part(number, tables, marker)


def reason_kind(reason: str) -> str:
    """The kind of a failure reason, for the manifest's counts: its words before any ``:``, ``(``
    or quoted value (``duplicate id 'a1' (first at ...)`` -> ``duplicate id``)."""
    return re.split(r"[:('\"]", reason, maxsplit=1)[0].strip()


def _checked(articles: Iterable[ArticleInput], max_chars: int | None) -> Iterator[ArticleInput]:
    """``articles`` with a ``problem`` set on texts the analyzer refuses (over ``max_chars``: reason
    ``too long``; a lone surrogate: ``invalid text``), before screening reads them."""
    for article in articles:
        if not article.problem and isinstance(article.text, str):
            error = text_problem(article.text, max_chars)
            if error is not None:
                kind = "too long" if isinstance(error, TextTooLongError) else "invalid text"
                article.problem = f"{kind}: {error.message}"
        yield article


def _chunks(items: Iterator[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    while chunk := list(islice(items, size)):
        yield chunk


def run_batch(
    articles: Iterable[ArticleInput],
    out_dir: str | Path,
    *,
    analyzer: Engine | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    part_size: int = 500,
    resume: bool = False,
    total: int | None = None,
    quiet: bool = False,
    inputs: dict[str, Any] | None = None,
    dedup: bool = True,
    check_language: bool = True,
    dup_threshold: float = 0.5,
    executor: str = "local",
    scheduler: str | None = None,
) -> BatchResult:
    """Analyze ``articles`` into ``out_dir`` (see the module docstring); returns the result.

    ``dedup`` gives near-duplicates a shared ``dup_group``; ``check_language`` reports documents
    not in the pipeline's language instead of analyzing them (:mod:`analyzer.corpus.screen`).
    ``executor`` ``dask`` runs the parts on a Dask ``LocalCluster`` of ``n_process`` workers, or on
    the cluster at ``scheduler`` (:mod:`analyzer.batch.executors`)."""
    analyzer = analyzer or Engine()
    store = PartStore(out_dir)
    store.lock()
    try:
        markers = store.markers()
        if markers and not resume:
            raise OutputError(
                f"{store.folder} already holds {len(markers)} committed part(s); pass --resume to finish "
                "that run, or choose another --out"
            )
        store.clean_uncommitted()
        done = {key for m in markers for key in m["keys"]}
        last_part = max((m["part"] for m in markers), default=0)
        started = time.perf_counter()
        checked = _checked(articles, analyzer.config.max_chars)
        screened = screen(checked, analyzer.nlp.lang, dedup, check_language, dup_threshold)
        pending = (a for a in screened if record_key(a) not in done)
        runner = make_executor(executor, analyzer, batch_size, n_process, scheduler)
        try:
            with progress_bar(total=total, done=len(done), quiet=quiet) as advance:
                for number, chunk, analyzed, seconds in _timed(
                    runner.map(_chunks(pending, part_size)), last_part
                ):
                    _commit(store, number, chunk, analyzed, seconds)
                    advance(len(chunk))
        finally:
            runner.close()
        screening = {"dedup": dedup, "dup_threshold": dup_threshold, "check_language": check_language,
                     **runner.describe()}  # fmt: skip
        manifest = _manifest(store, analyzer, inputs or {}, n_process, batch_size, part_size,
                             time.perf_counter() - started, screening)  # fmt: skip
        store.write_manifest(manifest)
        return BatchResult(store.folder, manifest, store)
    finally:
        store.unlock()


def _manifest(
    store: PartStore, analyzer: Engine, inputs: dict[str, Any], n_process: int, batch_size: int,
    part_size: int, seconds: float, screening: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    markers = store.markers()
    rows: Counter[str] = Counter()
    for marker in markers:
        rows.update(marker["rows"])
    failures = [f for m in markers for f in m["failures"]]
    reasons = Counter(reason_kind(f["reason"]) for f in failures)
    return {
        "schema": "analyzer.batch/1",
        "inputs": inputs,
        "counts": {
            "records": sum(len(m["keys"]) for m in markers),
            "documents": rows["documents"],
            "failures": len(failures),
            "failures_by_reason": dict(reasons),
            "rows": {t: rows[t] for t in TABLES},
            "parts": len(markers),
        },
        "failures": failures,
        "versions": {**analyzer.versions, "python": platform.python_version()},
        "config": {
            "spacy_model": analyzer.config.spacy_model,
            "lexicons": list(analyzer.config.lexicons),
            "include_default_lexicon": analyzer.config.include_default_lexicon,
            "aliases": list(analyzer.config.aliases),
            "classifiers": analyzer.config.classifiers,
            "models": dict(analyzer.config.models),
            "profile": analyzer.config.profile,
            "loaded_words": analyzer.config.loaded_words,
            "loaded_words_threshold": analyzer.config.loaded_words_threshold,
            "encoder_entities": analyzer.config.encoder_entities,
            "max_chars": analyzer.config.max_chars,
            "n_process": n_process,
            "batch_size": batch_size,
            "part_size": part_size,
            **screening,
        },
        "timings": {
            "this_run_seconds": round(seconds, 3),
            "part_seconds_total": round(sum(m["seconds"] for m in markers), 3),
        },
        "command": " ".join(["analyzer", *sys.argv[1:]]) if Path(sys.argv[0]).name == "analyzer" else None,
        "tables": {t: f"{t}/part-*.parquet" for t in TABLES},
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "analyzer": __version__,
    }
