"""A character n-gram TF-IDF that fits like scikit-learn's and transforms an order of magnitude faster.

Character n-grams "inside word boundaries" (``analyzer="char_wb"``) are computed word by word, so
a text's n-grams are the union of its words' n-grams. Words repeat (a few thousand cover most
running text), so :class:`CharNgramTfidf` remembers, per word, the vocabulary columns of its
n-grams and builds a text's counts from those cached arrays: the same matrix as
``TfidfVectorizer(analyzer="char_wb", ...)`` (a test pins the equality), without enumerating and
looking up every n-gram again. This is what keeps the classifiers cheap next to the spaCy pipeline
when every sentence and every entity mention of an article is scored.

For word TF-IDF, :func:`analyse_terms` and :func:`tfidf_from_terms` split a fitted
``TfidfVectorizer``'s ``transform`` in two: analysing the texts into terms (the costly part,
independent of the vocabulary) and counting and weighting those terms with one vectorizer's
vocabulary and idf, the whole batch at once (no ``Counter`` per text). Models that vectorize the
same texts with several vectorizers of the same settings (the leaning fold ensemble) analyse, hash
and sort each batch's terms once; :class:`LastBatchMemo` keeps that :class:`Terms` for one batch.

The vocabulary look-up itself goes through :class:`HashedVocabulary`: sorted arrays of the terms'
hashes and columns, searched for all of a batch's terms at once. A fitted vocabulary is a dict of
up to 300,000 strings (three of them for leaning), and after the spaCy pipeline has run, nearly
every look-up in it missed the processor's caches; the arrays are a fraction of that memory and
are searched in one numpy call.

Both kinds of vectorizer first find their terms' occurrences (:func:`occurrences`: the row and
column of each), and :func:`joined_tfidf` turns occurrences into TF-IDF rows: for one vectorizer,
or for all the vectorizers a ``ColumnTransformer`` joins side by side, counted, weighted and
normalised together in one pass (the same matrix as joining each one's own rows).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import cached_property, lru_cache
from itertools import accumulate, pairwise, repeat
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l1, inplace_csr_row_normalize_l2

CACHE_LIMIT = 200_000


class CharNgramTfidf(TfidfVectorizer):
    """``TfidfVectorizer(analyzer="char_wb")`` with a per-word cache in ``transform``.

    Fitting is scikit-learn's own; ``transform`` reproduces its output for the options this class
    allows (``lowercase``, ``sublinear_tf``, ``use_idf``, ``norm`` of "l2" / "l1" / None).
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (2, 5),
        min_df: float | int = 1,
        max_df: float | int = 1.0,
        max_features: int | None = None,
        lowercase: bool = True,
        sublinear_tf: bool = False,
        use_idf: bool = True,
        smooth_idf: bool = True,
        norm: str | None = "l2",
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(
            analyzer="char_wb",
            ngram_range=ngram_range,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            lowercase=lowercase,
            sublinear_tf=sublinear_tf,
            use_idf=use_idf,
            smooth_idf=smooth_idf,
            norm=norm,
            dtype=dtype,
        )

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_word_columns", None)
        state.pop("_analyze", None)
        return state

    def _word_cache(self) -> _WordColumns:
        """The per-word cache, (re)started when missing (after unpickling), after a refit, or over
        ``CACHE_LIMIT`` words."""
        cache: _WordColumns | None = self.__dict__.get("_word_columns")
        if cache is None or cache.vocabulary is not self.vocabulary_ or len(cache) > CACHE_LIMIT:
            cache = self.__dict__["_word_columns"] = _WordColumns(self.build_analyzer(), self.vocabulary_)
        return cache

    def transform(self, raw_documents: Iterable[str]) -> csr_matrix:  # type: ignore[override]
        documents = _documents(raw_documents)
        return joined_tfidf([self], [self.occurrences(documents)], len(documents))

    def occurrences(self, raw_documents: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The row and column of every vocabulary n-gram occurrence in the documents (see
        :func:`occurrences`), from the per-word cache."""
        cache = self._word_cache()
        id_of = cache.__getitem__
        ids: list[int] = []
        ends = [0]
        for document in _documents(raw_documents):
            ids.extend(map(id_of, (document.lower() if self.lowercase else document).split()))
            ends.append(len(ids))
        return cache.entries(np.array(ids, dtype=np.int64), np.diff(ends))


def _documents(raw_documents: Iterable[str]) -> list[str]:
    if isinstance(raw_documents, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    return list(raw_documents)


class _WordColumns(dict):
    """Per word, the vocabulary columns of its n-grams (repeats kept), computed on first look-up.

    The dict maps a word to an id; the columns of all words lie end to end in one array
    (``columns``, with each id's ``starts`` and ``lengths``), so that a batch's columns are
    gathered with a few array operations from contiguous memory rather than joined from one
    small array object per word."""

    def __init__(self, analyze: Callable[[str], list[str]], vocabulary: Mapping[str, int]) -> None:
        super().__init__()
        self.analyze = analyze
        self.vocabulary = vocabulary
        self.columns = np.empty(1 << 12, dtype=np.int64)
        self.starts = np.empty(1 << 8, dtype=np.int64)
        self.lengths = np.empty(1 << 8, dtype=np.int64)
        self.used = 0

    def __missing__(self, word: str) -> int:
        look_up = self.vocabulary.get
        found = [column for column in map(look_up, self.analyze(word)) if column is not None]
        word_id = len(self)
        if word_id == len(self.starts):
            self.starts = np.resize(self.starts, 2 * word_id)
            self.lengths = np.resize(self.lengths, 2 * word_id)
        while self.used + len(found) > len(self.columns):
            self.columns = np.resize(self.columns, 2 * len(self.columns))
        self.columns[self.used : self.used + len(found)] = found
        self.starts[word_id], self.lengths[word_id] = self.used, len(found)
        self.used += len(found)
        self[word] = word_id
        return word_id

    def entries(self, ids: np.ndarray, words_per_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For words ``ids`` (row after row, ``words_per_row`` of them in each row), every n-gram
        column of each word in order, and the row it belongs to."""
        lengths = self.lengths[ids]
        before = np.cumsum(lengths) - lengths
        positions = np.repeat(self.starts[ids] - before, lengths) + np.arange(
            before[-1] + lengths[-1] if len(ids) else 0
        )
        rows = np.repeat(np.repeat(np.arange(len(words_per_row), dtype=np.int64), words_per_row), lengths)
        return rows, self.columns[positions]


def _count_matrix(
    keys: np.ndarray, height: int, width: int, dtype: Any, blocks: Sequence[int] = (0,)
) -> tuple[csr_matrix, np.ndarray]:
    """Row ``i`` counts the columns ``c`` of the ``keys`` ``i * width + c``: a CSR matrix with
    sorted, distinct indices per row, as ``sum_duplicates`` makes it, but with one sort over all
    rows. Also, row after row, where each row's entries from each block start (``blocks``: the
    start column of each block, ascending), and the end of the last: the row pointers of the
    same entries read as one row per (row, block)."""
    keys.sort()
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
    distinct = keys[first]
    counts = np.diff(np.append(first, len(keys))).astype(dtype)
    bounds = np.append(
        np.add.outer(np.arange(height, dtype=np.int64) * width, blocks).ravel(), height * width
    )
    segments = np.searchsorted(distinct, bounds)
    matrix = csr(counts, distinct % width, segments[:: len(blocks)], (height, width))
    matrix.has_sorted_indices = True
    return matrix, segments


WEIGHTING = ("binary", "sublinear_tf", "use_idf", "norm", "dtype")
"""The settings that turn a vectorizer's counts into TF-IDF: vectorizers equal on these can be
weighted together (:func:`joined_tfidf`)."""


def occurrences(vectorizer: TfidfVectorizer, documents: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """The row (document) and column of every occurrence of a vocabulary term in ``documents``,
    in no particular order: what the vectorizer's TF-IDF rows count."""
    if isinstance(vectorizer, CharNgramTfidf):
        return vectorizer.occurrences(documents)
    return hashed_vocabulary(vectorizer).entries(analyse_terms(vectorizer, documents))


def joined_tfidf(
    vectorizers: Sequence[TfidfVectorizer], found: Sequence[tuple[np.ndarray, np.ndarray]], height: int
) -> csr_matrix:
    """``hstack([v.transform(documents_v) for v in vectorizers])`` from each vectorizer's
    :func:`occurrences` in its ``height`` documents, for vectorizers equal on :data:`WEIGHTING`.

    The same matrix (same entries in the same order, same arithmetic: each block of a row is
    normalised on its own by scikit-learn's kernel), but counted, weighted and normalised once for
    all blocks rather than once per block and then joined: right after the spaCy pipeline each
    numpy call costs several microseconds whatever its size, and one vectorizer's rows take about
    thirty of them (the four blocks of the entity-stance model, for instance)."""
    first = vectorizers[0]
    widths = [len(vectorizer.vocabulary_) for vectorizer in vectorizers]
    width = sum(widths)
    blocks = list(accumulate(widths[:-1], initial=0))
    keys = (
        found[0][0] * width + found[0][1]
        if len(found) == 1
        else np.concatenate(
            [rows * width + (columns + start) for (rows, columns), start in zip(found, blocks, strict=True)]
        )
    )
    matrix, segments = _count_matrix(keys, height, width, first.dtype, blocks)
    if first.binary:
        matrix.data.fill(1)
    if first.sublinear_tf:
        np.log(matrix.data, matrix.data)
        matrix.data += 1.0
    if first.use_idf:
        matrix.data *= _joined_idf(vectorizers)[matrix.indices]
    if len(blocks) == 1:
        return normalize_rows(matrix, first.norm)
    # A view sharing the matrix's data: its row r * len(blocks) + b is block b of row r, so
    # normalising its rows in place normalises each block of each row on its own.
    normalize_rows(csr(matrix.data, matrix.indices, segments, (height * len(blocks), width)), first.norm)
    return matrix


_JOINED_IDF: dict[tuple[int, ...], tuple[list[np.ndarray], np.ndarray]] = {}


def _joined_idf(vectorizers: Sequence[TfidfVectorizer]) -> np.ndarray:
    """The vectorizers' idf vectors end to end (in their dtype), joined once and kept for the same
    vectors (a handful of combinations per process; the vectors themselves are kept with them, so
    their ids stay theirs)."""
    arrays = [vectorizer.idf_ for vectorizer in vectorizers]
    if len(arrays) == 1:
        return arrays[0].astype(vectorizers[0].dtype, copy=False)
    key = tuple(map(id, arrays))
    kept = _JOINED_IDF.get(key)
    if kept is None:
        if len(_JOINED_IDF) >= 16:
            _JOINED_IDF.clear()
        kept = _JOINED_IDF[key] = (arrays, np.concatenate(arrays).astype(vectorizers[0].dtype, copy=False))
    return kept[1]


class Terms:
    """A batch of documents' terms, document after document with repeats, as an analyzer gives
    them, and what every vocabulary look-up of the batch needs from them, computed once: the
    row of each term and the terms' hashes in sorted order (models that look the same batch up
    in several vocabularies, such as the leaning fold ensemble, hash and sort it once)."""

    def __init__(self, terms: list[str], lengths: Sequence[int]) -> None:
        self.terms = terms
        self.lengths = np.asarray(lengths, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.lengths)

    @cached_property
    def rows(self) -> np.ndarray:
        """The document (row) of each term."""
        return np.repeat(np.arange(len(self.lengths), dtype=np.int64), self.lengths)

    @cached_property
    def sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """The terms' ``hash`` values in ascending order, and the row of each of them."""
        hashes = np.fromiter(map(hash, self.terms), dtype=np.int64, count=len(self.terms))
        order = hashes.argsort()
        return hashes[order], self.rows[order]


def analyse_terms(vectorizer: TfidfVectorizer, documents: Iterable[str]) -> Terms:
    """Every document's terms under ``vectorizer``'s analyzer (no vocabulary involved)."""
    documents = list(documents)
    words = _word_terms(vectorizer)
    if words is None or any(type(document) is not str for document in documents):
        words = vectorizer.build_analyzer()
    terms: list[str] = []
    lengths = []
    for document in documents:
        before = len(terms)
        terms.extend(words(document))  # an analyzer may return any iterable, a generator too
        lengths.append(len(terms) - before)
    return Terms(terms, lengths)


def _word_terms(vectorizer: TfidfVectorizer) -> Callable[[str], list[str]] | None:
    """For the usual word analyzer (default preprocessing, a token pattern, no stop words, 1-grams
    or 1- and 2-grams), a function giving a text's terms as scikit-learn's analyzer does (the same
    terms in the same order) with less per-call work; None for any other setting."""
    plain = (
        vectorizer.analyzer == "word"
        and vectorizer.input == "content"
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and vectorizer.stop_words is None
        and vectorizer.strip_accents is None
        and tuple(vectorizer.ngram_range) in ((1, 1), (1, 2))
    )
    if not plain:
        return None
    return _terms_function(
        vectorizer.token_pattern, vectorizer.lowercase, tuple(vectorizer.ngram_range) == (1, 2)
    )


@lru_cache(maxsize=64)
def _terms_function(token_pattern: str, lowercase: bool, bigrams: bool) -> Callable[[str], list[str]]:
    """The term function of :func:`_word_terms` for one setting, made once per process (building
    it again on every call cost more than using it, once the spaCy pipeline had run)."""
    findall = re.compile(token_pattern).findall

    def terms(text: str) -> list[str]:
        tokens = findall(text.lower() if lowercase else text)
        if bigrams:
            tokens += [f"{a} {b}" for a, b in pairwise(tokens)]
        return tokens

    return terms


def tfidf_from_terms(vectorizer: TfidfVectorizer, batch: Terms) -> csr_matrix:
    """``vectorizer.transform(documents)`` from the documents' :func:`analyse_terms`: the same
    matrix (same entries, same order, same arithmetic), the whole batch looked up and counted at
    once, without a ``Counter`` per document."""
    return joined_tfidf([vectorizer], [hashed_vocabulary(vectorizer).entries(batch)], len(batch))


class HashedVocabulary:
    """A vocabulary's ``term -> column`` look-up as two sorted arrays: the terms' ``hash`` values
    and their columns. :meth:`entries` finds a batch's terms with one ``np.searchsorted`` of
    their hashes: the same columns as ``vocabulary.get(term)`` term by term, in a few megabytes of
    contiguous memory instead of a dict's scattered entries and key strings. The query hashes are
    sorted first (once per batch, :attr:`Terms.sorted`), so that successive searches walk the array
    in one direction (numpy narrows each search by the previous one; 15-20 % less time with cold
    caches).

    Exactness. Two different strings with the same 64-bit hash would be confused. Within the
    vocabulary this is checked when the arrays are built (the look-ups then use the dict
    itself); a term outside it shares a vocabulary term's hash with probability about
    ``len(vocabulary) / 2**64`` (below 1e-13 for 300,000 terms). ``str`` hashes are salted per
    process, so the arrays are built in each process and never pickled.
    """

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self.vocabulary = vocabulary
        hashes = np.fromiter(map(hash, vocabulary), dtype=np.int64, count=len(vocabulary))
        order = np.argsort(hashes, kind="stable")
        hashes = hashes[order]
        self.distinct = bool(np.all(hashes[1:] != hashes[:-1]))
        # One entry past the end (the largest hash, column -1): a search past every term lands on
        # it and finds nothing, without a separate test for that case.
        self.hashes = np.append(hashes, np.iinfo(np.int64).max)
        self.columns_of = np.append(np.fromiter(vocabulary.values(), np.int64, len(vocabulary))[order], -1)

    def columns(self, terms: Iterable[str]) -> np.ndarray:
        """Each term's column, -1 for a term outside the vocabulary."""
        terms = list(terms)
        if not self.distinct:
            return np.array(list(map(self.vocabulary.get, terms, repeat(-1))), dtype=np.int64)
        return self._find(np.fromiter(map(hash, terms), dtype=np.int64, count=len(terms)))

    def entries(self, batch: Terms) -> tuple[np.ndarray, np.ndarray]:
        """The row and column of each of ``batch``'s terms that the vocabulary holds (in the
        order of their hashes: counting does not need the documents' order)."""
        if self.distinct:
            wanted, rows = batch.sorted
            columns = self._find(wanted)
        else:
            rows, columns = batch.rows, self.columns(batch.terms)
        known = columns >= 0
        return rows[known], columns[known]

    def _find(self, wanted: np.ndarray) -> np.ndarray:
        """The column of each of the ``wanted`` hashes, -1 for one the vocabulary lacks."""
        place = self.hashes.searchsorted(wanted)
        return np.where(self.hashes[place] == wanted, self.columns_of[place], -1)


class Derived:
    """Values derived from one attribute of fitted objects, kept beside each object (a weak
    reference to it, not in it, so that they are never pickled), built on first use in a process
    and again when the attribute is replaced (a refit)."""

    def __init__(self, attribute: str, build: Callable[[Any], Any]) -> None:
        self.attribute = attribute
        self.build = build
        self._kept: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()

    def __call__(self, owner: Any) -> Any:
        source = getattr(owner, self.attribute)
        kept = self._kept.get(owner)
        if kept is None or kept[0] is not source:
            kept = self._kept[owner] = (source, self.build(source))
        return kept[1]


hashed_vocabulary: Callable[[TfidfVectorizer], HashedVocabulary] = Derived("vocabulary_", HashedVocabulary)
"""The :class:`HashedVocabulary` of a fitted vectorizer, built once per process and per fit."""


def normalize_rows(matrix: csr_matrix, norm: str | None) -> csr_matrix:
    """``matrix`` (CSR, floats) with each row scaled in place to unit ``norm`` ("l2", "l1" or None):
    the arithmetic of ``sklearn.preprocessing.normalize`` without its input validation, which cost
    more than the scaling itself on the few rows of one article (0.15 ms against 1 µs)."""
    if norm == "l2":
        inplace_csr_row_normalize_l2(matrix)
    elif norm == "l1":
        inplace_csr_row_normalize_l1(matrix)
    elif norm is not None:
        raise ValueError(f"norm must be 'l1', 'l2' or None, not {norm!r}")
    return matrix


class LastBatchMemo:
    """The value of ``compute(texts)`` for the most recent batch only, shared by the callers that
    pass the same ``key``: several models reading the same batch compute it once.

    Bounded by design: one entry, replaced by the next batch, and none kept for batches of more
    than ``limit`` texts, so a long run holds at most one batch's values.
    """

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self._entry: tuple[Hashable, list[str], Any] | None = None

    def get(self, key: Hashable, texts: list[str], compute: Callable[[list[str]], Any]) -> Any:
        """``compute(texts)``, or the value kept for this ``key`` and these exact ``texts``."""
        entry = self._entry
        if entry is not None and entry[0] == key and entry[1] == texts:
            return entry[2]
        value = compute(texts)
        self._entry = (key, texts, value) if len(texts) <= self.limit else None
        return value


def _csr_defaults() -> dict[str, Any] | None:
    """The attributes scipy's ``csr_matrix((data, indices, indptr))`` sets besides those four and the
    shape (its print limit), or None when they are not the ones :func:`csr` knows how to set."""
    template = csr_matrix((np.zeros(1), np.zeros(1, np.int32), np.array([0, 1], np.int32)), shape=(1, 1))
    fields = vars(template)
    if set(fields) != {"_shape", "maxprint", "data", "indices", "indptr"}:
        return None
    return {"maxprint": fields["maxprint"]}


_CSR_DEFAULTS = _csr_defaults()
INT32_LIMIT = np.iinfo(np.int32).max


def csr(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]) -> csr_matrix:
    """``csr_matrix((data, indices, indptr), shape=shape)`` for arrays built by this package (valid
    by construction): the same matrix with the same attributes (index arrays as ``int32`` when they
    fit, as scipy makes them), without the constructor's checks.

    Why. Those checks run a dozen Python functions and several reductions; right after the spaCy
    pipeline, with the processor's caches cold, one construction took about 0.7 ms against 0.01 ms
    for this, and scoring one article builds about twenty. ``tests/classify/test_vectorize.py``
    compares both constructions attribute by attribute, and if scipy's matrix ever holds other
    attributes, this falls back to scipy's constructor.
    """
    rows, width = int(shape[0]), int(shape[1])
    if _CSR_DEFAULTS is None or max(rows, width, len(data)) >= INT32_LIMIT:
        return csr_matrix((data, indices, indptr), shape=(rows, width))
    matrix = csr_matrix.__new__(csr_matrix)
    matrix.__dict__.update(_CSR_DEFAULTS)
    matrix._shape = (rows, width)
    matrix.indices = indices.astype(np.int32, copy=False)
    matrix.indptr = indptr.astype(np.int32, copy=False)
    matrix.data = data
    return matrix


def csr_from_dense(array: np.ndarray) -> csr_matrix:
    """``csr_matrix(array)`` for a 2-D array: its non-zero entries row by row, columns ascending,
    built directly (scipy's constructor takes a detour through COO, which cost more than the rest
    of a small feature block)."""
    nonzero = array != 0
    rows, columns = np.nonzero(nonzero)
    indptr = np.concatenate(([0], np.cumsum(nonzero.sum(axis=1))))
    matrix = csr(array[rows, columns], columns, indptr, array.shape)
    matrix.has_sorted_indices = True
    return matrix
