"""The tables a comparison reads, with every document assigned to its group and period.

``results`` may be a batch output folder (``analyzer batch --out``), a
:class:`~analyzer.batch.BatchResult`, analysed records (``ArticleAnalysis`` objects, e.g. from
``Analyzer.analyze_many``), or a mapping of table name to DataFrame with the batch tables' columns
(tables left out count as empty). Grouping: ``by`` names a column of the ``documents`` table (``outlet``,
``leaning``, ``language``, ...) or a field of the input's extra columns (``meta``). Documents
without a value for it are counted and left out, as are, with ``exclude_duplicates``, all but the
first document of each near-duplicate group, and, with ``time``, documents without a date.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..batch.run import BatchResult, open_result
from ..batch.tables import SCHEMAS, record_rows
from ..errors import ParameterError
from ..records import ArticleAnalysis

TIME_UNITS = {"week": "W-MON", "month": "M"}
TABLE_NAMES = ("documents", "entities", "mentions", "framing", "sentences", "stance")
TextSource = Callable[[], Iterable[pd.DataFrame]]


@dataclass
class CorpusTables:
    """The documents kept for comparison (with ``group`` and ``period`` columns) and the rows of
    the other tables that belong to them; ``excluded`` counts what was left out and why. Texts are
    not held: :meth:`iter_texts` streams them part by part and :meth:`texts_for` fetches a few."""

    documents: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    by: str
    time: str | None
    excluded: dict[str, int] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    text_source: TextSource = field(default=lambda: (), repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """Rows of ``name`` for the kept documents, with their ``group`` and ``period``."""
        return self.tables[name]

    def iter_texts(self) -> Iterator[dict[str, str]]:
        """``{doc_id: text}`` of the kept documents, one stored part at a time."""
        kept = pd.Index(self.documents["doc_id"].astype(object))
        for part in self.text_source():
            part = part[part["doc_id"].astype(object).isin(kept)]
            if len(part):
                yield dict(zip(part["doc_id"], part["text"], strict=True))

    def texts_for(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """The texts of ``doc_ids`` (those stored)."""
        wanted = set(doc_ids)
        found: dict[str, str] = {}
        if wanted:
            for texts in self.iter_texts():
                found.update((d, t) for d, t in texts.items() if d in wanted)
        return found

    @property
    def groups(self) -> list[str]:
        return sorted(self.documents["group"].unique().tolist())


def _from_records(records: Iterable[ArticleAnalysis]) -> dict[str, pd.DataFrame]:
    """The tables of analysed records (no texts: a record does not carry its text)."""
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    for record in records:
        for name, part in record_rows(record).items():
            rows[name].extend(part)
    return {name: pd.DataFrame(rows[name], columns=SCHEMAS[name].names) for name in SCHEMAS}


def _from_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    unknown = set(frames) - set(SCHEMAS)
    if unknown:
        raise ParameterError("results", f"tables among {', '.join(SCHEMAS)}", ", ".join(sorted(unknown)))
    out = {}
    for name, schema in SCHEMAS.items():
        frame = frames.get(name, pd.DataFrame(columns=schema.names)).drop(
            columns=["group", "period"], errors="ignore"
        )
        missing = [c for c in schema.names if c not in frame.columns]
        out[name] = frame.assign(**dict.fromkeys(missing, None))
    return out


def _raw_tables(results: Any) -> tuple[dict[str, pd.DataFrame], dict[str, Any], TextSource]:
    """The tables of ``results`` as DataFrames (texts apart, as a source of parts), and the run's
    manifest when there is one."""
    if isinstance(results, (str, Path)):
        results = open_result(results)
    if isinstance(results, BatchResult):
        result = results
        return (
            {name: result.table(name) for name in TABLE_NAMES},
            result.manifest,
            lambda: result.iter_table("texts"),
        )
    if isinstance(results, Mapping):
        frames = _from_frames(results)
        texts = frames.pop("texts")
        return frames, {}, lambda: (texts,)
    if isinstance(results, ArticleAnalysis):
        results = [results]
    records = list(results) if isinstance(results, Iterable) else None
    if records is None or not all(isinstance(r, ArticleAnalysis) for r in records):
        raise ParameterError(
            "results",
            "a batch output folder, a BatchResult or a list of ArticleAnalysis",
            type(results).__name__,
        )
    frames = _from_records(records)
    frames.pop("texts", None)
    return frames, {}, lambda: ()


def _group_values(documents: pd.DataFrame, by: str) -> pd.Series:
    if by in documents.columns and by not in ("doc_id", "meta"):
        return documents[by]
    meta = documents["meta"].map(lambda m: json.loads(m) if isinstance(m, str) and m else {})
    if meta.map(lambda m: by in m).any():
        return meta.map(lambda m: m.get(by))
    known = [c for c in documents.columns if c not in ("doc_id", "meta")]
    fields = sorted({k for m in meta for k in m})
    raise ParameterError("by", f"a column among {', '.join(known + fields)}", by)


def _periods(dates: pd.Series, time: str) -> pd.Series:
    parsed = pd.to_datetime(dates, errors="coerce", utc=True).dt.tz_localize(None)
    return parsed.dt.to_period(TIME_UNITS[time]).astype(str).where(parsed.notna())


def load_tables(
    results: Any, by: str = "outlet", time: str | None = None, exclude_duplicates: bool = False
) -> CorpusTables:
    """Read ``results`` and assign every document its group (``by``) and, with ``time`` (``week``
    or ``month``), its period; see the module docstring for what is left out."""
    if time is not None and time not in TIME_UNITS:
        raise ParameterError("time", "week or month", time)
    tables, manifest, text_source = _raw_tables(results)
    documents = tables["documents"].copy()
    excluded: dict[str, int] = {}
    documents["group"] = _group_values(documents, by)
    missing = documents["group"].isna() | (documents["group"].astype(str).str.strip() == "")
    excluded[f"no {by}"] = int(missing.sum())
    documents = documents[~missing].copy()
    documents["group"] = documents["group"].astype(str)
    if exclude_duplicates:
        repeated = documents["dup_group"].notna() & documents.duplicated("dup_group", keep="first")
        excluded["near-duplicates"] = int(repeated.sum())
        documents = documents[~repeated]
    documents["period"] = _periods(documents["date"], time) if time else "all"
    if time:
        undated = documents["period"].isna()
        excluded["no date"] = int(undated.sum())
        documents = documents[~undated]
    if documents.empty:
        raise ParameterError("results", f"documents with a {by} value to compare", "none")
    keys = documents[["doc_id", "group", "period"]]
    kept = {
        name: table.merge(keys, on="doc_id", how="inner")
        for name, table in tables.items()
        if name != "documents"
    }
    return CorpusTables(documents.reset_index(drop=True), kept, by, time, excluded, manifest, text_source)
