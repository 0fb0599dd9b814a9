"""Entity canonicalization: one entity per real-world referent within a document.

The spaCy factory ``analyzer_entities`` runs after NER and sets ``doc._.az_entities``: a list of
plain dicts ``{"id", "name", "label", "aliases", "mentions": [[start_token, end_token], ...]}``
(plain data so that Docs travel between processes). How mentions are merged, in order:

1. NER spans of the kept labels, with leading articles and trailing possessives trimmed, and split
   at an inner possessive ("Morales’ Movimiento al Socialismo" -> "Morales", "Movimiento al Socialismo").
2. Acronyms introduced as "Long Name (ACR)" or "Long Name, or ACR" are linked to their expansion;
   an acronym whose letters abbreviate another entity of the document is linked to it.
3. Same normalised key (diacritics, case, dots, titles ignored: "Añez" = "Áñez" = "Ms. Áñez").
4. The alias table ("U.S." = "the United States"; "America" only where NER says GPE).
5. A one-word person name joins the full name whose surname it is ("Morales" -> "Evo Morales").
6. The label is voted over the mentions, so one NER slip does not split or mislabel an entity.
7. Propagation: later capitalized occurrences of a known name or surname are mentions even where
   NER missed them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from .aliases import AliasTable, load_alias_table
from .sentences import previous_sentence_start
from .textnorm import (
    ARTICLES,
    acronym_matches,
    fold,
    is_acronym,
    name_key,
    name_words,
    strip_titles,
)
from .tokenscan import capitalized_positions

KEPT_LABELS = (
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "LOC",
    "FAC",
    "EVENT",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
)
LABEL_PREFERENCE = {label: rank for rank, label in enumerate(KEPT_LABELS)}
POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’"})
CONNECTORS = frozenset({"of", "for", "and", "the", "al", "de", "del", "la", "las", "los", "el", "y", "&"})

if not Doc.has_extension("az_entities"):
    Doc.set_extension("az_entities", default=None)


@dataclass
class _Mention:
    start: int
    end: int
    label: str
    words: list[str]
    from_ner: bool = True

    @property
    def key(self) -> str:
        return name_key(" ".join(strip_titles(self.words)))


@dataclass
class _Cluster:
    mentions: list[_Mention] = field(default_factory=list)
    canonical: str | None = None


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _trimmed_pieces(span: Span, known_names: set[str]) -> list[tuple[int, int]]:
    """Token ranges of ``span`` without articles/possessives.

    The span is split at an inner possessive only where the possessor is a name found on its own
    elsewhere ("Morales’ Movimiento al Socialismo"), not inside a name ("Bolivian Workers’ Center").
    """
    pieces: list[tuple[int, int]] = []
    start = span.start
    doc = span.doc
    for token in span:
        is_possessive = token.text in POSSESSIVE_TOKENS or token.tag_ == "POS"
        if is_possessive and token.i > start and name_key(doc[start : token.i].text) in known_names:
            pieces.append((start, token.i))
            start = token.i + 1
    pieces.append((start, span.end))
    out = []
    for s, e in pieces:
        while s < e and doc[s].lower_ in ARTICLES:
            s += 1
        while e > s and (doc[e - 1].text in POSSESSIVE_TOKENS or doc[e - 1].is_punct):
            e -= 1
        if s < e and (doc[s].text[:1].isupper() or doc[s].text[:1].isdigit()):
            out.append((s, e))
    return out


def _mention(doc: Doc, start: int, end: int, label: str, from_ner: bool = True) -> _Mention:
    return _Mention(start, end, label, name_words(doc[start:end].text), from_ner)


def _capitalized_run_before(doc: Doc, end: int) -> int:
    """Start of the run of capitalized words and connectors that ends at token ``end``."""
    start = end
    while start > 0:
        token = doc[start - 1]
        if token.text[:1].isupper() or (token.lower_ in CONNECTORS and start < end):
            start -= 1
        else:
            break
    while start < end and doc[start].lower_ in CONNECTORS:
        start += 1
    return start


def _acronym_links(doc: Doc, mentions: list[_Mention]) -> list[tuple[_Mention, _Mention]]:
    """Pairs (long form, acronym) introduced as "Long (ACR)" or "Long, or ACR"."""
    by_end = {m.end: m for m in mentions}
    by_start = {m.start: m for m in mentions}
    links = []
    for i in capitalized_positions(doc):
        token = doc[i]
        if not token.is_upper or not is_acronym(token.text):
            continue
        if i >= 1 and doc[i - 1].text == "(" and i + 1 < len(doc) and doc[i + 1].text == ")":
            long_end = i - 1
        elif i >= 2 and doc[i - 1].lower_ == "or" and doc[i - 2].text == ",":
            long_end = i - 2
        else:
            continue
        long_mention = by_end.get(long_end)
        if long_mention is None:
            start = _capitalized_run_before(doc, long_end)
            if long_end - start < 2:
                continue
            long_mention = _mention(doc, start, long_end, "ORG", from_ner=False)
        if not acronym_matches(token.text, long_mention.words):
            continue
        acronym = by_start.get(i) or _mention(doc, i, i + 1, long_mention.label, from_ner=False)
        links.append((long_mention, acronym))
    return links


def _best_spelling(variants: Iterable[str]) -> str:
    """Of several spellings of one word, the one with most diacritics ("Áñez" over "Añez")."""
    return max(variants, key=lambda w: (sum(1 for a, b in zip(w, fold(w), strict=False) if a != b), w))


def _display_name(cluster: _Cluster) -> str:
    if cluster.canonical:
        return cluster.canonical
    forms = [strip_titles(m.words) for m in cluster.mentions]
    longest = max(forms, key=lambda ws: (not is_acronym(" ".join(ws)), len(ws), len(" ".join(ws))))
    spellings: dict[str, list[str]] = {}
    for form in forms:
        for word in form:
            spellings.setdefault(fold(word), []).append(word)
    return " ".join(_best_spelling(spellings[fold(w)]) for w in longest)


class EntityCanonicalizer:
    """The ``analyzer_entities`` component (see the module docstring for the rules)."""

    def __init__(self, aliases: AliasTable, propagate: bool = True) -> None:
        self.aliases = aliases
        self.propagate = propagate

    def __call__(self, doc: Doc) -> Doc:
        ents = [ent for ent in doc.ents if ent.label_ in KEPT_LABELS]
        known_names = {name_key(ent.text) for ent in ents}
        mentions = [
            _mention(doc, s, e, ent.label_) for ent in ents for s, e in _trimmed_pieces(ent, known_names)
        ]
        links = _acronym_links(doc, mentions)
        known = {(m.start, m.end) for m in mentions}
        for pair in links:
            for m in pair:
                if (m.start, m.end) not in known and not self._overlaps(m, mentions):
                    mentions.append(m)
                    known.add((m.start, m.end))
        mentions.sort(key=lambda m: m.start)
        clusters = self._cluster(mentions, links)
        if self.propagate:
            self._propagate(doc, clusters)
        doc._.az_entities = self._export(clusters)
        return doc

    @staticmethod
    def _overlaps(m: _Mention, mentions: list[_Mention]) -> bool:
        return any(o.start < m.end and m.start < o.end for o in mentions)

    def _cluster(self, mentions: list[_Mention], links: list[tuple[_Mention, _Mention]]) -> list[_Cluster]:
        index = {(m.start, m.end): i for i, m in enumerate(mentions)}
        uf = _UnionFind(len(mentions))
        first_by_key: dict[str, int] = {}
        canonical_of: dict[int, str] = {}
        for i, m in enumerate(mentions):
            keys = [m.key]
            canonical = self.aliases.lookup(" ".join(m.words), m.label)
            if canonical:
                canonical_of[i] = canonical
                keys.append(name_key(canonical))
            for key in keys:
                if key in first_by_key:
                    uf.union(first_by_key[key], i)
                else:
                    first_by_key[key] = i
        for long_m, acr in links:
            if (long_m.start, long_m.end) in index and (acr.start, acr.end) in index:
                uf.union(index[(long_m.start, long_m.end)], index[(acr.start, acr.end)])
        self._link_cooccurring_acronyms(mentions, uf)
        self._link_surnames(mentions, uf)
        groups: dict[int, _Cluster] = {}
        for i, m in enumerate(mentions):
            cluster = groups.setdefault(uf.find(i), _Cluster())
            cluster.mentions.append(m)
            if i in canonical_of and cluster.canonical is None:
                cluster.canonical = canonical_of[i]
        return sorted(groups.values(), key=lambda c: c.mentions[0].start)

    @staticmethod
    def _link_cooccurring_acronyms(mentions: list[_Mention], uf: _UnionFind) -> None:
        long_forms = [(i, m) for i, m in enumerate(mentions) if len(m.words) >= 2]
        for i, m in enumerate(mentions):
            if len(m.words) != 1 or not is_acronym(m.words[0]):
                continue
            matches = {uf.find(j) for j, lm in long_forms if acronym_matches(m.words[0], lm.words)}
            if len(matches) == 1:
                uf.union(i, matches.pop())

    @staticmethod
    def _link_surnames(mentions: list[_Mention], uf: _UnionFind) -> None:
        full_names = [
            (i, fold(strip_titles(m.words)[-1]))
            for i, m in enumerate(mentions)
            if m.label == "PERSON" and len(strip_titles(m.words)) >= 2
        ]
        for i, m in enumerate(mentions):
            words = strip_titles(m.words)
            if len(words) != 1 or is_acronym(words[0]):
                continue
            surname = fold(words[0])
            candidates = [j for j, last in full_names if last == surname]
            if not candidates:
                continue
            preceding = [j for j in candidates if mentions[j].start <= m.start]
            uf.union(i, preceding[-1] if preceding else candidates[0])

    def _propagate(self, doc: Doc, clusters: list[_Cluster]) -> None:
        taken = bytearray(len(doc))
        for cluster in clusters:
            for m in cluster.mentions:
                taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        patterns: dict[str, list[tuple[tuple[str, ...], int, bool]]] = {}
        for ci, cluster in enumerate(clusters):
            forms = {tuple(strip_titles(m.words)) for m in cluster.mentions}
            if _vote_label(cluster) == "PERSON":
                forms |= {(form[-1],) for form in forms}
            for form in forms:
                keys = tuple(name_key(w) for w in form)
                if keys and all(keys) and len("".join(keys)) >= 2:
                    acronym = len(form) == 1 and is_acronym(form[0])
                    patterns.setdefault(keys[0], []).append((keys, ci, acronym))
        for candidates in patterns.values():
            candidates.sort(key=lambda c: -len(c[0]))
        token_keys = [""] * len(doc)
        starts = [i for i in capitalized_positions(doc) if not taken[i]]
        for i in starts:
            token_keys[i] = name_key(doc[i].text)
        covered = 0
        for i in starts:
            if i < covered or token_keys[i] not in patterns:
                continue
            for keys, ci, acronym in patterns[token_keys[i]]:
                n = len(keys)
                if tuple(token_keys[i : i + n]) != keys or any(taken[i : i + n]):
                    continue
                if acronym and not doc[i].text.replace(".", "").isupper():
                    continue
                label = _vote_label(clusters[ci])
                clusters[ci].mentions.append(_mention(doc, i, i + n, label, from_ner=False))
                covered = i + n
                break
        for cluster in clusters:
            cluster.mentions.sort(key=lambda m: m.start)

    def _export(self, clusters: list[_Cluster]) -> list[dict]:
        out = []
        for number, cluster in enumerate(clusters, start=1):
            aliases = sorted({" ".join(strip_titles(m.words)) for m in cluster.mentions})
            out.append(
                {
                    "id": f"E{number}",
                    "name": _display_name(cluster),
                    "label": _vote_label(cluster),
                    "aliases": aliases,
                    "mentions": [[m.start, m.end] for m in cluster.mentions],
                }
            )
        return out


def _vote_label(cluster: _Cluster) -> str:
    """Most frequent NER label among the mentions NER found; ties by a fixed preference."""
    votes = Counter(m.label for m in cluster.mentions if m.from_ner)
    if not votes:
        votes = Counter(m.label for m in cluster.mentions)
    return max(votes, key=lambda label: (votes[label], -LABEL_PREFERENCE.get(label, 99)))


@Language.factory(
    "analyzer_entities",
    assigns=["doc._.az_entities"],
    requires=["doc.ents"],
    default_config={"alias_files": [], "propagate": True},
)
def make_entity_canonicalizer(
    nlp: Language, name: str, alias_files: list[str], propagate: bool
) -> EntityCanonicalizer:
    """Factory: the shipped alias table plus ``alias_files``."""
    return EntityCanonicalizer(load_alias_table(alias_files), propagate=propagate)


def token_entity_index(doc: Doc) -> list[int | None]:
    """For every token, the index in ``doc._.az_entities`` of the entity it belongs to, or None."""
    owner: list[int | None] = [None] * len(doc)
    for index, entity in enumerate(doc._.az_entities or []):
        for start, end in entity["mentions"]:
            for i in range(start, end):
                owner[i] = index
    return owner


def nearest_entity_before(
    doc: Doc,
    i: int,
    owner: list[int | None],
    labels: Iterable[str],
    sentences_back: int = 0,
    exclude: int | None = None,
) -> int | None:
    """Index of the nearest entity with one of ``labels`` mentioned before token ``i``, looking
    back through the current sentence and ``sentences_back`` earlier ones, skipping ``exclude``."""
    entities = doc._.az_entities or []
    allowed = frozenset(labels)
    floor = previous_sentence_start(doc, i, sentences_back)
    for k in range(i - 1, floor - 1, -1):
        index = owner[k]
        if index is not None and index != exclude and entities[index]["label"] in allowed:
            return index
    return None
