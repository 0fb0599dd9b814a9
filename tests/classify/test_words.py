"""The loaded-word model's labels, counts and scores on hand-made examples (no trained pipeline)."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from analyzer.classify.estimators.loaded_words import (
    LoadedWordModel,
    activation,
    combined_sets,
    counts,
    model_sets,
    prf,
    threshold_curve,
)
from analyzer.classify.tokens import SentenceTokens, gold_tokens, sentence_tokens, token_features
from analyzer.classify.training.loaded_words import score_detectors


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def test_gold_tokens_match_entries_case_insensitively_and_in_sequence(nlp):
    doc = nlp("The radical Left pushed a pro-abortion bill, radical as ever.")
    gold = gold_tokens(doc, 0, len(doc), ["Radical left", "pro-abortion", "ever", "missing"], nlp.tokenizer)
    words = sorted(doc[k].text for k in gold)
    assert words == ["Left", "abortion", "ever", "pro", "radical"]
    # the first "radical" is part of "radical Left", the second is not followed by "left"
    assert 1 in gold and 10 not in gold and 6 not in gold  # the hyphen is matched, not counted


def test_token_features_name_lexicon_grammar_and_context(nlp):
    words = ["They", "slammed", "the", "disastrous", "plan"]
    doc = spacy.tokens.Doc(nlp.vocab, words=words, pos=["PRON", "VERB", "DET", "ADJ", "NOUN"])
    for token, lemma in zip(doc, ["they", "slam", "the", "disastrous", "plan"], strict=True):
        token.lemma_ = lemma
    features = token_features(doc, 3, 0, 5, {3: ("crisis_alarm", -1)}, frozenset({"slam"}), None)
    assert features["lex"] == 1.0 and features["lexcat=crisis_alarm"] == 1.0 and features["lexpol=-1"] == 1.0
    assert features["pos=ADJ"] == 1.0 and features["pl=the"] == 1.0 and features["nl=plan"] == 1.0
    sentence = sentence_tokens(doc, 0, 5, {3: ("crisis_alarm", -1)}, frozenset({"slam"}))
    assert sentence.candidates == [1, 3, 4] and sentence.lexicon == {3}
    assert sentence.features[0]["lexword"] == 1.0


def _sentence(candidates, gold, lexicon, group="g", hits=None):
    return SentenceTokens(
        text="x", group=group, candidates=candidates, features=[{} for _ in candidates],
        pos=["ADJ"] * len(candidates), gold=set(gold), lexicon=set(lexicon),
        hits=[(k,) for k in sorted(lexicon)] if hits is None else hits,
    )  # fmt: skip


def test_counts_and_scores_on_a_tiny_example():
    # sentence 1: gold {1, 4}; lexicon hits {4, 6}; model scores candidates 1, 2, 4
    # sentence 2: gold {0} (a token that is not a candidate); lexicon none; candidate 3
    sentences = [_sentence([1, 2, 4], {1, 4}, {4, 6}), _sentence([3], {0}, set())]
    probs = [np.array([0.9, 0.6, 0.2]), np.array([0.7])]
    model = model_sets(sentences, probs, 0.65)
    assert model == [{1}, {3}]
    scored = {name: prf(dict(t)) for name, t in score_detectors(sentences, probs, 0.65).items()}
    assert scored["lexicon"] == pytest.approx(
        {"precision": 0.5, "recall": 1 / 3, "f1": 0.4, "tp": 1, "fp": 1, "fn": 2}
    )
    assert scored["model"] == pytest.approx(
        {"precision": 0.5, "recall": 1 / 3, "f1": 0.4, "tp": 1, "fp": 1, "fn": 2}
    )
    # union = {1, 4, 6} and {3}: tp 2 (1, 4), fp 2 (6, 3), fn 1 (sentence 2's token 0)
    assert scored["union"] == pytest.approx(
        {"precision": 0.5, "recall": 2 / 3, "f1": 4 / 7, "tp": 2, "fp": 2, "fn": 1}
    )
    # combined: the hit on 4 is scored 0.2 by the model, so it is dropped; the hit on 6 has no
    # candidate and is kept: {1, 6} and {3}: tp 1, fp 2 (6, 3), fn 2 (4 and sentence 2's token 0)
    assert scored["combined"] == pytest.approx(
        {"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3, "tp": 1, "fp": 2, "fn": 2}
    )
    assert counts(sentences, [set(), set()]) == {"tp": 0, "fp": 0, "fn": 3}
    assert prf({"tp": 0, "fp": 0, "fn": 0})["f1"] == 0.0


def test_threshold_curve_scores_combined_detection():
    sentences = [_sentence([1, 2, 4], {1, 4}, {4, 6}), _sentence([3], {0}, set())]
    flat = np.array([0.9, 0.6, 0.95, 0.7])
    curve = {row["threshold"]: row for row in threshold_curve(sentences, flat)}
    assert curve[0.8]["tp"] == 2 and curve[0.8]["fp"] == 1  # 1 and 4 (tp), 6 (an unscored hit, fp)
    assert curve[0.5]["fp"] == 3 and curve[0.95]["tp"] == 1 and curve[0.95]["fp"] == 1
    for row in curve.values():  # the curve counts what combined_sets finds at that threshold
        found = combined_sets(sentences, [flat[:3], flat[3:]], row["threshold"])
        assert row["tp"] == counts(sentences, found)["tp"] and row["fp"] == counts(sentences, found)["fp"]


def test_a_multiword_hit_takes_the_score_of_its_most_loaded_candidate():
    sentence = _sentence([2, 5], {2, 3}, {2, 3}, hits=[(2, 3)])
    assert activation(sentence, np.array([0.3, 0.8])) == {2: 0.3, 3: 0.3, 5: 0.8}
    assert combined_sets([sentence], [np.array([0.3, 0.8])], 0.25) == [{2, 3, 5}]
    assert combined_sets([sentence], [np.array([0.3, 0.8])], 0.5) == [{5}]


def test_model_learns_a_planted_word_and_picks_a_threshold():
    rng = np.random.default_rng(0)
    sentences = []
    for k in range(60):
        loaded = k % 2 == 0
        words = ["w" + str(rng.integers(0, 20)) for _ in range(4)] + (["vile"] if loaded else ["plain"])
        features = [{"l=" + w: 1.0, "pos=ADJ": 1.0} for w in words]
        sentences.append(
            SentenceTokens(
                text=" ".join(words),
                group=f"a{k // 3}",
                candidates=list(range(5)),
                features=features,
                pos=["ADJ"] * 5,
                gold={4} if loaded else set(),
                lexicon=set(),
                biased=loaded,
            )
        )
    model = LoadedWordModel(C=1.0, folds=3, threshold_folds=3).fit(sentences)
    probs = model.predict_proba(sentences[:2])
    assert probs[0][4] > probs[0][:4].max() and probs[0][4] >= model.threshold_ > probs[1].max()
    assert 0.05 <= model.threshold_ <= 0.95
    assert model.top_features(3)[0][0] in ("l=vile", "sp", "sp:ADJ")
