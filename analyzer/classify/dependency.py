"""Dependency-parse features of a target mention, for entity stance.

Whether a sentence is negative *toward a target* depends on the target's role: "X attacked Y"
speaks against X and for nobody; with several targets in one sentence the surrounding words are
the same for all of them and only the syntax tells them apart. :class:`TargetDependencies` turns
each (sentence, target span) row into a short string of parse tokens for a bag-of-words model:

- ``dep=``/``pos=``: the dependency label and part of speech of the target's head word;
- ``up_<label>_<pos>``: each step on the path from the target up to the sentence root (at most
  ``MAX_DEPTH`` steps): the label of the arc climbed and the part of speech reached;
- ``govdep=``/``gov=<lemma>_<label>``: the first verb, auxiliary, adjective or noun above the target
  (its governor) and the arc by which the target hangs from the path to it;
- ``NEG``, ``MODAL_<lemma>``, ``PASSIVE``: negation, modal hedges ("may", "could") and passive voice
  on the governor;
- ``govchild_<label>_<lemma>``: the governor's objects, complements, adverbs and prepositions
  (what the target does or has done to it), the target's own words excluded;
- ``INQUOTE`` / ``HASQUOTE``: the target stands inside a quotation / the sentence quotes someone
  (quoted voice rather than the author's).

The sentences are parsed here, from plain text (with the project's default spaCy pipeline, its
entity recogniser switched off), so the model trains and scores from the same columns as the other
features. Each distinct sentence is parsed once per call; the resulting strings are memoised per
(sentence, span) across calls and estimator clones, because calibration folds transform the same
training rows several times.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Token

from .features import _TextTransformer

MAX_DEPTH = 8
GOVERNOR_POS = frozenset({"VERB", "AUX", "ADJ", "NOUN"})
GOVERNOR_CHILD_DEPS = frozenset({"dobj", "attr", "acomp", "xcomp", "ccomp", "advmod", "prep"})
PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass"})
MEMO_LIMIT = 100_000
_MEMO: dict[tuple[str, int, int], str] = {}


@lru_cache(maxsize=2)
def _parser(name: str | None) -> Language:
    """The spaCy pipeline ``name`` (default: the project's), loaded once per process."""
    from ..nlp.pipeline import load_bare_pipeline

    return load_bare_pipeline(name)


def target_tokens(doc: Doc, start: int, end: int) -> list[Token]:
    """The tokens overlapping the character span ``[start, end)`` (else the nearest token)."""
    tokens = [t for t in doc if t.idx < end and t.idx + len(t) > start]
    return tokens or [min(doc, key=lambda t: abs(t.idx - start))]


def span_head(tokens: Sequence[Token]) -> Token:
    """The token of a span whose syntactic head lies outside the span (the span's root)."""
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in inside or token.head.i == token.i:
            return token
    return tokens[0]


def inside_quotation(text: str, start: int) -> bool:
    """Whether position ``start`` of ``text`` lies within quotation marks (straight or curly)."""
    before = text[:start]
    return before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d")


def _governor_tokens(governor: Token, target: set[int]) -> list[str]:
    """Negation, modality, voice and complements of the target's governor."""
    out = []
    for child in governor.children:
        if child.dep_ == "neg":
            out.append("NEG")
        if child.tag_ == "MD":
            out.append(f"MODAL_{child.lemma_.lower()}")
        if child.dep_ in PASSIVE_DEPS:
            out.append("PASSIVE")
        if child.dep_ in GOVERNOR_CHILD_DEPS and child.i not in target:
            out.append(f"govchild_{child.dep_}_{child.lemma_.lower()}")
    return out


def dependency_tokens(doc: Doc, start: int, end: int) -> list[str]:
    """The parse tokens of the target span ``[start, end)`` of ``doc`` (see the module docstring)."""
    if not len(doc):
        return []
    tokens = target_tokens(doc, start, end)
    head = span_head(tokens)
    out = [f"dep={head.dep_}", f"pos={head.pos_}"]
    current, governor = head, None
    for _ in range(MAX_DEPTH):
        if current.head.i == current.i:
            break
        arc, current = current.dep_, current.head
        out.append(f"up_{arc}_{current.pos_}")
        if governor is None and current.pos_ in GOVERNOR_POS:
            governor = current
            out += [f"govdep={arc}", f"gov={current.lemma_.lower()}_{arc}"]
    if governor is not None:
        out += _governor_tokens(governor, {t.i for t in tokens})
    if inside_quotation(doc.text, start):
        out.append("INQUOTE")
    if any(mark in doc.text for mark in '"\u201c\u201d'):
        out.append("HASQUOTE")
    return out


class TargetDependencies(_TextTransformer):
    """(sentence, target span) rows -> one string of parse tokens per row (module docstring).

    Input: a frame with ``text``, ``target_start`` and ``target_end`` (character offsets in the
    sentence). Output: a 1-D array of strings, for a vectoriser with ``token_pattern=r"\\S+"``.
    ``pipeline`` names the spaCy pipeline (default: the project's, en_core_web_sm).
    """

    def __init__(self, pipeline: str | None = None) -> None:
        self.pipeline = pipeline

    def fit(self, X: pd.DataFrame, y: object = None) -> TargetDependencies:
        self.n_features_out_ = 1
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        rows = list(
            zip(
                X["text"].astype(str), X["target_start"].astype(int), X["target_end"].astype(int), strict=True
            )
        )
        missing = sorted({text for text, start, end in rows if (text, start, end) not in _MEMO})
        if missing:
            if len(_MEMO) > MEMO_LIMIT:
                _MEMO.clear()
            spans: dict[str, list[tuple[int, int]]] = {}
            for text, start, end in rows:
                spans.setdefault(text, []).append((start, end))
            for doc in _parser(self.pipeline).pipe(missing, disable=["ner"], batch_size=256):
                for start, end in spans[doc.text]:
                    _MEMO[(doc.text, start, end)] = " ".join(dependency_tokens(doc, start, end))
        return np.array([_MEMO[row] for row in rows], dtype=object)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array(["dependencies"])
