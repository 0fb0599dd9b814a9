"""Context of each framing hit: the entity it is aimed at, and whether it is negated or hedged.

The spaCy factory ``analyzer_context`` runs after ``analyzer_framing`` and adds ``target``,
``negated``, ``hedged`` and ``quote_unclosed`` to every dict in ``doc._.az_framing``.
``quote_unclosed`` is true for a hit inside a quotation that never closes (see
:mod:`analyzer.nlp.quotes`): its voice is then what the words would have without the marks, most
often the author's, and a reader should check the quotation by hand.

Target: the entity the hit describes or acts on, by the rules of :mod:`analyzer.nlp.targets` (the
noun it modifies, the subject of a copular or labelling verb, the object of an evaluative verb, the
possessor, a pronoun resolved by number and gender, the actor of its clause).

Negated: a negation ("not", "n't", "never", "no") on the hit or on the words that govern it up to
its clause, unless the hit is the clause's subject ("Morales was not the victim of a *coup*",
"no evidence of *fraud*"). Hedged: a hedge of the lexicon ("alleged", "so-called", "reportedly") or
a modal ("may", "might", "could") on the hit, in its noun phrase, or on the words that govern it.

Without a parse (the ``fast`` profile) the same three fields come from word windows instead, see
:mod:`analyzer.nlp.window`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from .cues import MODAL_HEDGES, NEGATIONS
from .entities import token_entity_index
from .pronouns import drop_gender_cache
from .sentences import drop_cache
from .targets import find_target, hit_root
from .window import window_hedged, window_negated, window_target

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


def _governing_path(hit: Token) -> list[Token]:
    """The hit and the words above it up to its clause head, stopping above a subject."""
    path = [hit]
    node = hit
    for _ in range(12):
        if node.head is node or node.dep_ in SUBJECT_DEPS:
            break
        node = node.head
        path.append(node)
        if node.pos_ in ("VERB", "AUX"):
            break
    return path


def is_negated(doc: Doc, start: int, end: int) -> bool:
    """Whether a negation applies to the hit ``doc[start:end]``."""
    hit = hit_root(doc, start, end)
    for node in _governing_path(hit):
        for child in node.children:
            if child.dep_ == "neg" or (
                child.lower_ in NEGATIONS and child.dep_ in ("det", "advmod", "preconj")
            ):
                return True
        if node is not hit and node.lower_ == "without":
            return True
    return False


def is_hedged(doc: Doc, start: int, end: int, hedge_tokens: set[int]) -> bool:
    """Whether a hedge (lexicon hedge or modal) applies to the hit ``doc[start:end]``."""
    hit = hit_root(doc, start, end)
    inside = set(range(start, end))
    candidates: list[Token] = [t for t in hit.lefts if t.dep_ in ("amod", "advmod", "det", "compound")]
    for node in _governing_path(hit):
        if node is not hit:
            candidates.append(node)
        candidates.extend(c for c in node.children if c.dep_ in ("aux", "advmod", "amod"))
    for token in candidates:
        for t in token.subtree if token.dep_ == "amod" else (token,):
            if t.i in inside:
                continue
            if t.i in hedge_tokens or t.lower_ in MODAL_HEDGES:
                return True
    return False


class FramingContext:
    """The ``analyzer_context`` component (see the module docstring)."""

    def __call__(self, doc: Doc) -> Doc:
        hits = doc._.az_framing or []
        if not hits:
            drop_cache(doc)
            drop_gender_cache(doc)
            return doc
        parsed = doc.has_annotation("DEP")
        owner = token_entity_index(doc)
        ids = [e["id"] for e in doc._.az_entities or []]
        hedge_tokens = {k for h in hits if h["category"] == "hedge" for k in range(h["start"], h["end"])}
        unclosed = [(q["open"], q["close"]) for q in doc._.az_quotes or [] if not q.get("closed", True)]
        for hit in hits:
            start, end = hit["start"], hit["end"]
            at = doc[start].idx
            hit["quote_unclosed"] = any(low < at < high for low, high in unclosed)
            if parsed:
                target = find_target(doc, start, end, owner)
                hit["negated"] = is_negated(doc, start, end)
                hedged = is_hedged(doc, start, end, hedge_tokens)
            else:
                target = window_target(doc, start, end, owner)
                hit["negated"] = window_negated(doc, start)
                hedged = window_hedged(doc, start, hedge_tokens)
            hit["target"] = ids[target] if target is not None else None
            hit["hedged"] = hedged if hit["category"] != "hedge" else False
        drop_cache(doc)
        drop_gender_cache(doc)
        return doc


@Language.factory("analyzer_context", assigns=["doc._.az_framing"], requires=["doc._.az_framing"])
def make_framing_context(nlp: Language, name: str) -> FramingContext:
    """Factory for the target/negation/hedge component."""
    return FramingContext()
