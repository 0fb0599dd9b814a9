"""Lexicon matching by inflection: every entry is found in the forms it allows."""

from __future__ import annotations

import pytest
import spacy

from analyzer.lexicons import Lexicon, LexiconEntry, default_lexicon_path, load_lexicon
from analyzer.nlp.framing import TermIndex
from analyzer.nlp.inflect import inflected_examples, word_forms, word_kind

LEXICON = load_lexicon(default_lexicon_path())


@pytest.mark.parametrize(
    ("word", "verb", "expected"),
    [
        ("rig", False, {"rigs", "rigged", "rigging"}),
        ("slam", True, {"slams", "slammed", "slamming"}),
        ("scapegoat", False, {"scapegoats", "scapegoated", "scapegoating"}),
        ("target", False, {"targeted", "targetted"}),
        ("deny", True, {"denies", "denied", "denying"}),
        ("collapse", False, {"collapses", "collapsed", "collapsing"}),
        ("henchman", False, {"henchmen"}),
        ("crisis", False, {"crises"}),
        ("spin", True, {"spun", "spinning"}),
        ("radical", False, {"radicals"}),
        ("mercenary", False, {"mercenaries"}),
        ("killing", False, {"killings"}),
        ("bloody", False, set()),
    ],
)
def test_forms_include(word, verb, expected):
    forms = word_forms(word, verb=verb)
    assert word in forms and expected <= forms


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("allegedly", "adverb"),
        ("rigged", "participle"),
        ("of", "fixed"),
        ("bully", "word"),
        ("heroic", "adjective"),
    ],
)
def test_words_that_do_not_inflect_keep_one_form(word, kind):
    assert word_kind(word) == kind
    if kind in ("adverb", "participle", "fixed"):
        assert word_forms(word) == {word}


def test_one_syllable_words_double_only():
    assert "shamed" not in word_forms("sham") and "shammed" in word_forms("sham")
    assert "shamed" in word_forms("shame")


NLP = spacy.blank("en")


def _doc(text):
    return NLP(text)


def test_every_shipped_entry_matches_every_form_it_allows():
    """On a Doc without tags or lemmas only the generated forms can match: each form of each entry
    is found, as that entry (a form that is itself an entry, "alleged" of "allege", is that entry)."""
    index = TermIndex([LEXICON])
    terms = {e.term for e in LEXICON.entries}
    missed = []
    for entry in LEXICON.entries:
        for example in inflected_examples(entry.term, verb=entry.category == "loaded_saying_verb"):
            if example in terms and example != entry.term:
                continue
            doc = _doc(f"they saw {example} there")
            found = index.match(doc, [None] * len(doc))
            if not any(e.term == entry.term for _, _, e in found):
                missed.append((entry.term, example, [e.term for _, _, e in found]))
    assert not missed, missed[:20]


def test_inflection_prefers_the_entry_over_the_taggers_lemma():
    entries = [
        LexiconEntry("sham", "delegitimizing", -1, "n", 1),
        LexiconEntry("shame", "moral_judgement", -1, "n", 2),
        LexiconEntry("scapegoat", "moral_judgement", -1, "n", 3),
    ]
    index = TermIndex([Lexicon("t", "0", entries)])
    doc = _doc("they shamed and scapegoated him")
    doc[1].lemma_ = "sham"  # what en_core_web_sm says
    found = [(doc[s:e].text, entry.term) for s, e, entry in index.match(doc, [None] * len(doc))]
    assert found == [("shamed", "shame"), ("scapegoated", "scapegoat")]


@pytest.mark.model
def test_every_entry_found_inflected_in_a_sentence(analyzer_full):
    """With the real tagger (saying verbs must be verbs), every entry is found in at least one
    inflected form it allows, in a sentence where that form fits."""
    nlp = analyzer_full.nlp
    texts, terms = [], []
    for entry in LEXICON.entries:
        verb = entry.category == "loaded_saying_verb"
        frame = "Officials {} the plan on Monday." if verb else "They said the {} was there."
        for example in inflected_examples(entry.term, verb=verb):
            texts.append(frame.format(example))
            terms.append(entry.term)
    found = set()
    for doc, term in zip(nlp.pipe(texts, batch_size=256), terms, strict=True):
        if any(hit["lemma"] == term for hit in doc._.az_framing):
            found.add(term)
    assert {e.term for e in LEXICON.entries} - found == set()
