"""Find candidate tokens by comparing attribute hashes in one numpy pass.

Creating a spaCy ``Token`` object per position costs more than the analyzer's own rules, so the
components first select the few positions whose lower-cased form or lemma is in a word set, then
look only at those tokens.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.strings import hash_string
from spacy.tokens import Doc


def word_hashes(words: Iterable[str]) -> np.ndarray:
    """spaCy string hashes of ``words``, for :func:`candidate_positions`."""
    return np.array(sorted({hash_string(w) for w in words}), dtype=np.uint64)


def candidate_positions(
    doc: Doc, hashes: np.ndarray, attrs: tuple[str, ...] = ("LOWER", "LEMMA")
) -> list[int]:
    """Indices of tokens whose value of any of ``attrs`` is one of ``hashes``."""
    if len(doc) == 0 or len(hashes) == 0:
        return []
    values = doc.to_array(list(attrs)).reshape(len(doc), len(attrs))
    return np.flatnonzero(np.isin(values, hashes).any(axis=1)).tolist()


def capitalized_positions(doc: Doc) -> list[int]:
    """Indices of tokens whose first character is an upper-case letter (word shape "X...")."""
    if len(doc) == 0:
        return []
    shapes = doc.to_array("SHAPE")
    strings = doc.vocab.strings
    upper = [h for h in np.unique(shapes).tolist() if strings[h][:1] == "X"]
    return np.flatnonzero(np.isin(shapes, np.array(upper, dtype=np.uint64))).tolist()
