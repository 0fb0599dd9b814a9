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
