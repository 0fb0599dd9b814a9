"""Alias tables: alternative names that denote one entity ("U.S." = "the United States").

The shipped table (``aliases.tsv`` beside this module) covers countries and international bodies;
users add their own files in the same format (``--aliases FILE``) to merge names across documents.
Format: UTF-8, tab-separated, ``#`` comments, header ``alias<TAB>canonical<TAB>labels``, where
labels is a comma-separated list of NER labels the alias applies to, or ``*`` for any label
("America" means the country only where NER calls it a GPE).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import AliasFileError, InputNotFoundError
from .textnorm import name_key

HEADER = ("alias", "canonical", "labels")


@dataclass(frozen=True)
class Alias:
    """One alias row: ``labels`` empty means any label."""

    alias: str
    canonical: str
    labels: frozenset[str]

    def applies_to(self, label: str) -> bool:
        return not self.labels or label in self.labels


class AliasTable:
    """Alias rows indexed by normalised key."""

    def __init__(self, rows: Iterable[Alias] = ()) -> None:
        self._by_key: dict[str, list[Alias]] = {}
        for row in rows:
            self.add(row)

    def add(self, row: Alias) -> None:
        self._by_key.setdefault(name_key(row.alias), []).append(row)

    def lookup(self, text: str, label: str) -> str | None:
        """Canonical name for ``text`` seen with NER ``label``, or None."""
        for row in self._by_key.get(name_key(text), []):
            if row.applies_to(label):
                return row.canonical
        return None

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._by_key.values())


def parse_alias_rows(text: str, source: str) -> list[Alias]:
    """Parse an alias file's text; raises :class:`AliasFileError` naming every bad line."""
    rows: list[Alias] = []
    problems: list[tuple[int, str]] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if not header_seen:
            header_seen = True
            if tuple(f.lower() for f in fields) != HEADER:
                problems.append((number, f"header must be alias<TAB>canonical<TAB>labels; found {line!r}"))
            continue
        if len(fields) != 3 or not fields[0] or not fields[1]:
            problems.append((number, f"expected alias<TAB>canonical<TAB>labels; found {line!r}"))
            continue
        labels = (
            frozenset()
            if fields[2] in ("", "*")
            else frozenset(part.strip().upper() for part in fields[2].split(",") if part.strip())
        )
        rows.append(Alias(fields[0], fields[1], labels))
    if problems:
        raise AliasFileError(source, problems)
    return rows


def load_alias_table(extra_files: Iterable[str | Path] = (), include_default: bool = True) -> AliasTable:
    """The shipped alias table plus users' files (later files win on conflicts)."""
    rows: list[Alias] = []
    if include_default:
        shipped = resources.files(__package__).joinpath("aliases.tsv")
        rows.extend(parse_alias_rows(shipped.read_text(encoding="utf-8"), "aliases.tsv"))
    for path in extra_files:
        file = Path(path)
        if not file.is_file():
            raise InputNotFoundError(file, "alias file")
        user_rows = parse_alias_rows(file.read_text(encoding="utf-8-sig"), str(file))
        rows = [*user_rows, *rows]
    return AliasTable(rows)
