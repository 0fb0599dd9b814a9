"""Sentence bounds per token, computed once per Doc.

``Token.sent`` walks the document's sentences on every call, which is quadratic over a long text;
the components look bounds up here instead. The cache lives in ``doc.user_data`` while the
pipeline runs and is dropped by the last analyzer component.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

CACHE_KEY = "az_sentence_bounds"


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``(start, end)`` token offsets of the sentence of every token."""
    bounds = doc.user_data.get(CACHE_KEY)
    if bounds is None or len(bounds) != len(doc):
        bounds = [(0, len(doc))] * len(doc)
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            for sent in doc.sents:
                pair = (sent.start, sent.end)
                bounds[sent.start : sent.end] = [pair] * (sent.end - sent.start)
        doc.user_data[CACHE_KEY] = bounds
    return bounds


def previous_sentence_start(doc: Doc, i: int, sentences_back: int = 1) -> int:
    """Start token of the sentence ``sentences_back`` before the one holding token ``i``."""
    bounds = sentence_bounds(doc)
    start = bounds[i][0] if bounds else 0
    for _ in range(sentences_back):
        if start == 0:
            break
        start = bounds[start - 1][0]
    return start


def drop_cache(doc: Doc) -> None:
    """Remove the cache so it is not serialised with the Doc."""
    doc.user_data.pop(CACHE_KEY, None)


@Language.component("analyzer_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break. The trained ``senter`` used by the fast profile
    runs paragraphs together without it (on the sample corpus 73 % of the parser's sentences
    without this rule, 96 % with it), and the dependency parser, which respects boundaries set
    before it runs, still joins a paragraph ending in a closing quotation mark to the next."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc
