"""Screening before analysis: language identification and near-duplicate groups.

- Language: ``py3langid`` (ships its model; BSD-3-Clause) on the first 2,000 characters. A
  document in another language than the pipeline's gets a ``problem`` and is reported, not
  analyzed; with a ``--spacy-model`` of that language it is analyzed.
- Near-duplicates: MinHash (datasketch, 128 permutations) over word 5-shingles with an LSH index
  at estimated Jaccard similarity ``threshold`` (default 0.5: a lightly edited reprint in the
  sample corpus shares 0.68 of its shingles with the original, while different outlets' stories
  of the same event share at most 0.07): wire copies and syndicated reprints get the ``dup_group`` of the first document
  of their group (its doc_id), so comparisons can count each story once. The grouping depends only
  on the input order, so a resumed run recomputes the same groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..records import ArticleInput

LANGUAGE_CHARS = 2000
WORD = re.compile(r"\w+")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language of ``text``."""
    import py3langid

    return str(py3langid.classify(text[:LANGUAGE_CHARS])[0])


class NearDuplicates:
    """Streaming near-duplicate grouping (see the module docstring)."""

    def __init__(self, threshold: float = 0.5, num_perm: int = 128, shingle: int = 5) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._group: dict[str, str] = {}
        self._order: dict[str, int] = {}

    def _minhash(self, text: str):
        from datasketch import MinHash

        words = WORD.findall(text.lower())
        size = min(self.shingle, max(len(words), 1))
        shingles = {
            " ".join(words[i : i + size]).encode("utf-8") for i in range(max(len(words) - size + 1, 1))
        }
        signature = MinHash(num_perm=self.num_perm, seed=1)
        signature.update_batch(list(shingles))
        return signature

    def group(self, doc_id: str, text: str) -> str:
        """The group of ``doc_id``: the id of the first earlier near-duplicate, else its own."""
        if doc_id in self._group:
            return self._group[doc_id]
        signature = self._minhash(text)
        matches = [self._group[m] for m in self._lsh.query(signature)]
        group = min(matches, key=self._order.__getitem__) if matches else doc_id
        self._order[doc_id] = len(self._order)
        self._lsh.insert(doc_id, signature)
        self._group[doc_id] = group
        return group


def screen(
    articles: Iterable[ArticleInput],
    language: str = "en",
    dedup: bool = True,
    check_language: bool = True,
    dup_threshold: float = 0.5,
) -> Iterator[ArticleInput]:
    """``articles`` with ``language`` and ``dup_group`` filled and off-language ones flagged."""
    groups = NearDuplicates(dup_threshold) if dedup else None
    for article in articles:
        if not article.problem and article.text.strip():
            if check_language:
                article.language = detect_language(article.text)
                if article.language != language:
                    article.problem = (
                        f"language {article.language} (the pipeline is {language}; "
                        f"pass --spacy-model with a {article.language} pipeline to analyze it)"
                    )
            if groups is not None and not article.problem:
                article.dup_group = groups.group(str(article.doc_id), article.text)
        yield article
