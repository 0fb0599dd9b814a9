"""Third-person pronouns resolved to entities with number and gender.

A pronoun is resolved to the nearest entity mentioned before it (in its sentence and the three
before) that agrees with it:

- number and gender come from spaCy's morphology (``Gender=Masc|Fem|Neut``, ``Number=Sing|Plur``),
  or from the pronoun's spelling where a pipeline gives none;
- "he"/"she" and their forms need a person; "it"/"its" an organisation, place, law, product or
  event; "they"/"their" a group (organisation, nationality or political group, place), never one
  person;
- a person's gender is guessed per document (``unknown`` allowed): honorifics and titles before a
  mention ("Mr.", "Ms."; "Sen." does not tell), then pronouns that can only refer to that person (a
  gendered pronoun with exactly one person mentioned in its sentence and the one before) or that
  continue the previous sentence's topic (a gendered pronoun subject of a main clause after a
  sentence whose subject is that person);
  a person of the pronoun's gender is preferred to one of unknown gender, and a person of the
  other gender is never chosen ("X's opponents have branded her a dictator" is not aimed at X when
  X is known to be a man);
- a relative pronoun ("who", "whom", "which", "that", tagged ``WP``/``WDT``) denotes the noun its
  clause modifies ("Trump, whom he called a demagogue");
- a definite title ("the president", "the senator") denotes the person last named with that
  title ("President Trump", "Sen. Schatz"; :func:`resolve_description`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from .sentences import previous_sentence_start, sentence_bounds
from .textnorm import fold
from .tokenscan import candidate_positions, word_hashes

CACHE_KEY = "az_entity_genders"
MASCULINE = frozenset({"he", "him", "his", "himself"})
FEMININE = frozenset({"she", "her", "hers", "herself"})
NEUTER = frozenset({"it", "its", "itself"})
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
GENDERED_HASHES = word_hashes(MASCULINE | FEMININE)
RELATIVE = frozenset({"who", "whom", "which", "that"})
MASCULINE_TITLES = frozenset(
    {"mr", "mister", "sir", "lord", "king", "prince", "congressman", "chairman", "spokesman", "father"}
)
FEMININE_TITLES = frozenset(
    {
        "mrs",
        "ms",
        "miss",
        "madam",
        "madame",
        "lady",
        "dame",
        "queen",
        "princess",
        "congresswoman",
        "chairwoman",
        "spokeswoman",
        "first lady",
    }
)
PERSON_LABELS = frozenset({"PERSON"})
THING_LABELS = frozenset({"ORG", "GPE", "LAW", "PRODUCT", "FAC", "EVENT", "WORK_OF_ART", "NORP"})
GROUP_LABELS = frozenset({"ORG", "NORP", "GPE"})
SENTENCES_BACK = 3
TITLE_FORMS: dict[str, frozenset[str]] = {
    "president": frozenset({"president", "pres"}),
    "senator": frozenset({"senator", "sen"}),
    "governor": frozenset({"governor", "gov"}),
    "congressman": frozenset({"congressman", "rep", "representative"}),
    "congresswoman": frozenset({"congresswoman", "rep", "representative"}),
    "representative": frozenset({"representative", "rep"}),
    "mayor": frozenset({"mayor"}),
    "speaker": frozenset({"speaker"}),
    "secretary": frozenset({"secretary"}),
    "chairman": frozenset({"chairman"}),
    "chairwoman": frozenset({"chairwoman"}),
    "minister": frozenset({"minister"}),
    "judge": frozenset({"judge"}),
}


def pronoun_agreement(token: Token) -> tuple[str, str] | None:
    """``(number, gender)`` of a third-person personal pronoun (``"sing"``/``"plur"``,
    ``"masc"``/``"fem"``/``"neut"``/``""``), from its morphology or, failing that, its spelling;
    None for any other token."""
    lower = token.lower_
    if lower not in MASCULINE | FEMININE | NEUTER | PLURAL:
        return None
    gender = {"Masc": "masc", "Fem": "fem", "Neut": "neut"}.get(next(iter(token.morph.get("Gender")), ""), "")
    number = {"Sing": "sing", "Plur": "plur"}.get(next(iter(token.morph.get("Number")), ""), "")
    if not gender:
        gender = (
            "masc"
            if lower in MASCULINE
            else "fem"
            if lower in FEMININE
            else "neut"
            if lower in NEUTER
            else ""
        )
    if not number:
        number = "plur" if lower in PLURAL else "sing"
    return number, gender


def _title_gender(word: str) -> str | None:
    key = fold(word).rstrip(".")
    if key in MASCULINE_TITLES:
        return "masc"
    if key in FEMININE_TITLES:
        return "fem"
    return None


def entity_genders(doc: Doc, owner: list[int | None]) -> list[str | None]:
    """Gender guessed for every entity of ``doc._.az_entities`` (``"masc"``, ``"fem"`` or None),
    cached on the Doc while the pipeline runs (see the module docstring for the evidence)."""
    cached = doc.user_data.get(CACHE_KEY)
    entities = doc._.az_entities or []
    if cached is not None and len(cached) == len(entities):
        return cached
    votes: list[Counter] = [Counter() for _ in entities]
    for index, entity in enumerate(entities):
        if entity["label"] != "PERSON":
            continue
        for start, _ in entity["mentions"]:
            for k in (start - 1, start):
                gender = _title_gender(doc[k].text) if k >= 0 else None
                if gender:
                    votes[index][gender] += 3
    bounds = sentence_bounds(doc) if len(doc) else []
    for position in candidate_positions(doc, GENDERED_HASHES, ("LOWER",)):
        token = doc[position]
        agreement = pronoun_agreement(token)
        if agreement is None or agreement[1] not in ("masc", "fem"):
            continue
        floor = bounds[token.i][0]
        previous = bounds[floor - 1][0] if floor > 0 else floor
        people = {
            owner[k]
            for k in range(previous, token.i)
            if owner[k] is not None and entities[owner[k]]["label"] == "PERSON"
        }
        if len(people) == 1:
            votes[people.pop()][agreement[1]] += 1
        elif token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and floor > previous:
            topic = _root_subject(doc, previous, floor, owner)
            if topic is not None and entities[topic]["label"] == "PERSON":
                votes[topic][agreement[1]] += 1
    genders: list[str | None] = []
    for counter in votes:
        ranked = counter.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            genders.append(None)
        else:
            genders.append(ranked[0][0])
    doc.user_data[CACHE_KEY] = genders
    return genders


def _root_subject(doc: Doc, start: int, end: int, owner: list[int | None]) -> int | None:
    """The entity that is the subject of the root of the sentence ``doc[start:end]``, if any."""
    for token in doc[start:end]:
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
            return owner[token.i]
    return None


def drop_gender_cache(doc: Doc) -> None:
    """Remove the cached genders so they are not serialised with the Doc."""
    doc.user_data.pop(CACHE_KEY, None)


def _candidates(doc: Doc, i: int, owner: list[int | None], exclude: int | None) -> Iterable[int]:
    floor = previous_sentence_start(doc, i, SENTENCES_BACK)
    seen: set[int] = set()
    for k in range(i - 1, floor - 1, -1):
        index = owner[k]
        if index is not None and index != exclude and index not in seen:
            seen.add(index)
            yield index


def resolve_pronoun(
    doc: Doc, token: Token, owner: list[int | None], exclude: int | None = None
) -> int | None:
    """Entity index a pronoun refers to (see the module docstring), skipping ``exclude`` (the
    clause subject for an object pronoun: in "X branded her", "her" is not X), or None."""
    if token.lower_ in RELATIVE and token.tag_ in ("WP", "WDT"):
        noun = token.head.head if token.head.dep_ in ("relcl", "acl") else None
        if noun is not None and owner[noun.i] is not None:
            return owner[noun.i]
        return None
    agreement = pronoun_agreement(token)
    if agreement is None:
        return None
    number, gender = agreement
    entities = doc._.az_entities or []
    if number == "plur":
        labels = GROUP_LABELS
    elif gender in ("masc", "fem"):
        labels = PERSON_LABELS
    else:
        labels = THING_LABELS
    genders = entity_genders(doc, owner) if labels is PERSON_LABELS else []
    fallback = None
    for index in _candidates(doc, token.i, owner, exclude):
        if entities[index]["label"] not in labels:
            continue
        if labels is not PERSON_LABELS:
            return index
        if genders[index] == gender:
            return index
        if genders[index] is None and fallback is None:
            fallback = index
    return fallback


def resolve_description(doc: Doc, token: Token, owner: list[int | None]) -> int | None:
    """The person a definite title refers to ("*the president*", "*the senator*"): the last one
    named with that title before it ("President Trump", "Sen. Schatz"), or None."""
    forms = TITLE_FORMS.get(token.lemma_.lower()) or TITLE_FORMS.get(token.lower_)
    if forms is None or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    if any(c.dep_ in ("compound", "poss", "amod") and owner[c.i] is not None for c in token.children):
        return None
    entities = doc._.az_entities or []
    best, best_start = None, -1
    for index, entity in enumerate(entities):
        if entity["label"] != "PERSON":
            continue
        for start, _ in entity["mentions"]:
            if best_start < start < token.i and any(
                fold(doc[k].text).rstrip(".") in forms for k in (start - 1, start) if k >= 0
            ):
                best, best_start = index, start
    return best
