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
A file that cannot be read at all is a one-line error naming it (and the line or row where a
CSV/TSV parser stopped: an unbalanced quote, a row with too many fields; an empty file; duplicate
column names); a single row or line that cannot be read (not JSON, bytes not valid in the encoding,
text that is a number or list, a value Python cannot represent), has no text or repeats an id is
yielded with ``problem`` set (and ``source`` = file:line), never dropped silently. A gzipped JSONL
file that ends early yields its readable lines and then one unreadable record saying where the rest
was lost.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ..errors import AnalyzerError, InputError, InputNotFoundError, ParameterError
from ..records import ArticleInput
from ..textio import lone_surrogate, read_text
from .formats import FORMATS
from .normalize import CANDIDATES, FIELDS, ColumnMap, Normalizer

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SIDECAR = "metadata.csv"
CHUNK_ROWS = 10_000
READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeError)
"""What reading a damaged file raises: truncated or corrupt gzip, I/O errors, undecodable text."""
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


def _codec(encoding: str) -> str:
    """``utf-8-sig`` for UTF-8 (a byte-order mark at the start is dropped), else ``encoding``."""
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def _open(path: Path, encoding: str) -> IO[str]:
    """``path`` as text, gunzipped if it ends in ``.gz``; bytes not valid in ``encoding`` become
    lone surrogates (``surrogateescape``), which the reader reports for the row that holds them."""
    codec = _codec(encoding)
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding=codec, errors="surrogateescape", newline="")
    return path.open(encoding=codec, errors="surrogateescape", newline="")


def _reason(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _sidecar(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / SIDECAR
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        try:
            if not reader.fieldnames or "file" not in reader.fieldnames:
                found = ", ".join(reader.fieldnames or [])
                raise InputError(f"{path}:1: sidecar needs a 'file' column; found columns: {found}")
            rows: dict[str, dict[str, str]] = {}
            for row in reader:
                name = (row.get("file") or "").strip()
                if not name:
                    raise InputError(f"{path}:{reader.line_num}: empty 'file' value")
                rows[name] = {k: v for k, v in row.items() if k and isinstance(v, str) and v and k != "file"}
        except UnicodeDecodeError as exc:
            raise _undecodable(path, "utf-8", exc, "save it as UTF-8") from exc
        except csv.Error as exc:
            line = reader.line_num + 1  # where the record that failed starts
            raise InputError(f"{path}:{line}: cannot be read as CSV ({_reason(exc)})") from exc
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
    number = 0
    try:
        with _open(path, encoding) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                yield _json_line(line, f"{path.name}:{number}", encoding, normalizer)
    except READ_ERRORS as exc:
        if number == 0:
            raise InputError(f"{path}:1: cannot be read ({_reason(exc)})") from exc
        yield normalizer.unreadable(
            f"{path.name}:{number + 1}",
            f"the file is damaged after line {number} ({_reason(exc)}); the rest of it is lost",
        )


def _json_line(line: str, source: str, encoding: str, normalizer: Normalizer) -> ArticleInput:
    """The article of one JSONL line (unreadable: not decodable, not JSON, not an object)."""
    bad = lone_surrogate(line)
    if bad >= 0:
        byte = ord(line[bad]) - 0xDC00
        return normalizer.unreadable(
            source, f"byte 0x{byte:02X} at column {bad + 1} is not valid {encoding}; pass --encoding"
        )
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return normalizer.unreadable(source, f"not JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return normalizer.unreadable(source, f"not JSON ({_reason(exc)})")
    if not isinstance(row, dict):
        return normalizer.unreadable(source, f"a JSON {type(row).__name__}, not an object")
    return normalizer.article(row, _lenient_fields(normalizer.columns, row), source)


def _csv_header(path: Path, kind: str, encoding: str) -> list[str]:
    """The column names of a CSV/TSV file as written (pandas renames a repeated name ``x.1``)."""
    try:
        with _open(path, encoding) as handle:
            reader = csv.reader(handle, delimiter="\t" if kind == "tsv" else ",")
            header = next((row for row in reader if row), None)
    except (csv.Error, *READ_ERRORS) as exc:
        raise InputError(f"{path}:1: cannot read the header row as {kind} ({_reason(exc)})") from exc
    if header is None:
        raise InputError(f"{path}: empty file; a {kind} corpus needs a header row naming its columns")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(f"{path}:1: duplicate column names: {', '.join(repeated)}; rename them")
    return header


def _table_error(path: Path, kind: str, exc: BaseException, rows_read: int) -> InputError:
    """A one-line error naming ``path`` and where in it pandas stopped."""
    message = _reason(exc)
    if found := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message):
        expected, line, saw = found.groups()
        where = f"line {line}: expected {expected} fields, saw {saw} (quote fields that hold the separator)"
    elif found := re.search(r"EOF inside string starting at row (\d+)", message):
        where = f'row {found.group(1)}: a quoted field opened there is never closed (unbalanced ")'
    else:
        where = f"row {rows_read + 1} or later: {message}"
    return InputError(f"{path}: cannot be read as {kind} at {where}")


def _table_rows(path: Path, kind: str, encoding: str, normalizer: Normalizer) -> Iterator[ArticleInput]:
    import pandas as pd

    header = _csv_header(path, kind, encoding)
    fields = normalizer.columns.resolve(header, str(path))
    row_number = 0
    try:
        chunks = pd.read_csv(
            path,
            sep="\t" if kind == "tsv" else ",",
            dtype=str,
            keep_default_na=False,
            chunksize=CHUNK_ROWS,
            encoding=_codec(encoding),
        )
        for chunk in chunks:
            for row in chunk.to_dict(orient="records"):
                row_number += 1
                yield normalizer.article(row, fields, f"{path.name}:row {row_number}")
    except UnicodeDecodeError as exc:
        raise _undecodable(path, encoding, exc) from exc
    except (pd.errors.ParserError, ValueError, *READ_ERRORS) as exc:
        raise _table_error(path, kind, exc, row_number) from exc


def _undecodable(
    path: Path, encoding: str, exc: UnicodeDecodeError, hint: str = "pass --encoding with the file's encoding"
) -> InputError:
    """The error for a table with bytes not valid in ``encoding``, naming the first such line
    (found by reading the file again: pandas reports an offset in its buffer, not in the file)."""
    decoder = codecs.getincrementaldecoder(_codec(encoding))()
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    decoder.decode(line)
                except UnicodeDecodeError as bad:
                    return InputError(
                        f"{path}:line {number}: byte 0x{line[bad.start]:02X} at column {bad.start + 1} "
                        f"is not valid {encoding}; {hint}"
                    )
    except READ_ERRORS:
        pass
    return InputError(f"{path}: not valid {encoding} ({_reason(exc)}); {hint}")


def _parquet_rows(path: Path, normalizer: Normalizer) -> Iterator[ArticleInput]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    names = list(parquet.schema_arrow.names)
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InputError(f"{path}: duplicate column names: {', '.join(repeated)}; rename them")
    fields = normalizer.columns.resolve(names, str(path))
    row_number = 0
    try:
        for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
            for row in _batch_rows(batch):
                row_number += 1
                source = f"{path.name}:row {row_number}"
                if isinstance(row, str):
                    yield normalizer.unreadable(source, row)
                else:
                    yield normalizer.article(row, fields, source)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: cannot be read at row {row_number + 1} or later ({_reason(exc)})") from exc


def _batch_rows(batch: Any) -> Iterator[dict[str, Any] | str]:
    """The rows of a Parquet record batch as dicts; a row that Python cannot represent (a
    timestamp beyond year 9999, ...) as the reason, so one bad value costs one row."""
    try:
        yield from batch.to_pylist()
        return
    except (OverflowError, ValueError):
        pass
    for index in range(batch.num_rows):
        try:
            yield batch.slice(index, 1).to_pylist()[0]
        except (OverflowError, ValueError) as exc:
            yield f"a value Python cannot represent ({_reason(exc)})"


def _newsplease_rows(path: Path, encoding: str, normalizer: Normalizer) -> Iterator[ArticleInput]:
    files = _files(path, (".json",)) if path.is_dir() else [path]
    for file in files:
        source = str(file.relative_to(path)) if path.is_dir() else file.name
        try:
            row = json.loads(file.read_text(encoding=encoding))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, too deep
            yield normalizer.unreadable(source, f"not JSON ({_reason(exc)})")
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
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise ParameterError("encoding", "a Python codec name such as utf-8 or latin-1", encoding) from exc
    kind = detect_format(path) if format == "auto" else format
    if kind in ("folder", "html") and not path.is_dir():
        raise ParameterError("source", f"a folder for format {kind}", str(path))
    normalizer = Normalizer(columns, encoding)
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
    files of a folder, Parquet row counts, non-empty JSONL lines; ``None`` for CSV/TSV and for a
    file that cannot be read (the reader reports why)."""
    path = Path(source)
    kind = detect_format(path) if format == "auto" else format
    if kind == "folder":
        return len(_files(path, TEXT_SUFFIXES))
    if kind == "html":
        return len(_files(path, HTML_SUFFIXES))
    if kind == "newsplease":
        return len(_files(path, (".json",))) if path.is_dir() else 1
    try:
        if kind == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            try:
                return pq.ParquetFile(path).metadata.num_rows
            except pa.ArrowException:
                return None
        if kind == "jsonl":
            opener = gzip.open if path.suffix.lower() == ".gz" else open
            with opener(path, "rb") as handle:
                return sum(1 for line in handle if line.strip())
    except (OSError, EOFError, zlib.error):
        return None
    return None
