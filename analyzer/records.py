"""Record types: an article as given (:class:`ArticleInput`) and what ``Analyzer.analyze`` returns
(:class:`ArticleAnalysis`, serialised as ``analyzer.article/1``).

All offsets are character offsets into the exact input text: ``text[start:end]`` is the mention's
or hit's ``text``. Fields the classifiers fill (``stance``, ``bias``, ``leaning``, ``targets``)
stay ``None``/empty until a trained model provides them: there are no placeholder numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "analyzer.article/1"
Voice = Literal["author", "quoted", "attributed"]


def content_id(text: str) -> str:
    """Stable document id from the text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class ArticleInput:
    """An article and its metadata, as given to :meth:`~analyzer.engine.Engine.analyze_many`.

    Readers also fill ``url``, ``meta`` (the other columns of the input row), ``source`` (where
    the record came from, ``file:line``) and ``problem`` (why it cannot be analyzed: no text,
    unreadable, duplicate id, another language; such records are reported, not analyzed); the
    screening step fills ``language`` (detected) and ``dup_group`` (near-duplicate group).
    """

    text: str
    doc_id: str | None = None
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    targets: Sequence[str] = field(default_factory=tuple)
    url: str | None = None
    meta: dict = field(default_factory=dict)
    source: str | None = None
    problem: str | None = None
    language: str | None = None
    dup_group: str | None = None


@dataclass
class Mention:
    """One occurrence of an entity."""

    start: int
    end: int
    text: str
    sentence: int
    voice: Voice = "author"
    """Whose words the mention is in (its first token's voice): the author's, inside a quotation,
    or in reported speech. The author-stance aggregate weighs mentions by it."""
    stance: dict[str, float] | None = None
    """This mention's entity-stance probabilities (label -> probability), when scored."""


@dataclass
class Entity:
    """A canonical entity: all its spellings merged."""

    id: str
    name: str
    label: str
    aliases: list[str]
    count: int
    mentions: list[Mention]
    stance: dict[str, Any] | None = None


@dataclass
class FramingHit:
    """A loaded framing term in context. ``quote_unclosed`` flags a hit inside a quotation mark
    that never closes: its voice falls back to what the words would have without the mark."""

    text: str
    lemma: str
    start: int
    end: int
    sentence: int
    category: str
    polarity: int
    voice: Voice
    speaker: str | None
    target: str | None
    negated: bool
    hedged: bool
    source: str = "lexicon"
    score: float = 1.0
    quote_unclosed: bool = False


@dataclass
class Sentence:
    """A sentence with the voice most of it is in."""

    start: int
    end: int
    voice: Voice
    bias: float | None = None


@dataclass
class ArticleAnalysis:
    """Everything found in one article (schema ``analyzer.article/1``)."""

    doc_id: str
    outlet: str | None
    title: str | None
    date: str | None
    language: str
    n_tokens: int
    n_sentences: int
    entities: list[Entity] = field(default_factory=list)
    framing: list[FramingHit] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the documented key order, starting with ``"schema"``."""
        return {"schema": SCHEMA, **asdict(self)}

    def to_json(self, indent: int | None = None) -> str:
        """The record as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
