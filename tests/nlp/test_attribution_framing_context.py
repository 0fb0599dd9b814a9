"""Attribution, framing and context rules on hand-built parses (no trained model)."""

from tests.conftest import make_doc
from tests.nlp.components import entity_names, hits_by_text, run_all


def test_reported_speech_is_attributed_to_the_subject(vocab):
    words = ["Morales", "declared", "the", "situation", "a", "coup", "."]
    doc = make_doc(
        vocab,
        words,
        heads=[1, 1, 3, 5, 5, 1, 1],
        deps=["nsubj", "ROOT", "det", "nsubj", "det", "ccomp", "punct"],
        pos=["PROPN", "VERB", "DET", "NOUN", "DET", "NOUN", "PUNCT"],
        lemmas=["Morales", "declare", "the", "situation", "a", "coup", "."],
        ents=["B-PERSON", "O", "O", "O", "O", "O", "O"],
    )
    doc = run_all(doc)
    hit = hits_by_text(doc)["coup"]
    assert (hit["voice"], entity_names(doc)[hit["speaker"]]) == ("attributed", "Morales")
    assert hit["category"] == "delegitimizing" and hit["polarity"] == -1


def test_quotation_is_quoted_with_the_speaker(vocab):
    words = ["Musk", "tweeted", ",", "“", "We", "will", "coup", "!", "”"]
    spaces = [True, False, True, False, True, True, False, False, False]
    doc = make_doc(
        vocab,
        words,
        spaces=spaces,
        heads=[1, 1, 1, 6, 6, 6, 1, 6, 6],
        deps=["nsubj", "ROOT", "punct", "punct", "nsubj", "aux", "ccomp", "punct", "punct"],
        pos=["PROPN", "VERB", "PUNCT", "PUNCT", "PRON", "AUX", "VERB", "PUNCT", "PUNCT"],
        lemmas=["Musk", "tweet", ",", "“", "we", "will", "coup", "!", "”"],
        ents=["B-PERSON"] + ["O"] * 8,
    )
    doc = run_all(doc)
    hit = hits_by_text(doc)["coup"]
    assert hit["voice"] == "quoted" and entity_names(doc)[hit["speaker"]] == "Musk"


def test_author_voice_target_and_negation(vocab):
    # "The Añez regime was not a coup ."
    words = ["The", "Añez", "regime", "was", "not", "a", "coup", "."]
    doc = make_doc(
        vocab,
        words,
        heads=[2, 2, 3, 3, 3, 6, 3, 3],
        deps=["det", "compound", "nsubj", "ROOT", "neg", "det", "attr", "punct"],
        pos=["DET", "PROPN", "NOUN", "AUX", "PART", "DET", "NOUN", "PUNCT"],
        lemmas=["the", "Añez", "regime", "be", "not", "a", "coup", "."],
        ents=["O", "B-PERSON", "O", "O", "O", "O", "O", "O"],
    )
    doc = run_all(doc)
    hits = hits_by_text(doc)
    assert hits["regime"]["voice"] == "author"
    assert entity_names(doc)[hits["regime"]["target"]] == "Añez"
    assert hits["regime"]["negated"] is False
    assert hits["coup"]["negated"] is True


def test_hedge_and_pronoun_target(vocab):
    # "Ibarra branded her a dictator after alleged fraud ." with "Osei" mentioned first.
    words = [
        "Osei",
        "spoke",
        ".",
        "Ibarra",
        "branded",
        "her",
        "a",
        "dictator",
        "over",
        "alleged",
        "fraud",
        ".",
    ]
    doc = make_doc(
        vocab,
        words,
        heads=[1, 1, 1, 4, 4, 4, 7, 4, 4, 10, 8, 4],
        deps=[
            "nsubj",
            "ROOT",
            "punct",
            "nsubj",
            "ROOT",
            "dative",
            "det",
            "dobj",
            "prep",
            "amod",
            "pobj",
            "punct",
        ],
        pos=[
            "PROPN",
            "VERB",
            "PUNCT",
            "PROPN",
            "VERB",
            "PRON",
            "DET",
            "NOUN",
            "ADP",
            "ADJ",
            "NOUN",
            "PUNCT",
        ],
        lemmas=[
            "Osei",
            "speak",
            ".",
            "Ibarra",
            "brand",
            "she",
            "a",
            "dictator",
            "over",
            "alleged",
            "fraud",
            ".",
        ],
        ents=["B-PERSON", "O", "O", "B-PERSON"] + ["O"] * 8,
    )
    doc = run_all(doc)
    hits = hits_by_text(doc)
    names = entity_names(doc)
    assert names[hits["dictator"]["target"]] == "Osei"
    assert hits["dictator"]["voice"] == "attributed" and names[hits["dictator"]["speaker"]] == "Ibarra"
    assert hits["fraud"]["hedged"] is True and hits["dictator"]["hedged"] is False


def test_lemma_hyphen_and_phrase_matching_and_entity_words_skipped(vocab):
    words = [
        "The",
        "self",
        "-",
        "proclaimed",
        "leader",
        "met",
        "the",
        "Socialist",
        "International",
        "after",
        "the",
        "coups",
        "by",
        "duly",
        "elected",
        "rulers",
    ]
    spaces = [
        True,
        False,
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
    ]
    doc = make_doc(
        vocab,
        words,
        spaces=spaces,
        lemmas=[
            "the",
            "self",
            "-",
            "proclaim",
            "leader",
            "meet",
            "the",
            "socialist",
            "international",
            "after",
            "the",
            "coup",
            "by",
            "duly",
            "elect",
            "ruler",
        ],
        ents=["O"] * 7 + ["B-ORG", "I-ORG"] + ["O"] * 7,
    )
    doc = run_all(doc)
    found = set(hits_by_text(doc))
    assert {"self-proclaimed", "coups", "duly elected"} <= found
    assert "Socialist" not in found


def test_scare_quotes_are_hits_in_the_authors_voice(vocab):
    words = [
        "in",
        "the",
        "name",
        "of",
        "‘",
        "human",
        "rights",
        "’",
        "and",
        "‘",
        "democracy",
        ".",
        "’",
    ]
    spaces = [True, True, True, True, False, True, False, True, True, False, False, False, False]
    doc = run_all(make_doc(vocab, words, spaces=spaces))
    scare = [doc[h["start"] : h["end"]].text for h in doc._.az_framing if h["category"] == "scare_quote"]
    assert scare == ["human rights", "democracy"]
    assert all(h["voice"] == "author" for h in doc._.az_framing)
