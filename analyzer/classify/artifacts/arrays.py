"""The arrays of an exported model, and the one encoding they need beyond numbers: lists of terms.

``np.savez`` stores numbers as they are; a list of strings (a vocabulary, feature names) is stored
as one ``uint8`` array of its UTF-8 text with the terms separated by NUL (no term holds one; the
exporter checks). :class:`ModelArrays` decodes such a list once, into ``term -> position``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np

SEPARATOR = "\x00"


def encode_terms(terms: Iterable[str]) -> np.ndarray:
    """``terms`` as one ``uint8`` array (see the module docstring); a term that is empty or holds
    the separator cannot be stored this way and raises ``ValueError``."""
    terms = list(terms)
    bad = [term for term in terms if not term or SEPARATOR in term]
    if bad:
        raise ValueError(f"terms must be non-empty and free of NUL characters: {bad[:3]!r}")
    return np.frombuffer(SEPARATOR.join(terms).encode("utf-8"), dtype=np.uint8).copy()


def decode_terms(array: np.ndarray) -> list[str]:
    """The list :func:`encode_terms` stored."""
    if not len(array):
        return []
    return array.tobytes().decode("utf-8").split(SEPARATOR)


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
        return decode_terms(self._arrays[key])

    def vocabulary(self, key: str) -> dict[str, int]:
        """``term -> position`` of the term list under ``key`` (built once)."""
        found = self._vocabularies.get(key)
        if found is None:
            found = self._vocabularies[key] = {term: i for i, term in enumerate(self.terms(key))}
        return found
