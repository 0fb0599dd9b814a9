"""Framing-term matching: lexicon terms and scare quotes, with the voice they are in.

The spaCy factory ``analyzer_framing`` runs after ``analyzer_attribution`` and sets
``doc._.az_framing``: a list of plain dicts, one per hit, with token offsets ``start``/``end``,
``lemma``, ``category``, ``polarity``, ``source`` (``"lexicon"``), ``score``, ``voice`` and
``speaker``; ``analyzer_context`` adds ``target``, ``negated`` and ``hedged``.

Matching rules (documented for users in ``analyzer/lexicons/README.md``):
- every lexicon word matches a token whose lower-cased text equals it or one of the inflected
  forms it allows (:mod:`analyzer.nlp.inflect`), or whose lemma equals it, so "coups" and "Coup"
  match "coup", "scapegoated" matches "scapegoat" where the tagger does not know the word, and
  "rigged" matches "rigged" even where the tagger lemmatizes it to "rig";
- a multiword or hyphenated term matches the same way word by word, with hyphens optional
  ("duly elected" = "duly-elected", "self-proclaimed" = "self proclaimed"); the longest match wins;
- loaded verbs of saying only match verbs ("insisted", not "the insistence");
- words inside a named entity are not framing ("Socialist International", "Patriotic Union");
- a quotation of one to four words with no finite verb is a scare quote: a hit of its own,
  category ``scare_quote``; its voice is ``quoted`` (with the speaker) when it is a partial
  quotation of someone (a speaker was found, or it sits in reported speech or inside another
  quotation) and ``author`` when the marks are the author's own; a quotation that never closes
  gives none.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicons import SCARE_QUOTE, Lexicon, LexiconEntry, default_lexicon_path, load_lexicon
from .entities import token_entity_index
from .inflect import entry_words, form_index, term_forms
from .tokenscan import candidate_positions, word_hashes

HYPHENS = frozenset({"-", "–", "‐"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
MAX_SCARE_WORDS = 4

if not Doc.has_extension("az_framing"):
    Doc.set_extension("az_framing", default=None)


class _LazyForms:
    """``forms[i]`` = the strings token i matches a lexicon word by, in order of preference: its
    lower-cased text, every lexicon word its text is an inflected form of, then its lower-cased
    lemma (the tagger's guess comes last: it lemmatizes "shamed" to "sham"); computed when first
    asked."""

    def __init__(self, doc: Doc, bases: dict[str, frozenset[str]]) -> None:
        self.doc = doc
        self.bases = bases
        self.cache: dict[int, tuple[str, ...]] = {}

    def __getitem__(self, i: int) -> tuple[str, ...]:
        found = self.cache.get(i)
        if found is None:
            token = self.doc[i]
            lower = token.lower_
            keys = [lower, *sorted(self.bases.get(lower, ())), token.lemma_.lower()]
            found = self.cache[i] = tuple(dict.fromkeys(keys))
        return found


class TermIndex:
    """Lexicon entries indexed by first word for a left-to-right longest-match scan."""

    def __init__(self, lexicons: list[Lexicon]) -> None:
        self.lexicons = lexicons
        self.by_first: dict[str, list[tuple[tuple[str, ...], LexiconEntry]]] = {}
        seen: set[tuple[str, ...]] = set()
        inflected: list[tuple[str, frozenset[str]]] = []
        first_forms: set[str] = set()
        for lexicon in lexicons:
            for entry in lexicon.entries:
                words = entry_words(entry.term)
                if not words or words in seen:
                    continue
                seen.add(words)
                self.by_first.setdefault(words[0], []).append((words, entry))
                forms = term_forms(entry.term, verb=entry.category == "loaded_saying_verb")
                inflected.extend(zip(words, forms, strict=True))
                first_forms |= forms[0]
        for candidates in self.by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self.bases = form_index(inflected)
        self.first_hashes = word_hashes(first_forms)

    def match(self, doc: Doc, blocked: list[int | None]) -> list[tuple[int, int, LexiconEntry]]:
        """Non-overlapping (start, end, entry) matches, longest first at each position."""
        forms = _LazyForms(doc, self.bases)
        hits = []
        covered = 0
        for i in candidate_positions(doc, self.first_hashes):
            if i < covered:
                continue
            end = 0
            for key in forms[i]:
                for words, entry in self.by_first.get(key, ()):
                    stop = self._match_at(doc, forms, i, words)
                    if stop and stop > end and self._allowed(doc, i, stop, entry, blocked):
                        end, best = stop, entry
            if end:
                hits.append((i, end, best))
                covered = end
        return hits

    @staticmethod
    def _match_at(doc: Doc, forms: _LazyForms, i: int, words: tuple[str, ...]) -> int:
        j = i
        for k, word in enumerate(words):
            if k and j < len(doc) and doc[j].text in HYPHENS and not doc[j - 1].whitespace_:
                j += 1
            if j >= len(doc) or word not in forms[j]:
                return 0
            j += 1
        return j

    @staticmethod
    def _allowed(doc: Doc, start: int, end: int, entry: LexiconEntry, blocked: list[int | None]) -> bool:
        if any(blocked[k] is not None for k in range(start, end)):
            return False
        if entry.category == "loaded_saying_verb" and doc.has_annotation("POS"):
            return doc[start].pos_ == "VERB"
        return True


def _scare_quote_voice(quote: dict) -> str:
    """Voice of a short quotation: the speaker's (``quoted``) when it is a partial quotation of
    someone (a speaker found, inside reported speech or inside another quotation), the author's
    own scare quote otherwise; a quotation embedded as a modifier in the writer's phrase has the
    voice of that phrase (see :mod:`analyzer.nlp.attribution`)."""
    if quote.get("embedded"):
        return quote.get("context_voice", "author")
    if quote["speaker"] is not None or quote.get("context_voice") in ("attributed", "quoted"):
        return "quoted"
    return "author"


def _scare_quote_hits(doc: Doc) -> list[dict]:
    hits = []
    for quote in doc._.az_quotes or []:
        if not quote.get("closed", True):
            continue
        span = doc.char_span(quote["open"] + 1, quote["close"], alignment_mode="contract")
        if span is None:
            continue
        words = [t for t in span if not t.is_punct and not t.is_space]
        if not 1 <= len(words) <= MAX_SCARE_WORDS:
            continue
        if any(t.tag_ in FINITE_TAGS or t.pos_ == "PRON" for t in words):
            continue
        start, end = words[0].i, words[-1].i + 1
        hits.append(
            {
                "start": start,
                "end": end,
                "lemma": " ".join(t.lemma_.lower() for t in words),
                "category": SCARE_QUOTE,
                "polarity": -1,
                "source": "lexicon",
                "score": 1.0,
                "voice": _scare_quote_voice(quote),
                "speaker": quote["speaker"],
            }
        )
    return hits


class FramingMatcher:
    """The ``analyzer_framing`` component (see the module docstring)."""

    def __init__(self, lexicons: list[Lexicon], scare_quotes: bool = True) -> None:
        self.lexicons = lexicons
        self.index = TermIndex(lexicons)
        self.scare_quotes = scare_quotes

    @property
    def lexicon_label(self) -> str:
        """``name@version`` of every lexicon, joined with ``+``."""
        return "+".join(lexicon.label for lexicon in self.lexicons)

    def __call__(self, doc: Doc) -> Doc:
        owner = token_entity_index(doc)
        voice = doc._.az_voice or ["author"] * len(doc)
        speaker = doc._.az_speaker or [None] * len(doc)
        hits = []
        for start, end, entry in self.index.match(doc, owner):
            head = max(range(start, end), key=lambda k: voice[k] == "quoted")
            hits.append(
                {
                    "start": start,
                    "end": end,
                    "lemma": entry.term,
                    "category": entry.category,
                    "polarity": entry.polarity,
                    "source": "lexicon",
                    "score": 1.0,
                    "voice": voice[head],
                    "speaker": speaker[head],
                }
            )
        if self.scare_quotes:
            hits.extend(_scare_quote_hits(doc))
        hits.sort(key=lambda h: (h["start"], h["end"]))
        doc._.az_framing = hits
        return doc


@Language.factory(
    "analyzer_framing",
    assigns=["doc._.az_framing"],
    requires=["doc._.az_voice"],
    default_config={"lexicons": [], "include_default": True, "scare_quotes": True},
)
def make_framing_matcher(
    nlp: Language, name: str, lexicons: list[str], include_default: bool, scare_quotes: bool
) -> FramingMatcher:
    """Factory: the shipped lexicon (unless ``include_default`` is false) plus ``lexicons`` files."""
    paths: list[Path] = [default_lexicon_path()] if include_default else []
    paths.extend(Path(p) for p in lexicons)
    return FramingMatcher([load_lexicon(p) for p in paths], scare_quotes=scare_quotes)
