"""The target of a framing hit: the entity the loaded word describes or acts on.

Rules, in order; the first that finds an entity wins. "The noun" is the hit itself or, for a
modifier, the noun it modifies ("*illegitimate* president", "*blunt and unvarnished* terms"),
climbing through modifiers and coordinated modifiers:

1. an entity inside the noun phrase: a compound, a possessor ("*Maduro's* regime", "*her*
   historic campaign", the pronoun resolved), an appositive name;
2. a complement "against X" ("the coup against Morales"), or "of/on/toward/at X" for nouns that
   are not roles ("repression of the ADU"; but "president of Bolivia" names a role's domain);
3. the noun itself is an entity's title or name ("interim president Áñez", "Áñez, the
   *illegitimate* president");
4. the subject of a copular verb ("Áñez was *illegitimate*", "Morales is a *dictator*"); the
   object of a labelling verb ("branded *her* a dictator", "called *the government*
   illegitimate"; a pronoun is resolved, never to the labeller), whose object may be a relative
   pronoun ("Trump, *whom* he called a demagogue"); a coordinated predicate shares the first
   one's ("a demagogue and a *bomb-thrower*");
5. for a verb reporting an evaluation, with a direct object ("*praised* Cowan", "*hailed* AARP's
   reversal", "*condemned* her remarks"), or an adverb on one, the entity evaluated: the object
   or its possessor, else none (never the evaluator). A verb of attack chosen for its heat
   ("*assailed* Obama", "*mocking* them", "*demonized* its people") frames the attacker, as the
   lexicon's loaded verbs of saying frame the speaker: it falls to rule 7;
6. for a role noun without an entity of its own ("the illegitimate president"), the nearest
   preceding person (or organisation, for "regime", "government") in this or the previous sentence;
7. otherwise the actor of the clause the hit belongs to: the subject of the nearest verb above it
   (the patient for a passive verb), as an entity or through its possessor or a pronoun ("Trump
   issued a *bombastic* call", "Mr. Stone began his career, a *self-described* trickster", "Clinton
   *apparently* was not"). The climb stops at the first verb, so a hit in reported speech gets
   the subject of the reported clause, never the reporter; a hit inside a subject, or what a
   labelling verb calls something that is not an entity ("called the idea *offensive*"), gets
   no actor.

Pronouns are resolved by number and gender (:mod:`analyzer.nlp.pronouns`).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .attribution import NAMING_VERBS, actor_entity, clause_subject
from .cues import EVALUATIVE_VERBS, GROUP_ROLES, PERSON_ROLES, TARGET_PREPS
from .entities import nearest_entity_before

PREDICATE_DEPS = frozenset({"attr", "acomp", "oprd"})
MODIFIER_DEPS = frozenset({"amod", "compound", "advmod", "nmod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
CLIMB_DEPS = frozenset(
    {
        "amod",
        "advmod",
        "npadvmod",
        "compound",
        "nmod",
        "prep",
        "pobj",
        "pcomp",
        "dobj",
        "attr",
        "acomp",
        "oprd",
        "appos",
        "conj",
        "dative",
        "agent",
        "advcl",
        "acl",
        "poss",
        "det",
        "cc",
        "punct",
        "dep",
    }
)
MAX_CLIMB = 8


def hit_root(doc: Doc, start: int, end: int) -> Token:
    """The token of ``doc[start:end]`` whose head lies outside it (the span's syntactic head)."""
    for k in range(start, end):
        head = doc[k].head
        if head.i < start or head.i >= end or head.i == k:
            return doc[k]
    return doc[start]


def _label(doc: Doc, index: int) -> str:
    return (doc._.az_entities or [])[index]["label"]


def _inner_entity(doc: Doc, noun: Token, owner: list[int | None], skip: Token | None = None) -> int | None:
    """An entity modifying ``noun`` (compound, possessor, appositive name; a possessive pronoun
    resolved). A nationality adjective ("the *Bolivian* coup") says where, not at whom; a group
    as possessor ("Republicans' *adamant* opposition") is whose."""
    for child in noun.children:
        if child is skip or child.dep_ not in ("compound", "poss", "nmod", "amod", "appos"):
            continue
        index = owner[child.i]
        if index is None and child.dep_ == "poss" and child.pos_ == "PRON":
            index = actor_entity(doc, child, owner)
        if index is not None and (child.dep_ == "poss" or _label(doc, index) != "NORP"):
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
                        if lemma not in GROUP_ROLES or prep == "against" or _label(doc, found) == "GPE":
                            return found
    return None


def _first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def _labelled(noun: Token) -> bool:
    """Whether ``noun`` is what a labelling verb calls something ("called the idea *offensive*")."""
    noun = _first_conjunct(noun)
    return noun.head.lemma_.lower() in NAMING_VERBS and noun.dep_ in (
        "oprd",
        "ccomp",
        "xcomp",
        "dobj",
        "attr",
    )


def _predicate_entity(doc: Doc, noun: Token, owner: list[int | None]) -> int | None:
    """Rule 4: what a copular or labelling verb predicates the noun of."""
    noun = _first_conjunct(noun)
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
                if child.dep_ == "nsubj" and child.i < head.i:
                    continue
                found = actor_entity(doc, child, owner, exclude=subject)
                if found is not None:
                    return found
    return None


def _nouns(hit: Token) -> list[Token]:
    """The hit and the words it modifies, up through (coordinated) modifiers."""
    nouns = [hit]
    node = hit
    for _ in range(3):
        if node.dep_ == "conj" and node.head.dep_ in MODIFIER_DEPS:
            node = node.head
        if node.dep_ not in MODIFIER_DEPS or node.head is node:
            break
        node = node.head
        nouns.append(node)
    return nouns


def _evaluated(doc: Doc, verb: Token, owner: list[int | None]) -> tuple[bool, int | None]:
    """Rule 5: whether ``verb`` is an evaluative verb with a direct object, and the entity that
    object is (or is possessed by; pronouns resolved, never to the verb's subject)."""
    objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    if verb.lemma_.lower() not in EVALUATIVE_VERBS or not objects:
        return False, None
    subject = actor_entity(doc, clause_subject(verb), owner)
    for child in objects:
        if child.pos_ == "PRON" and child.lower_ == "her" and any(o.i > child.i for o in objects):
            continue  # "blast her older sibling": a possessive the parser took for an object
        found = owner[child.i]
        if found is None and child.pos_ == "PRON":
            found = actor_entity(doc, child, owner, exclude=subject)
        for part in child.children if found is None else ():
            if part.dep_ in ("poss", "compound"):
                found = owner[part.i]
                if found is None and part.pos_ == "PRON":
                    found = actor_entity(doc, part, owner, exclude=subject)
                if found is not None:
                    break
        if found is not None:
            return True, found
    return True, None


def _actor(doc: Doc, hit: Token, owner: list[int | None]) -> int | None:
    """Rule 7: the subject of the nearest verb above the hit, as an entity."""
    node = hit
    for _ in range(MAX_CLIMB):
        if node.pos_ in ("VERB", "AUX"):
            return actor_entity(doc, clause_subject(node), owner)
        if node.dep_ in SUBJECT_DEPS or node.dep_ not in CLIMB_DEPS or node.head is node:
            return None
        node = node.head
    return None


def find_target(doc: Doc, start: int, end: int, owner: list[int | None]) -> int | None:
    """Entity index the hit ``doc[start:end]`` is aimed at, or None (rules in the module doc)."""
    hit = hit_root(doc, start, end)
    nouns = _nouns(hit)
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
    verb = next((n for n in nouns if n.pos_ in ("VERB", "AUX")), None)
    if verb is not None:
        evaluative, found = _evaluated(doc, verb, owner)
        if evaluative:
            return found  # what is evaluated, even when it is no entity: never the evaluator
    noun = nouns[-1]
    lemma = noun.lemma_.lower()
    if lemma in PERSON_ROLES:
        return nearest_entity_before(doc, noun.i, owner, ("PERSON",), sentences_back=1)
    if lemma in GROUP_ROLES:
        return nearest_entity_before(doc, noun.i, owner, ("PERSON", "ORG"))
    if any(_labelled(n) for n in nouns):
        return None  # the labeller is not the target; what is labelled has no entity
    return _actor(doc, nouns[-1], owner)
