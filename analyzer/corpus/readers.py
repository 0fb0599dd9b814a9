"""Corpus readers: every input format to one stream of :class:`~analyzer.engine.ArticleInput`.

Formats (``format="auto"`` detects them from the path):

- ``folder``: ``.txt``/``.md`` files, metadata from an optional ``metadata.csv`` sidecar keyed by
  file name (columns ``file`` plus any of ``doc_id``, ``outlet``, ``date``, ``title``, ``url``);
- ``html``: a folder of ``.html``/``.htm`` pages; main text, title, date and site name extracted
  with trafilatura (the same sidecar applies);
- ``csv``, ``tsv``, ``jsonl`` (also ``.ndjson`` and ``.gz``), ``parquet``: one article per row,
  columns found by name (see :mod:`analyzer.corpus.normalize`) or given with ``ColumnMap``;
- ``newsplease``: news-please JSON files (a folder of them, or one file).

Files are streamed (tables in chunks of 10,000 rows), so memory does not grow with the corpus.
A file that cannot be read at all is a one-line error naming it; a single row or line that cannot
be read, has no text or repeats an id is yielded with ``problem`` set (and ``source`` = file:line),
never dropped silently.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ..engine import ArticleInput
from ..errors import AnalyzerError, InputError, InputNotFoundError, ParameterError
from ..textio import read_text
from .normalize import CANDIDATES, FIELDS, ColumnMap, Normalizer

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SIDECAR = "metadata.csv"
FORMATS = ("auto", "folder", "html", "newsplease", "csv", "tsv", "jsonl", "parquet")
CHUNK_ROWS = 10_000
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "newsplease",
}


def detect_format(path: Path) -> str:
    """The format of ``path`` from its suffix (a folder: by the files in it)."""
    if path.is_dir():
        suffixes = {p.suffix.lower() for p in path.rglob("*") if p.is_file()}
        if suffixes & set(HTML_SUFFIXES):
            return "html"
        if ".json" in suffixes and not suffixes & set(TEXT_SUFFIXES):
            return "newsplease"
        return "folder"
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffixes[-1]]
    known = ", ".join(sorted(SUFFIX_FORMATS))
    raise ParameterError("format", f"a folder or a file ending in {known} (or give --format)", path.name)


def _open(path: Path, encoding: str) -> IO[str]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding=encoding, newline="")
    return path.open(encoding=encoding, newline="")


def _sidecar(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / SIDECAR
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            found = ", ".join(reader.fieldnames or [])
            raise InputError(f"{path}:1: sidecar needs a 'file' column; found columns: {found}")
        rows: dict[str, dict[str, str]] = {}
        for line, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                raise InputError(f"{path}:{line}: empty 'file' value")
            rows[name] = {k: v for k, v in row.items() if k and v and k != "file"}
        return rows


def _sidecar_fields(row: dict[str, str]) -> dict[str, Any]:
    return {("id" if k == "doc_id" else k): v for k, v in row.items()}


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def _text_rows(folder: Path, encoding: str, normalizer: Normalizer) -> Iterator[ArticleInput]:
    meta = _sidecar(folder)
    fields: dict[str, str | None] = {name: name for name in FIELDS}
    for file in _files(folder, TEXT_SUFFIXES):
        name = str(file.relative_to(folder))
        try:
            text = read_text(file, encoding)
        except AnalyzerError as exc:
            yield normalizer.unreadable(name, str(exc))
            continue
        row = {"id": file.stem, **_sidecar_fields(meta.get(name, {})), "text": text}
        yield normalizer.article(row, fields, name)


def _html_rows(folder: Path, normalizer: Normalizer) -> Iterator[ArticleInput]:
    import trafilatura

    meta = _sidecar(folder)
    fields: dict[str, str | None] = {name: name for name in FIELDS}
    for file in _files(folder, HTML_SUFFIXES):
        name = str(file.relative_to(folder))
        document = trafilatura.bare_extraction(file.read_bytes(), with_metadata=True)
        if document is None or not (document.text or "").strip():
            yield normalizer.article({"id": file.stem, "text": ""}, fields, name)
            continue
        text = document.text
        if document.title and text.startswith(document.title + "\n"):
            text = text[len(document.title) + 1 :]
        row = {
            "id": file.stem,
            "title": document.title,
            "date": document.date,
            "url": document.url,
            "outlet": document.sitename,
            **_sidecar_fields(meta.get(name, {})),
            "text": text,
        }
        yield normalizer.article(row, fields, name)


def _lenient_fields(columns: ColumnMap, keys: Iterable[str]) -> dict[str, str | None]:
    present = list(keys)
    return {
        name: getattr(columns, name) or next((c for c in CANDIDATES[name] if c in present), None)
        for name in FIELDS
    }


def _json_objects(path: Path, encoding: str, normalizer: Normalizer) -> Iterator[ArticleInput]:
    with _open(path, encoding) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield normalizer.unreadable(source, f"not JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(row, dict):
                yield normalizer.unreadable(source, f"a JSON {type(row).__name__}, not an object")
                continue
            yield normalizer.article(row, _lenient_fields(normalizer.columns, row), source)


def _table_rows(path: Path, kind: str, encoding: str, normalizer: Normalizer) -> Iterator[ArticleInput]:
    import pandas as pd

    try:
        chunks = pd.read_csv(
            path,
            sep="\t" if kind == "tsv" else ",",
            dtype=str,
            keep_default_na=False,
            chunksize=CHUNK_ROWS,
            encoding="utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding,
        )
        fields = None
        row_number = 0
        for chunk in chunks:
            if fields is None:
                fields = normalizer.columns.resolve([str(c) for c in chunk.columns], str(path))
                if chunk.columns.duplicated().any():
                    duplicated = sorted(set(chunk.columns[chunk.columns.duplicated()]))
                    raise InputError(f"{path}: duplicate column names: {', '.join(map(str, duplicated))}")
            for row in chunk.to_dict(orient="records"):
                row_number += 1
                yield normalizer.article(row, fields, f"{path.name}:row {row_number}")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, AnalyzerError):
            raise
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: cannot be read as {kind} ({message})") from exc


def _parquet_rows(path: Path, normalizer: Normalizer) -> Iterator[ArticleInput]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    fields = normalizer.columns.resolve(list(parquet.schema_arrow.names), str(path))
    row_number = 0
    for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
        for row in batch.to_pylist():
            row_number += 1
            if (
                fields["text"]
                and row.get(fields["text"]) is not None
                and not isinstance(row[fields["text"]], str)
            ):
                yield normalizer.unreadable(
                    f"{path.name}:row {row_number}",
                    f"text is a {type(row[fields['text']]).__name__}, not a string",
                )
                continue
            yield normalizer.article(row, fields, f"{path.name}:row {row_number}")


def _newsplease_rows(path: Path, encoding: str, normalizer: Normalizer) -> Iterator[ArticleInput]:
    files = _files(path, (".json",)) if path.is_dir() else [path]
    for file in files:
        source = str(file.relative_to(path)) if path.is_dir() else file.name
        try:
            row = json.loads(file.read_text(encoding=encoding))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield normalizer.unreadable(source, f"not JSON ({exc})")
            continue
        if not isinstance(row, dict):
            yield normalizer.unreadable(source, "not a news-please JSON object")
            continue
        row.setdefault("id", file.stem)
        yield normalizer.article(row, _lenient_fields(normalizer.columns, row), source)


def read_corpus(
    source: str | Path,
    format: str = "auto",
    encoding: str = "utf-8",
    columns: ColumnMap | None = None,
    limit: int | None = None,
) -> Iterator[ArticleInput]:
    """Articles from ``source`` in file order (see the module docstring for formats); ``columns``
    names the fields' columns where the defaults do not find them; ``limit`` stops early."""
    path = Path(source)
    if format not in FORMATS:
        raise ParameterError("format", f"one of {', '.join(FORMATS)}", format)
    if not path.exists():
        raise InputNotFoundError(path, "corpus")
    kind = detect_format(path) if format == "auto" else format
    if kind in ("folder", "html") and not path.is_dir():
        raise ParameterError("source", f"a folder for format {kind}", str(path))
    normalizer = Normalizer(columns)
    if kind == "folder":
        records: Iterator[ArticleInput] = _text_rows(path, encoding, normalizer)
    elif kind == "html":
        records = _html_rows(path, normalizer)
    elif kind in ("csv", "tsv"):
        records = _table_rows(path, kind, encoding, normalizer)
    elif kind == "jsonl":
        records = _json_objects(path, encoding, normalizer)
    elif kind == "parquet":
        records = _parquet_rows(path, normalizer)
    else:
        records = _newsplease_rows(path, encoding, normalizer)
    return islice(records, limit) if limit is not None else records


def count_records(source: str | Path, format: str = "auto") -> int | None:
    """How many records ``source`` holds, when that is cheap to know (for progress and ETA):
    files of a folder, Parquet row counts, non-empty JSONL lines; ``None`` for CSV/TSV."""
    path = Path(source)
    kind = detect_format(path) if format == "auto" else format
    if kind == "folder":
        return len(_files(path, TEXT_SUFFIXES))
    if kind == "html":
        return len(_files(path, HTML_SUFFIXES))
    if kind == "newsplease":
        return len(_files(path, (".json",))) if path.is_dir() else 1
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if kind == "jsonl":
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    return None
