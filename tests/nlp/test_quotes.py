from hypothesis import given
from hypothesis import strategies as st

from analyzer.nlp.quotes import find_quotes, quoted_mask


def quoted(text):
    return [text[q.content_start : q.content_end] for q in find_quotes(text)]


def test_curly_straight_and_guillemets():
    assert quoted("He said “we will win” and left.") == ["we will win"]
    assert quoted('He said "we will win" and left.') == ["we will win"]
    assert quoted("Ella dijo « no volveremos » ayer.") == [" no volveremos "]
    assert quoted("Sie sagte „nein“ dazu.") == ["nein"]


def test_apostrophes_are_not_quotes():
    assert quoted("Morales’ party and Bolivia’s workers’ union") == []
    assert quoted("in the name of ‘human rights’ and ‘democracy.’") == [
        "human rights",
        "democracy.",
    ]
    assert quoted("it's the 'so-called' reform") == ["so-called"]


def test_unclosed_double_quote_runs_to_paragraph_end():
    text = "He said “this goes on\nNext paragraph."
    assert quoted(text) == ["this goes on"]


@given(st.text(alphabet=st.sampled_from(list("ab “”\"'‘’«»\n .")), max_size=80))
def test_quotes_are_well_formed(text):
    for q in find_quotes(text):
        assert 0 <= q.open < q.close <= len(text)
    assert len(quoted_mask(len(text), find_quotes(text))) == len(text)


def closed_flags(text):
    return [(text[q.content_start : q.content_end], q.closed) for q in find_quotes(text)]


def test_nested_quotes_are_listed_inside_the_outer_one():
    text = "He said “they call it “reform” here” and left."
    assert closed_flags(text) == [("they call it “reform” here", True), ("reform", True)]
    straight = 'She wrote “the so-called "transition" failed” today.'
    assert closed_flags(straight) == [('the so-called "transition" failed', True), ("transition", True)]


def test_quotation_over_sentences_and_continued_paragraphs():
    text = "“It failed. We tried.” He left."
    assert closed_flags(text) == [("It failed. We tried.", True)]
    continued = "“First paragraph of the speech.\n“Second one,” he said."
    assert closed_flags(continued) == [("First paragraph of the speech.", True), ("Second one,", True)]


def test_a_quotation_that_never_closes_is_flagged():
    assert closed_flags("He said “this goes on\nNext paragraph.") == [("this goes on", False)]
    assert closed_flags('A stray " mark') == [(" mark", False)]
    text = "He said “this goes on"
    assert closed_flags(text) == [("this goes on", False)]
    assert not any(quoted_mask(len(text), find_quotes(text)))


def test_reversed_guillemets_and_german_marks_still_pair():
    assert closed_flags("Er sagte »nein« dazu.") == [("nein", True)]
    assert closed_flags("Sie sagte „nein“ dazu.") == [("nein", True)]


def test_mixed_styles_close_each_other():
    assert closed_flags('“So here’s the plan. No way." he said.') == [("So here’s the plan. No way.", True)]
    assert closed_flags('He said: "look no further than this cave.” Then he left.') == [
        ("look no further than this cave.", True)
    ]
    # a straight mark that looks like an opening one nests instead of closing
    assert closed_flags('“They call it "reform" now”') == [
        ('They call it "reform" now', True),
        ("reform", True),
    ]
