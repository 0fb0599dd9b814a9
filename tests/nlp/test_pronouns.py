"""Pronoun resolution by number and gender, and entity genders guessed from the text."""

from __future__ import annotations

from analyzer.nlp.entities import token_entity_index
from analyzer.nlp.pronouns import entity_genders, pronoun_agreement, resolve_pronoun
from tests.conftest import make_doc
from tests.nlp.components import run_all

# "Ms. Kirchner won . Mr. Macri 's rivals branded her a dictator ."
WORDS = [
    "Ms.",
    "Kirchner",
    "won",
    ".",
    "Mr.",
    "Macri",
    "'s",
    "rivals",
    "branded",
    "her",
    "a",
    "dictator",
    ".",
]
HEADS = [1, 2, 2, 2, 5, 7, 5, 8, 8, 8, 11, 8, 8]
DEPS = [
    "compound",
    "nsubj",
    "ROOT",
    "punct",
    "compound",
    "poss",
    "case",
    "nsubj",
    "ROOT",
    "dobj",
    "det",
    "oprd",
    "punct",
]
POS = [
    "PROPN",
    "PROPN",
    "VERB",
    "PUNCT",
    "PROPN",
    "PROPN",
    "PART",
    "NOUN",
    "VERB",
    "PRON",
    "DET",
    "NOUN",
    "PUNCT",
]
ENTS = ["O", "B-PERSON", "O", "O", "O", "B-PERSON", "O", "O", "O", "O", "O", "O", "O"]


def _doc(vocab, morph=True):
    doc = make_doc(
        vocab,
        WORDS,
        heads=HEADS,
        deps=DEPS,
        pos=POS,
        ents=ENTS,
        lemmas=[{"branded": "brand", "won": "win"}.get(w, w.lower()) for w in WORDS],
    )
    if morph:
        doc[9].set_morph("Case=Acc|Gender=Fem|Number=Sing|Person=3|PronType=Prs")
    return doc


def _names(doc):
    return [e["name"] for e in doc._.az_entities]


def test_agreement_from_morphology_or_spelling(vocab):
    doc = _doc(vocab)
    assert pronoun_agreement(doc[9]) == ("sing", "fem")
    assert pronoun_agreement(_doc(vocab, morph=False)[9]) == ("sing", "fem")
    assert pronoun_agreement(doc[7]) is None


def test_honorifics_give_genders(vocab):
    doc = run_all(_doc(vocab))
    genders = dict(zip(_names(doc), entity_genders(doc, token_entity_index(doc)), strict=True))
    assert genders == {"Kirchner": "fem", "Macri": "masc"}


def test_her_skips_the_nearer_man(vocab):
    doc = run_all(_doc(vocab))
    owner = token_entity_index(doc)
    assert _names(doc)[resolve_pronoun(doc, doc[9], owner)] == "Kirchner"
    hit = next(h for h in doc._.az_framing if h["lemma"] == "dictator")
    names = {e["id"]: e["name"] for e in doc._.az_entities}
    assert names[hit["target"]] == "Kirchner"


def test_gender_from_pronouns_that_can_only_mean_one_person(vocab):
    # "Lula spoke . She left ." -> Lula is a woman here; "He" later finds no man and stays unresolved.
    words = ["Lula", "spoke", ".", "She", "left", ".", "He", "stayed", "."]
    doc = make_doc(
        vocab,
        words,
        heads=[1, 1, 1, 4, 4, 4, 7, 7, 7],
        deps=["nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"],
        pos=["PROPN", "VERB", "PUNCT", "PRON", "VERB", "PUNCT", "PRON", "VERB", "PUNCT"],
        ents=["B-PERSON"] + ["O"] * 8,
    )
    doc = run_all(doc)
    owner = token_entity_index(doc)
    assert entity_genders(doc, owner) == ["fem"]
    assert resolve_pronoun(doc, doc[3], owner) == 0
    assert resolve_pronoun(doc, doc[6], owner) is None


def test_plural_pronouns_need_a_group(vocab):
    words = ["Smith", "met", "the", "OAS", ".", "They", "left", "."]
    doc = make_doc(
        vocab,
        words,
        heads=[1, 1, 3, 1, 1, 6, 6, 6],
        deps=["nsubj", "ROOT", "det", "dobj", "punct", "nsubj", "ROOT", "punct"],
        pos=["PROPN", "VERB", "DET", "PROPN", "PUNCT", "PRON", "VERB", "PUNCT"],
        ents=["B-PERSON", "O", "O", "B-ORG", "O", "O", "O", "O"],
    )
    doc = run_all(doc)
    owner = token_entity_index(doc)
    assert _names(doc)[resolve_pronoun(doc, doc[5], owner)] == "Organization of American States"
