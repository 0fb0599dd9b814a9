"""Corpus readers.

This version reads a folder of ``.txt``/``.md`` articles with an optional sidecar CSV
(``metadata.csv`` in the folder, keyed by file name, columns ``file`` plus any of ``doc_id``,
``outlet``, ``date``, ``title``); other formats are added by the batch-processing work.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..engine import ArticleInput
from ..errors import InputError, InputNotFoundError, ParameterError
from ..textio import read_text

TEXT_SUFFIXES = (".txt", ".md")
SIDECAR = "metadata.csv"
META_FIELDS = ("doc_id", "outlet", "date", "title")


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
            rows[name] = {k: v for k, v in row.items() if k and v}
        return rows


def read_text_folder(folder: str | Path, encoding: str = "utf-8") -> Iterator[ArticleInput]:
    """Articles of a folder of text files, sorted by file name, with sidecar metadata."""
    path = Path(folder)
    if not path.is_dir():
        raise InputNotFoundError(path, "corpus folder")
    meta = _sidecar(path)
    for file in sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES and p.is_file()):
        row = meta.get(file.name, {})
        yield ArticleInput(
            text=read_text(file, encoding),
            doc_id=row.get("doc_id") or file.stem,
            outlet=row.get("outlet"),
            title=row.get("title"),
            date=row.get("date"),
        )


def read_corpus(source: str | Path, format: str = "auto", encoding: str = "utf-8") -> Iterator[ArticleInput]:
    """Articles from ``source``; ``format`` ``auto`` detects it (this version: ``folder``)."""
    path = Path(source)
    if format not in ("auto", "folder"):
        raise ParameterError("format", "'auto' or 'folder'", format)
    if not path.exists():
        raise InputNotFoundError(path, "corpus")
    if not path.is_dir():
        raise ParameterError("source", "a folder of .txt/.md files (other formats: not yet)", str(path))
    return read_text_folder(path, encoding)
