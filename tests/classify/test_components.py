"""The ``analyzer_loaded_words`` component on hand-built Docs, with a stand-in model."""

from __future__ import annotations

import numpy as np
from spacy.tokens import Doc

from analyzer.classify.components import UNCATEGORIZED, LoadedWords, NearestCategory, _rescored, trigrams
from analyzer.lexicons import Lexicon, LexiconEntry
from analyzer.nlp import framing  # noqa: F401  (registers doc._.az_framing)


class StubModel:
    """Scores a candidate by its lemma; every sentence is 'biased' with probability 0.5."""

    def __init__(self, scores):
        self.scores = scores
        self.seen = []

    def sentence_probability(self, texts):
        return np.full(len(texts), 0.5)

    def score_features(self, features, pos, p_sentence, words, lemmas):
        self.seen.extend(features)
        lemmas = [next(k[2:] for k in f if k.startswith("l=")) for f in features]
        return np.array([self.scores.get(lemma, 0.0) for lemma in lemmas])


def _lexicon():
    entries = [
        LexiconEntry("demonize", "moral_judgement", -1, "", 1),
        LexiconEntry("coup", "delegitimizing", -1, "", 2),
        LexiconEntry("seizure of power", "delegitimizing", -1, "", 3),
    ]
    return Lexicon("t", "1", entries)


def _doc(vocab):
    words = ["Critics", "keep", "demonizing", "the", "absurd", "coup", "plan", "."]
    pos = ["NOUN", "VERB", "VERB", "DET", "ADJ", "NOUN", "NOUN", "PUNCT"]
    doc = Doc(vocab, words=words, pos=pos, sent_starts=[True] + [False] * 7)
    for token, lemma in zip(
        doc, ["critic", "keep", "demonize", "the", "absurd", "coup", "plan", "."], strict=True
    ):
        token.lemma_ = lemma
    doc._.az_framing = [
        {"start": 5, "end": 6, "lemma": "coup", "category": "delegitimizing", "polarity": -1,
         "source": "lexicon", "score": 1.0, "voice": "author", "speaker": None}
    ]  # fmt: skip
    return doc


def test_trigrams_and_nearest_category():
    assert trigrams("coup") == {"#co", "cou", "oup", "up#"}
    nearest = NearestCategory([_lexicon()])
    assert nearest("demonizing") == ("moral_judgement", -1)
    assert nearest("coups") == ("delegitimizing", -1)
    assert nearest("absurd") == (UNCATEGORIZED, 0)


def test_component_adds_model_hits_above_threshold_and_rescores_lexicon_hits(vocab):
    doc = _doc(vocab)
    model = StubModel({"demonize": 0.8, "absurd": 0.6, "plan": 0.2, "coup": 0.99})
    component = LoadedWords(model, frozenset({"coup"}), NearestCategory([_lexicon()]), threshold=0.5)
    component(doc)
    hits = doc._.az_framing
    assert [(h["start"], h["source"]) for h in hits] == [(2, "model"), (4, "model"), (5, "lexicon")]
    demonizing, absurd = hits[0], hits[1]
    assert demonizing["category"] == "moral_judgement" and demonizing["score"] == 0.8
    assert absurd["category"] == UNCATEGORIZED and absurd["polarity"] == 0
    assert demonizing["voice"] == "author" and demonizing["speaker"] is None
    # the lexicon hit stays a lexicon hit; its score becomes the model's probability for its word
    assert hits[2]["lemma"] == "coup" and hits[2]["score"] == 0.99
    assert any("l=coup" in f for f in model.seen)


def test_a_lexicon_hit_the_model_doubts_keeps_its_place_with_a_low_score(vocab):
    doc = _doc(vocab)
    LoadedWords(StubModel({"coup": 0.1}), frozenset({"coup"}), NearestCategory([_lexicon()]), 0.5)(doc)
    assert [(h["lemma"], h["source"], h["score"]) for h in doc._.az_framing] == [("coup", "lexicon", 0.1)]


def test_a_lexicon_hit_without_candidate_words_keeps_score_one():
    assert _rescored({"start": 3, "end": 5, "score": 1.0}, {2: 0.4, 5: 0.9})["score"] == 1.0
    assert _rescored({"start": 3, "end": 6, "score": 1.0}, {2: 0.4, 4: 0.3, 5: 0.9})["score"] == 0.9


def test_component_leaves_a_doc_without_candidates_alone(vocab):
    doc = Doc(vocab, words=["Oh", "!"], pos=["INTJ", "PUNCT"])
    doc._.az_framing = []
    LoadedWords(StubModel({}), frozenset(), NearestCategory([_lexicon()]), 0.5)(doc)
    assert doc._.az_framing == []


def test_neighbouring_model_words_are_one_phrase_and_titles_or_prefixes_none(vocab):
    words = [
        "The",
        "chief",
        "of",
        "staff",
        "ran",
        "a",
        "pretty",
        "outrageous",
        "anti",
        "-",
        "gay",
        "campaign",
    ]
    pos = ["DET", "NOUN", "ADP", "NOUN", "VERB", "DET", "ADV", "ADJ", "ADJ", "PUNCT", "ADJ", "NOUN"]
    spaces = [True, True, True, True, True, True, True, True, False, False, True, False]
    doc = Doc(vocab, words=words, pos=pos, spaces=spaces, sent_starts=[True] + [False] * 11)
    for token in doc:
        token.lemma_ = token.lower_
    doc._.az_framing = []
    model = StubModel({"chief": 0.9, "pretty": 0.3, "outrageous": 0.7, "anti": 0.8, "gay": 0.6})
    LoadedWords(model, frozenset(), NearestCategory([_lexicon()]), threshold=0.25)(doc)
    hits = [(doc[h["start"] : h["end"]].text, h["score"], h["lemma"]) for h in doc._.az_framing]
    assert hits == [("pretty outrageous", 0.7, "pretty outrageous"), ("gay", 0.6, "gay")]
