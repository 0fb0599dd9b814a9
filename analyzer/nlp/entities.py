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
5. A one-word person name joins the full name whose surname it is ("Morales" -> "Evo Morales"); where
   several full names share that surname ("Mary Cheney", "Liz Cheney"), the one mentioned last
   before it, and only that one.
6. The label is voted over the mentions, so one NER slip does not split or mislabel an entity, then
   corrected where the text or a short list says otherwise: platforms and networks are
   organisations ("Facebook" tagged PERSON), a name after an honorific is a person.
7. Propagation: later capitalized occurrences of a known name or surname are mentions even where
   NER missed them (of a surname several people share, the one mentioned last).
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
PLATFORMS = frozenset(
    {
        "facebook", "twitter", "instagram", "youtube", "tiktok", "whatsapp", "snapchat", "reddit",
        "linkedin", "telegram", "parler", "truth social", "gab", "tumblr", "pinterest", "x.com",
        "google", "wikipedia", "huffpost", "buzzfeed", "politico", "axios", "breitbart", "drudge report",
    }
)  # fmt: skip
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov", "governor",
     "mayor", "judge", "sir", "dame", "congressman", "congresswoman", "president", "speaker"}
)  # fmt: skip
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
        doc._.az_entities = self._export(doc, clusters)
        return doc

    @staticmethod
    def _overlaps(m: _Mention, mentions: list[_Mention]) -> bool:
        return any(o.start < m.end and m.start < o.end for o in mentions)

    def _cluster(self, mentions: list[_Mention], links: list[tuple[_Mention, _Mention]]) -> list[_Cluster]:
        index = {(m.start, m.end): i for i, m in enumerate(mentions)}
        uf = _UnionFind(len(mentions))
        first_by_key: dict[str, int] = {}
        canonical_of: dict[int, str] = {}
        shared = _shared_surnames(mentions)
        for i, m in enumerate(mentions):
            if m.key in shared:
                continue  # "Cheney" beside "Mary Cheney" and "Liz Cheney": linked by position below
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
            matching = [
                (keys, ci, acronym)
                for keys, ci, acronym in patterns[token_keys[i]]
                if tuple(token_keys[i : i + len(keys)]) == keys and not any(taken[i : i + len(keys)])
            ]
            if matching:
                longest = len(matching[0][0])
                tied = [c for c in matching if len(c[0]) == longest]
                matching = [max(tied, key=lambda c: _last_start_before(clusters[c[1]], i)), *matching]
            for keys, ci, acronym in matching:
                n = len(keys)
                if acronym and not doc[i].text.replace(".", "").isupper():
                    continue
                label = _vote_label(clusters[ci])
                clusters[ci].mentions.append(_mention(doc, i, i + n, label, from_ner=False))
                covered = i + n
                break
        for cluster in clusters:
            cluster.mentions.sort(key=lambda m: m.start)

    def _export(self, doc: Doc, clusters: list[_Cluster]) -> list[dict]:
        out = []
        for number, cluster in enumerate(clusters, start=1):
            aliases = sorted({" ".join(strip_titles(m.words)) for m in cluster.mentions})
            out.append(
                {
                    "id": f"E{number}",
                    "name": _display_name(cluster),
                    "label": corrected_label(doc, cluster.mentions, _vote_label(cluster)),
                    "aliases": aliases,
                    "mentions": [[m.start, m.end] for m in cluster.mentions],
                }
            )
        return out


def _shared_surnames(mentions: list[_Mention]) -> set[str]:
    """Keys of one-word names that are the surname of two or more different full person names
    ("Cheney" with "Mary Cheney" and "Liz Cheney"): such a mention belongs to the full name before
    it, not to every "Cheney" of the text."""
    owners: dict[str, set[str]] = {}
    for m in mentions:
        words = strip_titles(m.words)
        if m.label == "PERSON" and len(words) >= 2:
            owners.setdefault(fold(words[-1]), set()).add(m.key)
    return {
        m.key
        for m in mentions
        if len(strip_titles(m.words)) == 1 and len(owners.get(fold(strip_titles(m.words)[0]), ())) >= 2
    }


def _last_start_before(cluster: _Cluster, i: int) -> int:
    """Start of the cluster's last mention before token ``i`` (-1 when none)."""
    return max((m.start for m in cluster.mentions if m.start < i), default=-1)


def corrected_label(doc: Doc, mentions: list[_Mention], label: str) -> str:
    """The voted label, corrected where the text says otherwise: a known platform or network is
    an organisation whatever NER says ("Facebook", "Twitter" tagged PERSON), a "person" always
    written as a town before its state ("Hope, Ark.") is a place, and a name that an honorific
    precedes ("Ms. Fiorina", "Sen. Schatz") is a person."""
    keys = {m.key for m in mentions}
    if keys & PLATFORMS:
        return "ORG"
    found = [m for m in mentions if m.from_ner]
    if label == "PERSON" and found and all(_before_state(doc, m) for m in found):
        return "GPE"
    if label != "PERSON":
        for m in mentions:
            before = doc[m.start - 1].text if m.start > 0 else ""
            first = m.words[0] if m.words else ""
            if any(fold(w).rstrip(".") in HONORIFICS for w in (before, first)):
                return "PERSON"
    return label


def _before_state(doc: Doc, mention: _Mention) -> bool:
    """Whether a one-word mention is followed by a comma and a place name ("Hope, Ark.")."""
    end = mention.end
    return (
        len(mention.words) == 1
        and end + 1 < len(doc)
        and doc[end].text == ","
        and doc[end + 1].ent_type_ == "GPE"
        and doc[end + 1].ent_iob_ == "B"
    )


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
