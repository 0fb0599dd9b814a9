"""Text preparation shared by training and scoring: what a model reads, computed one way.

Both the scikit-learn transformers that fit a model (:mod:`analyzer.classify.features`) and the
scorer that runs an exported model (:mod:`analyzer.classify.artifacts.score`) call these plain
functions, so a model sees the same words, windows and n-grams in training and in use.

- :func:`words`: lower-cased word tokens (lexicon counts, word-bias rates).
- :func:`word_ngrams` / :func:`char_wb_ngrams`: the terms of a word or character TF-IDF, as
  scikit-learn's ``TfidfVectorizer`` analyses text (``analyzer="word"`` / ``"char_wb"``).
- :func:`target_context`: a sentence and a target span rewritten as text columns (entity stance).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise

WORD = re.compile(r"[a-z][a-z'\-]*")
TOKEN = re.compile(r"\w+|[^\w\s]")
BOUNDARY = re.compile(r"[,;:()\"\u201c\u201d\u2014]| -- | - ")
SUFFIXES = ("s", "es", "ed", "d", "ing", "ly")
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
ARTICLE_CHARS = 6000
"""An article-level model (leaning) reads the title and the first this many characters of the body."""


def article_text(title: str | None, body: str) -> str:
    """What an article-level model reads: ``title + ". "`` (when there is one) and the first
    :data:`ARTICLE_CHARS` characters of the body, the same in training and in use."""
    return (f"{title}. " if title else "") + body[:ARTICLE_CHARS]


def words(text: str) -> list[str]:
    """Lower-cased word tokens (a light tokenizer: fast enough for training on large sets)."""
    return WORD.findall(text.lower())


def lexicon_lookup(word: str, terms: dict[str, int]) -> int | None:
    """The value of ``word`` in ``terms``, else of ``word`` without one of :data:`SUFFIXES`
    (simple inflections: "slams", "slammed" find "slam" only through the first suffix that fits)."""
    if word in terms:
        return terms[word]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in terms:
            return terms[word[: -len(suffix)]]
    return None


@lru_cache(maxsize=32)
def word_ngrams(
    token_pattern: str = DEFAULT_TOKEN_PATTERN, ngram_range: tuple[int, int] = (1, 1), lowercase: bool = True
) -> Callable[[str], list[str]]:
    """A function giving a text's word n-grams as ``TfidfVectorizer(analyzer="word")`` with these
    settings does: tokens found by ``token_pattern`` (its group when it has one), then every run of
    ``low`` to ``high`` consecutive tokens joined by a space."""
    pattern = re.compile(token_pattern)
    low, high = ngram_range

    def ngrams(text: str) -> list[str]:
        tokens = pattern.findall(text.lower() if lowercase else text)
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), high + 1):
            if n == 2:
                grams += [f"{a} {b}" for a, b in pairwise(tokens)]
            else:
                grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return grams

    return ngrams


def char_wb_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """The character n-grams of one word as ``analyzer="char_wb"`` counts them: the word padded
    with a space on each side, every window of ``low`` to ``high`` characters; a padded word no
    longer than ``n`` counts once, whole, and ends the list."""
    padded = f" {word} "
    low, high = ngram_range
    grams: list[str] = []
    for n in range(low, high + 1):
        if n >= len(padded):
            grams.append(padded)
            break
        grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


def char_wb_words(text: str, lowercase: bool = True) -> list[str]:
    """The words a character ``char_wb`` analysis pads and cuts: whitespace-separated."""
    return (text.lower() if lowercase else text).split()


def target_context(texts: Iterable[str], starts: Iterable[int], ends: Iterable[int], window: int) -> dict:
    """Text columns around a target span in its sentence, for entity stance.

    ``masked``: the sentence with the target replaced by ``TGT`` (the model learns how targets are
    talked about, not which names are liked); ``left`` / ``right``: the ``window`` tokens before and
    after the target; ``clause``: the stretch between the punctuation marks around the target,
    target masked (a cheap stand-in for its clause); ``text``: both windows together (for the
    lexicon counts)."""
    columns: dict[str, list[str]] = {"masked": [], "left": [], "right": [], "clause": [], "text": []}
    for text, start, end in zip(texts, starts, ends, strict=True):
        start, end = int(start), int(end)
        left = " ".join(TOKEN.findall(text[:start])[-window:])
        right = " ".join(TOKEN.findall(text[end:])[:window])
        after = BOUNDARY.search(text, end)
        before = BOUNDARY.split(text[:start])[-1]
        columns["masked"].append(f"{text[:start]} TGT {text[end:]}")
        columns["left"].append(left)
        columns["right"].append(right)
        columns["clause"].append(f"{before} TGT {text[end : after.start()] if after else text[end:]}")
        columns["text"].append(f"{left} {right}")
    return columns
