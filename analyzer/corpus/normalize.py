"""From a reader's raw row to an :class:`~analyzer.engine.ArticleInput`: column mapping, ISO dates,
stable ids, and the problems that keep a record from being analyzed.

Every reader produces plain ``dict`` rows plus where they came from (``file:line``); this module is
the one place that decides what the fields are called, how a date is written and when a record is
not analyzable. A record with a problem (no text, unreadable, duplicate id) is still yielded, with
``problem`` set, so a batch run lists it in its manifest instead of dropping it silently.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..errors import InputError
from ..records import ArticleInput, content_id
from ..textio import lone_surrogate

FIELDS = ("text", "id", "outlet", "date", "title", "url")
RELATIVE_DATES = ("now", "today")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article", "content_original", "full_text"),
    "id": ("id", "doc_id", "article_id", "uuid", "ID"),
    "outlet": ("outlet", "source", "source_domain", "publisher", "domain", "medium", "media"),
    "date": ("date", "published", "date_publish", "publish_date", "pubdate", "datetime", "published_at"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url", "news_link"),
}


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds each field; ``None`` means the first present of :data:`CANDIDATES`."""

    text: str | None = None
    id: str | None = None
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    url: str | None = None

    def resolve(self, columns: list[str], where: str) -> dict[str, str | None]:
        """Field -> column for a table with ``columns``; a named column that is absent, or no
        text column at all, is a one-line error listing the columns found."""
        resolved: dict[str, str | None] = {}
        for name in FIELDS:
            given = getattr(self, name)
            if given is not None and given not in columns:
                raise InputError(
                    f"{where}: column {given!r} (--{name}-col) not found; columns found: {_listed(columns)}"
                )
            resolved[name] = given or next((c for c in CANDIDATES[name] if c in columns), None)
        if resolved["text"] is None:
            raise InputError(
                f"{where}: no text column (tried {', '.join(CANDIDATES['text'])}; name it with --text-col); "
                f"columns found: {_listed(columns)}"
            )
        return resolved


def _listed(columns: list[str]) -> str:
    """Column names for a one-line message: names with line breaks or other control characters
    are shown escaped (as Python string literals), the rest as they are."""
    return ", ".join(c if c.isprintable() else repr(c) for c in columns)


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def iso_date(value: Any) -> str | None:
    """``value`` as an ISO date (``2024-03-05``) or date-time when it has a time of day; ``None``
    when empty or not a date (lists, objects, words like ``now`` that pandas would read as the
    time of reading, years before 1 or after 9999)."""
    if _blank(value):
        return None
    if isinstance(value, date):  # also datetime and pandas Timestamp
        candidate: Any = value
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        candidate = str(value).strip()
        if candidate.lower() in RELATIVE_DATES:
            return None
    else:
        return None
    try:
        stamp = pd.Timestamp(candidate)
        if pd.isna(stamp):
            return None
        if (
            stamp.hour == stamp.minute == stamp.second == 0
            and stamp.microsecond == 0
            and stamp.tzinfo is None
        ):
            return stamp.date().isoformat()
        return stamp.isoformat()
    except (ValueError, OverflowError, TypeError, NotImplementedError):
        return None


class Normalizer:
    """Turns raw rows into articles; remembers ids to flag duplicates (8 bytes per id)."""

    def __init__(self, columns: ColumnMap | None = None, encoding: str = "utf-8") -> None:
        self.columns = columns or ColumnMap()
        self.encoding = encoding
        self._seen: dict[int, str] = {}

    def _wrong_value(self, row: dict[str, Any], fields: dict[str, str | None]) -> str | None:
        """Why ``row`` cannot be used as it is (see :meth:`article`), or None."""
        for name, column in fields.items():
            value = row.get(column) if column else None
            if _blank(value) or name == "date":
                continue
            if name == "text" and not isinstance(value, str):
                return f"text is a {type(value).__name__}, not a string"
            if isinstance(value, list | tuple | dict | set | bytes):
                return f"{name} is a {type(value).__name__}, not a string or number"
        for key, value in row.items():
            for part in (key, value):
                bad = lone_surrogate(part) if isinstance(part, str) else -1
                if bad < 0:
                    continue
                code = ord(part[bad])
                if 0xDC80 <= code <= 0xDCFF:
                    return (
                        f"column {str(key)!r}: byte 0x{code - 0xDC00:02X} at character {bad} is not valid "
                        f"{self.encoding}; pass --encoding with the file's encoding"
                    )
                return (
                    f"column {str(key)!r}: lone surrogate U+{code:04X} at character {bad} (not valid Unicode)"
                )
        return None

    def _text_field(self, row: dict[str, Any], column: str | None) -> str | None:
        if column is None or _blank(row.get(column)):
            return None
        return str(row[column]).strip()

    def article(self, row: dict[str, Any], fields: dict[str, str | None], source: str) -> ArticleInput:
        """The article of ``row`` (``fields`` from :meth:`ColumnMap.resolve`), found at ``source``.

        A row whose text is not a string (a number, list or object in JSON or Parquet), whose id,
        outlet, title or url is a list or object, or that holds text not valid in the file's
        encoding (or a lone surrogate) is yielded as unreadable, with the reason."""
        wrong = self._wrong_value(row, fields)
        if wrong is not None:
            return self.unreadable(source, wrong)
        raw_text = row.get(fields["text"] or "")
        text = "" if _blank(raw_text) else str(raw_text)
        doc_id = self._text_field(row, fields["id"]) or (content_id(text) if text.strip() else None)
        raw_date = row.get(fields["date"] or "")
        date = iso_date(raw_date)
        meta = {
            k: v
            for k, v in row.items()
            if k not in {c for c in fields.values() if c}
            and not _blank(v)
            and isinstance(v, str | int | float | bool)
        }
        if date is None and not _blank(raw_date):
            meta["date_unparsed"] = str(raw_date)
        problem = None
        if not text.strip():
            problem = "no text"
        elif doc_id is not None:
            key = int.from_bytes(
                hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            )
            first = self._seen.setdefault(key, source)
            if first != source:
                problem = f"duplicate id {doc_id!r} (first at {first})"
        return ArticleInput(
            text=text,
            doc_id=doc_id or f"empty-{source}",
            outlet=self._text_field(row, fields["outlet"]),
            title=self._text_field(row, fields["title"]),
            date=date,
            url=self._text_field(row, fields["url"]),
            meta=meta,
            source=source,
            problem=problem,
        )

    def unreadable(self, source: str, reason: str) -> ArticleInput:
        """A placeholder for a record that could not be read at all (kept for the manifest)."""
        return ArticleInput(
            text="", doc_id=f"unreadable-{source}", source=source, problem=f"unreadable: {reason}"
        )
