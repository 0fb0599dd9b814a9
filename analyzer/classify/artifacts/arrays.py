"""The arrays of an exported model, and the one encoding they need beyond numbers: lists of terms.

``np.savez`` stores numbers as they are; a list of strings (a vocabulary, feature names) is stored
as two arrays: the terms' UTF-8 text end to end (``uint8``, under the list's key) and each term's
length in characters (``int64``, under the key plus :data:`LENGTHS`). Any string can be stored.
:class:`ModelArrays` decodes such a list once, into ``term -> position``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import accumulate

import numpy as np

LENGTHS = ".lengths"


def encode_terms(terms: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """``terms`` as their joined UTF-8 text and their lengths (see the module docstring)."""
    terms = list(terms)
    text = "".join(terms).encode("utf-8", "surrogatepass")
    return np.frombuffer(text, dtype=np.uint8).copy(), np.array([len(t) for t in terms], dtype=np.int64)


def decode_terms(text: np.ndarray, lengths: np.ndarray) -> list[str]:
    """The list :func:`encode_terms` stored."""
    joined = text.tobytes().decode("utf-8", "surrogatepass")
    ends = list(accumulate(lengths.tolist()))
    return [joined[end - length : end] for end, length in zip(ends, lengths.tolist(), strict=True)]


class ModelArrays:
    """Named arrays of one model (``model.npz``), with term lists decoded on first use."""

    def __init__(self, arrays: Mapping[str, np.ndarray], sha256: str = "") -> None:
        self._arrays = dict(arrays)
        self.sha256 = sha256
        """The SHA-256 of the file the arrays were read from ("" when built in memory)."""
        self._vocabularies: dict[str, dict[str, int]] = {}

    def __getitem__(self, key: str) -> np.ndarray:
        return self._arrays[key]

    def __contains__(self, key: object) -> bool:
        return key in self._arrays

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def terms(self, key: str) -> list[str]:
        """The term list stored under ``key``, in order."""
        return decode_terms(self._arrays[key], self._arrays[key + LENGTHS])

    def vocabulary(self, key: str) -> dict[str, int]:
        """``term -> position`` of the term list under ``key`` (built once)."""
        found = self._vocabularies.get(key)
        if found is None:
            found = self._vocabularies[key] = {term: i for i, term in enumerate(self.terms(key))}
        return found
