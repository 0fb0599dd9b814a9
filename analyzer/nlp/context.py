"""Context of each framing hit: the entity it is aimed at, and whether it is negated or hedged.

The spaCy factory ``analyzer_context`` runs after ``analyzer_framing`` and adds ``target``,
``negated`` and ``hedged`` to every dict in ``doc._.az_framing``.

Target, in order of the first rule that finds an entity:
1. an entity inside the hit's noun phrase ("the *Añez* regime", "Morales’ dictatorship");
2. a complement "against X" ("the coup against Morales"), or "of/on/toward X" for nouns that are not
   roles ("repression of the ADU"; but "president of Bolivia" names a role's domain, not a target);
3. for a modifier ("*illegitimate* president"), the same rules on the noun it modifies, and the
   entity that noun is a title of ("interim president Áñez");
4. the subject the hit is predicated of ("Áñez was illegitimate", "Morales is a dictator"), the
   object of a naming verb ("branded *her* a dictator", the pronoun resolved, never to the
   subject), or the entity it is in apposition to;
5. for a role noun without an entity of its own ("the illegitimate president"), the nearest
   preceding person (or organisation, for "regime", "government") in this or the previous sentence.

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

from .attribution import NAMING_VERBS, actor_entity, clause_subject
from .cues import GROUP_ROLES, MODAL_HEDGES, NEGATIONS, PERSON_ROLES, TARGET_PREPS
from .entities import nearest_entity_before, token_entity_index
from .sentences import drop_cache
from .window import window_hedged, window_negated, window_target

PREDICATE_DEPS = frozenset({"attr", "acomp", "oprd"})
MODIFIER_DEPS = frozenset({"amod", "compound", "advmod", "nmod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


def _root(doc: Doc, start: int, end: int) -> Token:
    for k in range(start, end):
        head = doc[k].head
        if head.i < start or head.i >= end or head.i == k:
            return doc[k]
    return doc[start]


def _inner_entity(doc: Doc, noun: Token, owner: list[int | None], skip: Token | None = None) -> int | None:
    """An entity modifying ``noun``; a nationality adjective ("the *Bolivian* coup") says where,
    not at whom, so it does not count."""
    entities = doc._.az_entities or []
    for child in noun.children:
        if child is skip or child.dep_ not in ("compound", "poss", "nmod", "amod"):
            continue
        index = owner[child.i]
        if index is not None and entities[index]["label"] != "NORP":
            return index
    return None


def _prep_entity(doc: Doc, noun: Token, owner: list[int | None]) -> int | None:
    """ "coup against X"; "of X" etc. only for nouns that are not roles, except "the government
    of X" where X is a country."""
    lemma = noun.lemma_.lower()
    for prep in TARGET_PREPS:
        if lemma in PERSON_ROLES and prep != "against":
            continue
        if lemma in GROUP_ROLES and prep not in ("against", "of"):
            continue
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == prep:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = actor_entity(doc, pobj, owner)
                        if found is None:
                            continue
                        label = (doc._.az_entities or [])[found]["label"]
                        if lemma not in GROUP_ROLES or prep == "against" or label == "GPE":
                            return found
    return None


def _predicate_entity(doc: Doc, noun: Token, owner: list[int | None]) -> int | None:
    head = noun.head
    if noun.dep_ == "appos" and owner[head.i] is not None:
        return owner[head.i]
    if noun.dep_ in PREDICATE_DEPS or (noun.dep_ in ("ccomp", "xcomp") and noun.pos_ in ("NOUN", "ADJ")):
        for child in noun.children:
            if child.dep_ in SUBJECT_DEPS:
                found = actor_entity(doc, child, owner)
                if found is not None:
                    return found
        if noun.dep_ in ("attr", "acomp"):
            return actor_entity(doc, clause_subject(head), owner)
    if head.lemma_.lower() in NAMING_VERBS and noun.dep_ in ("dobj", "oprd", "attr"):
        subject = actor_entity(doc, clause_subject(head), owner)
        for child in head.children:
            if child is not noun and child.dep_ in ("dative", "dobj", "nsubj") and child.i < noun.i:
                if child.dep_ == "nsubj" and child in head.children and child.i < head.i:
                    continue
                found = actor_entity(doc, child, owner, exclude=subject)
                if found is not None:
                    return found
    return None


def find_target(doc: Doc, start: int, end: int, owner: list[int | None]) -> int | None:
    """Entity index the hit ``doc[start:end]`` is aimed at, or None (rules in the module doc)."""
    hit = _root(doc, start, end)
    nouns = [hit]
    if hit.dep_ in MODIFIER_DEPS and hit.head is not hit:
        nouns.append(hit.head)
    for noun in nouns:
        skip = hit if noun is not hit else None
        for rule in (
            lambda n, s=skip: _inner_entity(doc, n, owner, s),
            lambda n: _prep_entity(doc, n, owner),
            lambda n: owner[n.i] if n is not hit else None,
            lambda n: owner[n.head.i] if n.dep_ in ("compound", "appos") and n.head is not n else None,
            lambda n: _predicate_entity(doc, n, owner),
        ):
            found = rule(noun)
            if found is not None:
                return found
    noun = nouns[-1]
    lemma = noun.lemma_.lower()
    if lemma in PERSON_ROLES:
        return nearest_entity_before(doc, noun.i, owner, ("PERSON",), sentences_back=1)
    if lemma in GROUP_ROLES:
        return nearest_entity_before(doc, noun.i, owner, ("PERSON", "ORG"))
    return None


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
    hit = _root(doc, start, end)
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
    hit = _root(doc, start, end)
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
            return doc
        parsed = doc.has_annotation("DEP")
        owner = token_entity_index(doc)
        ids = [e["id"] for e in doc._.az_entities or []]
        hedge_tokens = {k for h in hits if h["category"] == "hedge" for k in range(h["start"], h["end"])}
        for hit in hits:
            start, end = hit["start"], hit["end"]
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
        return doc


@Language.factory("analyzer_context", assigns=["doc._.az_framing"], requires=["doc._.az_framing"])
def make_framing_context(nlp: Language, name: str) -> FramingContext:
    """Factory for the target/negation/hedge component."""
    return FramingContext()
