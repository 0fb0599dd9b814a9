"""BABE sentences as token rows for the loaded-word model: parse, find candidates, label them.

Each BABE row (``read_babe``: "No agreement" rows dropped) is parsed by the analyzer's own spaCy
pipeline up to ``analyzer_framing`` (the same lexicon hits the analysis produces), and treated as one
sentence even where spaCy splits it. Gold: a word token is loaded when it belongs to an entry of the
row's ``biased_words`` (see :func:`~analyzer.classify.tokens.gold_tokens`). The annotators
marked words in non-biased sentences too (11.5 % of them have some), so every sentence counts: its
unmarked tokens are negatives, its marked tokens positives, whatever the sentence label.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ...lexicons import default_lexicon_path, load_lexicon
from ...nlp.pipeline import load_pipeline
from ..data.datasets import LabeledData
from ..tokens import SentenceTokens, gold_tokens, lexicon_categories, lexicon_hits, sentence_tokens

PARSE_BATCH = 64


def lexicon_words() -> frozenset[str]:
    """Single-word terms of the shipped framing lexicon (the ``lexword`` feature)."""
    return load_lexicon(default_lexicon_path()).single_words()


def training_pipeline() -> Language:
    """The analyzer pipeline with its lexicon hits (no loaded-word model)."""
    return load_pipeline()


def doc_sentences(
    nlp: Language, texts: Iterable[str], words: frozenset[str] | None = None
) -> Iterator[tuple[Doc, SentenceTokens]]:
    """``(doc, SentenceTokens)`` per text, each text taken as one sentence."""
    words = lexicon_words() if words is None else words
    disable = [name for name in ("analyzer_context", "analyzer_loaded_words") if nlp.has_pipe(name)]
    for doc in nlp.pipe(texts, batch_size=PARSE_BATCH, disable=disable):
        sentence = sentence_tokens(doc, 0, len(doc), lexicon_categories(doc), words)
        sentence.hits = lexicon_hits(doc, 0, len(doc))
        yield doc, sentence


def babe_word_sentences(data: LabeledData, nlp: Language | None = None) -> list[SentenceTokens]:
    """Every row of ``data`` (read with ``read_babe``) as a labelled :class:`SentenceTokens`."""
    nlp = nlp or training_pipeline()
    frame = data.frame
    words = lexicon_words()
    rows = []
    parsed = doc_sentences(nlp, frame["text"].astype(str).tolist(), words)
    for (doc, sentence), group, label, marked in zip(
        parsed, frame["group"], frame["label"], frame["biased_words"], strict=True
    ):
        sentence.group = str(group)
        sentence.biased = label == "biased"
        sentence.gold = gold_tokens(doc, 0, len(doc), marked or [], nlp.tokenizer)
        rows.append(sentence)
    return rows
