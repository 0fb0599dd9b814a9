"""Framing lexicons: the shipped ``framing_v1.tsv`` and users' own files in the same format.

Format (documented for users in ``analyzer/lexicons/README.md``): UTF-8, tab-separated, ``#``
comment lines (``# name:`` and ``# version:`` are read as metadata), a header line
``term<TAB>category<TAB>polarity<TAB>note``, then one entry per line. ``check_lexicon`` returns
every problem with its line number; ``load_lexicon`` raises :class:`LexiconError` on the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import InputNotFoundError, LexiconError

HEADER = ("term", "category", "polarity", "note")
CATEGORIES: dict[str, str] = {
    "delegitimizing": "labels that deny an actor's or an act's legitimacy",
    "legitimizing": "labels that grant legitimacy",
    "violence_threat": "violence, force and threat",
    "derogatory_label": "derogatory labels for people and groups",
    "ideological_label": "ideological and political labels used as frames",
    "hedge": "hedges and epistemic markers",
    "intensifier": "intensifiers and emphatic words",
    "loaded_saying_verb": "loaded verbs of saying",
    "moral_judgement": "moral evaluation",
    "crisis_alarm": "alarm and crisis framing",
    "uncategorized": "not yet given a category (terms suggested by `analyzer lexicon suggest`)",
}
SCARE_QUOTE = "scare_quote"
POLARITIES = ("-1", "0", "1")
DEFAULT_LEXICON = "framing_v1.tsv"


@dataclass(frozen=True)
class LexiconEntry:
    """One term: ``words`` is the lower-cased term split on spaces."""

    term: str
    category: str
    polarity: int
    note: str
    line: int

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.term.split())


@dataclass
class Lexicon:
    """A named, versioned list of framing terms."""

    name: str
    version: str
    entries: list[LexiconEntry] = field(default_factory=list)
    source: str = ""

    @property
    def label(self) -> str:
        """``name@version``, as recorded in results."""
        return f"{self.name}@{self.version}"

    def single_words(self) -> frozenset[str]:
        """The terms of one word (what the loaded-word features and lexicon discovery compare
        single tokens with)."""
        return frozenset(e.term for e in self.entries if " " not in e.term)

    def categories(self) -> dict[str, int]:
        """Entry count per category."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.category] = counts.get(entry.category, 0) + 1
        return counts


def _parse(text: str, source: str) -> tuple[Lexicon, list[tuple[int, str]]]:
    meta: dict[str, str] = {}
    problems: list[tuple[int, str]] = []
    entries: list[LexiconEntry] = []
    seen: dict[str, int] = {}
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in ("name", "version", "description"):
                meta[key.strip()] = value.strip()
            continue
        fields = line.split("\t")
        if not header_seen:
            header_seen = True
            if tuple(f.strip().lower() for f in fields) != HEADER:
                problems.append((number, f"header must be {'<TAB>'.join(HEADER)}; found {line!r}"))
            continue
        if len(fields) != 4:
            problems.append((number, f"expected 4 tab-separated fields, found {len(fields)}"))
            continue
        term, category, polarity, note = (f.strip() for f in fields)
        if not term:
            problems.append((number, "empty term"))
            continue
        term = " ".join(term.lower().split())
        if category not in CATEGORIES:
            allowed = ", ".join(CATEGORIES)
            problems.append((number, f"unknown category {category!r}; allowed: {allowed}"))
        if polarity not in POLARITIES:
            problems.append((number, f"polarity must be -1, 0 or 1; found {polarity!r}"))
        if not note:
            problems.append((number, f"empty note for {term!r}"))
        if term in seen:
            problems.append((number, f"duplicate term {term!r} (first on line {seen[term]})"))
        seen.setdefault(term, number)
        if category in CATEGORIES and polarity in POLARITIES:
            entries.append(LexiconEntry(term, category, int(polarity), note, number))
    if not header_seen:
        problems.append((1, "no header line and no entries"))
    name = meta.get("name") or Path(source).stem
    return Lexicon(name, meta.get("version", "0"), entries, source), problems


def _read(path: str | Path) -> str:
    file = Path(path)
    if not file.is_file():
        raise InputNotFoundError(file, "lexicon file")
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LexiconError(file, [(1, f"not valid UTF-8 at byte {exc.start}")]) from exc


def check_lexicon(path: str | Path) -> list[tuple[int, str]]:
    """Validate a lexicon file: every problem as ``(line number, message)``; empty when valid."""
    try:
        text = _read(path)
    except LexiconError as exc:
        return exc.problems
    return _parse(text, str(path))[1]


def load_lexicon(path: str | Path) -> Lexicon:
    """Load a lexicon file, raising :class:`LexiconError` that names the first bad line."""
    lexicon, problems = _parse(_read(path), str(path))
    if problems:
        raise LexiconError(path, problems)
    return lexicon


def default_lexicon_path() -> Path:
    """Path of the shipped framing lexicon (works from a source tree and from a wheel)."""
    return Path(str(resources.files(__package__).joinpath(DEFAULT_LEXICON)))
