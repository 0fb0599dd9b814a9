"""The fast profile's parse-free context rules, on hand-built Docs without a parse, and the fast
profile end to end on the real pipeline."""

import pytest

from analyzer import Analyzer
from analyzer.errors import ParameterError
from tests.conftest import make_doc
from tests.nlp.components import entity_names, hits_by_text, run_all


def _doc(vocab, words, pos, ents):
    return run_all(make_doc(vocab, words, pos=pos, ents=ents))


def test_entity_before_the_hit_and_negation_in_the_window(vocab):
    words = ["The", "Añez", "regime", "was", "not", "a", "coup", "."]
    pos = ["DET", "PROPN", "NOUN", "AUX", "PART", "DET", "NOUN", "PUNCT"]
    doc = _doc(vocab, words, pos, ["O", "B-PERSON", "O", "O", "O", "O", "O", "O"])
    assert not doc.has_annotation("DEP")
    hits = hits_by_text(doc)
    assert entity_names(doc)[hits["regime"]["target"]] == "Añez"
    assert (hits["regime"]["negated"], hits["coup"]["negated"]) == (False, True)


def test_possessive_and_against_complement(vocab):
    words = ["Morales", "’s", "regime", "staged", "a", "coup", "against", "the", "Senate", "."]
    pos = ["PROPN", "PART", "NOUN", "VERB", "DET", "NOUN", "ADP", "DET", "PROPN", "PUNCT"]
    ents = ["B-PERSON", "O", "O", "O", "O", "O", "O", "O", "B-ORG", "O"]
    doc = _doc(vocab, words, pos, ents)
    hits, names = hits_by_text(doc), entity_names(doc)
    assert names[hits["regime"]["target"]] == "Morales"
    assert names[hits["coup"]["target"]] == "Senate"


def test_title_before_a_person_and_a_hedge_in_the_window(vocab):
    words = ["The", "illegitimate", "president", "Jeanine", "Añez", "led", "an", "alleged", "coup", "."]
    pos = ["DET", "ADJ", "NOUN", "PROPN", "PROPN", "VERB", "DET", "ADJ", "NOUN", "PUNCT"]
    ents = ["O", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O"]
    doc = _doc(vocab, words, pos, ents)
    hits = hits_by_text(doc)
    assert entity_names(doc)[hits["illegitimate"]["target"]] == "Jeanine Añez"
    assert hits["coup"]["hedged"] is True and hits["illegitimate"]["hedged"] is False


def test_no_reported_speech_and_no_far_target_without_a_parse(vocab):
    words = ["Morales", "declared", "the", "situation", "a", "coup", "."]
    pos = ["PROPN", "VERB", "DET", "NOUN", "DET", "NOUN", "PUNCT"]
    doc = _doc(vocab, words, pos, ["B-PERSON", "O", "O", "O", "O", "O", "O"])
    hit = hits_by_text(doc)["coup"]
    assert (hit["voice"], hit["speaker"], hit["target"]) == ("author", None, None)


def test_fast_profile_runs_without_the_parser(analyzer_full):
    text = 'Senator Ruiz said the vote was a fraud. "It was a coup," Ruiz told reporters.'
    fast = Analyzer(profile="fast", classifiers=False)
    assert "parser" not in fast.nlp.pipe_names and "senter" in fast.nlp.pipe_names
    record = fast.analyze(text).to_dict()
    assert record["versions"]["spacy_model"].endswith("[no parser]") and record["n_sentences"] == 2
    voices = {text[f["start"] : f["end"]]: f["voice"] for f in record["framing"]}
    assert voices["coup"] == "quoted" and voices["fraud"] == "author"
    full = {text[f["start"] : f["end"]]: f["voice"] for f in analyzer_full.analyze(text).to_dict()["framing"]}
    assert full["fraud"] == "attributed"


def test_unknown_profile_is_refused():
    with pytest.raises(ParameterError, match="profile"):
        Analyzer(profile="turbo")
