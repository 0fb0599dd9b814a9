"""Parse-free context rules for the ``fast`` profile: a framing hit's target, negation and hedge
from the words next to it, within its sentence.

Without a dependency parse the rules of :mod:`analyzer.nlp.context` cannot see heads and
children, so the fast profile looks at word windows instead. They find the frequent, local
patterns and miss the rest (long-distance subjects, "X was widely described as a dictator"):

Target, first rule that finds an entity (never a nationality, "the *Bolivian* coup"):
1. an entity just before the hit, a possessive allowed in between ("the Añez regime",
   "Morales' dictatorship", "Morales's regime");
2. "against X" right after the hit, or "of/on/toward X" for nouns that are not roles (and "of X"
   for a group role: "the government of Bolivia"), with at most a determiner before X;
3. a title directly followed by a person ("interim president Áñez", "dictator Morales");
4. for a role noun ("the illegitimate president"), the nearest preceding person (or
   organisation, for "regime", "government") in this or the previous sentence.

Negated: a negation word among the ``WINDOW`` words before the hit. Hedged: a hedge of the lexicon
or a modal among those words.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .cues import GROUP_ROLES, MODAL_HEDGES, NEGATIONS, PERSON_ROLES, TARGET_PREPS
from .entities import nearest_entity_before
from .sentences import sentence_bounds

WINDOW = 3
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their"})


def _entity(doc: Doc, k: int, owner: list[int | None], labels: tuple[str, ...] | None = None) -> int | None:
    """The entity owning token ``k`` unless it is a nationality (or not one of ``labels``)."""
    index = owner[k]
    if index is None:
        return None
    label = (doc._.az_entities or [])[index]["label"]
    if label == "NORP" or (labels is not None and label not in labels):
        return None
    return index


def _before(doc: Doc, start: int, owner: list[int | None], floor: int) -> int | None:
    k = start - 1
    while k >= floor and doc[k].text in POSSESSIVES:
        k -= 1
    return _entity(doc, k, owner) if k >= floor else None


def _complement(doc: Doc, end: int, lemma: str, owner: list[int | None], ceiling: int) -> int | None:
    if end >= ceiling or doc[end].lower_ not in TARGET_PREPS:
        return None
    prep = doc[end].lower_
    if lemma in PERSON_ROLES and prep != "against":
        return None
    if lemma in GROUP_ROLES and prep not in ("against", "of"):
        return None
    k = end + 1
    if k < ceiling and doc[k].lower_ in DETERMINERS:
        k += 1
    return _entity(doc, k, owner) if k < ceiling else None


def window_target(doc: Doc, start: int, end: int, owner: list[int | None]) -> int | None:
    """Entity index the hit ``doc[start:end]`` is aimed at, or None (rules in the module doc)."""
    floor, ceiling = sentence_bounds(doc)[start]
    lemma = doc[end - 1].lemma_.lower()
    found = _before(doc, start, owner, floor)
    if found is None:
        found = _complement(doc, end, lemma, owner, ceiling)
    noun = end - 1
    if found is None and doc[end - 1].pos_ == "ADJ" and end < ceiling and doc[end].pos_ == "NOUN":
        noun = end
        found = _complement(doc, end + 1, doc[end].lemma_.lower(), owner, ceiling)
    role = doc[noun].lemma_.lower()
    if found is None and role in PERSON_ROLES and noun + 1 < ceiling:
        found = _entity(doc, noun + 1, owner, ("PERSON",))
    if found is not None:
        return found
    if role in PERSON_ROLES:
        return nearest_entity_before(doc, noun, owner, ("PERSON",), sentences_back=1)
    if role in GROUP_ROLES:
        return nearest_entity_before(doc, noun, owner, ("PERSON", "ORG"))
    return None


def _window(doc: Doc, start: int) -> range:
    floor = sentence_bounds(doc)[start][0]
    return range(max(floor, start - WINDOW), start)


def window_negated(doc: Doc, start: int) -> bool:
    """Whether a negation word stands among the ``WINDOW`` words before the hit."""
    return any(doc[k].lower_ in NEGATIONS for k in _window(doc, start))


def window_hedged(doc: Doc, start: int, hedge_tokens: set[int]) -> bool:
    """Whether a lexicon hedge or a modal stands among the ``WINDOW`` words before the hit."""
    return any(k in hedge_tokens or doc[k].lower_ in MODAL_HEDGES for k in _window(doc, start))
