"""Voice on news-like sentences with the real pipeline: the clause a cue governs, partial and
nested quotations, and quotation marks that never close (fuzzed with hypothesis)."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analyzer.nlp.quotes import find_quotes

pytestmark = pytest.mark.model


@lru_cache(maxsize=1)
def _analyzer():
    from analyzer import Analyzer

    return Analyzer(classifiers=False)


def hit_at(result, text, word, after=""):
    start = text.index(word, text.index(after) if after else 0)
    hits = [h for h in result.framing if h.start <= start < h.end]
    assert hits, f"no hit for {word!r}"
    return hits[0]


@pytest.mark.parametrize(
    "text",
    [
        "This was no coup: the army merely restored order, according to Áñez.",
        "Morales was no dictator; his rivals branded the government a regime, according to the report.",
    ],
)
def test_according_to_covers_only_its_clause(text):
    result = _analyzer().analyze(text)
    first = "coup" if "coup" in text else "dictator"
    assert hit_at(result, text, first).voice == "author"


def test_according_to_at_the_start_covers_the_sentence():
    text = "According to the OAS, the election was rigged and the regime fled."
    result = _analyzer().analyze(text)
    assert hit_at(result, text, "rigged").voice == "attributed"
    assert hit_at(result, text, "regime").voice == "attributed"


def test_partial_quotations_are_the_speakers_words():
    text = "In his interview, Fox warned that Peña Nieto would be viewed like “a traitor” by voters."
    result = _analyzer().analyze(text)
    assert hit_at(result, text, "traitor").voice == "quoted"


def test_nested_quotation_is_quoted():
    text = "“Barr must not give anyone a ‘sneak preview’ of the findings,” the statement said."
    result = _analyzer().analyze(text)
    assert hit_at(result, text, "sneak preview").voice == "quoted"


def test_complement_without_that_is_reported_speech():
    text = "He said the right awarded to babies born here is “ridiculous” and the coup was a farce."
    result = _analyzer().analyze(text)
    assert hit_at(result, text, "ridiculous").voice == "quoted"
    assert hit_at(result, text, "farce").voice == "attributed"


def test_authors_scare_quotes_stay_the_authors():
    text = "The government promised ‘democracy’ and delivered a crackdown."
    result = _analyzer().analyze(text)
    assert hit_at(result, text, "democracy").voice == "author"


def test_unclosed_quotation_falls_back_and_is_flagged():
    text = "The minister spoke. “The coup was planned for months\n\nThe army denied any regime change."
    result = _analyzer().analyze(text)
    coup = hit_at(result, text, "coup")
    assert coup.quote_unclosed and coup.voice == "author"
    regime = hit_at(result, text, "regime")
    assert not regime.quote_unclosed
    assert result.to_dict()["framing"][0]["quote_unclosed"] is True


def test_a_document_made_only_of_a_quote():
    text = "“We will coup whoever we want!”"
    result = _analyzer().analyze(text)
    assert hit_at(result, text, "coup").voice == "quoted"
    unclosed = _analyzer().analyze("“We will coup whoever we want!")
    hit = unclosed.framing[0]
    assert hit.quote_unclosed and hit.voice == "author"


MARKS = ["“", "”", '"', "'", "‘", "’", "«", "»", "„"]
WORDS = ["coup", "regime", "thugs", "chaos", "Morales", "said", "the", "army", "was", "not", "a"]
PIECES = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from([".", ",", ":", ";", "\n", "\n\n"])
)


@lru_cache(maxsize=256)
def _quotes(text):
    return find_quotes(text)


def _inside(quotes, position):
    closed = any(q.closed and q.open < position < q.close for q in quotes)
    unclosed = any(not q.closed and q.open < position < q.close for q in quotes)
    return closed, unclosed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PIECES, st.booleans()), min_size=1, max_size=30))
@example([("“", False), ("coup", True), ("regime", False)])
@example([("“", False), ("coup", False), ("”", False)])
@example([("'", False), ("coup", False), ("“", True), ("regime", False), ("«", False), ("chaos", False)])
def test_any_quote_pattern_gives_consistent_voice(pieces):
    text = "".join(piece + (" " if space else "") for piece, space in pieces)
    result = _analyzer().analyze(text)
    quotes = _quotes(text)
    for hit in result.framing:
        assert text[hit.start : hit.end] == hit.text
        closed, unclosed = _inside(quotes, hit.start)
        assert hit.quote_unclosed == unclosed
        if hit.voice == "quoted":
            assert closed
        if unclosed and not closed:
            assert hit.voice != "quoted"
