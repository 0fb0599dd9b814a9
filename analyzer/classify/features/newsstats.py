"""Word statistics from a news corpus, for the loaded-word model: what BABE's 3,000 sentences cannot
teach about words they never show.

Built once from unlabelled use of a news corpus (by default the AllSides media-split training
articles: their text and their outlets' leaning; no BABE label touches them), per lower-cased word:

- ``zipf``: log10 of its occurrences per billion words (loaded words are rarer than plain ones);
- ``partisan``: z-score of the log-odds ratio with informative Dirichlet prior (Monroe, Colaresi &
  Quinn 2008; :func:`analyzer.comparison.stats.log_odds_dirichlet`) of left and right outlets
  against centre outlets, clipped to ±5 (partisan outlets use "slammed" and "radical" more);
- ``slant``: the absolute z-score of left against right outlets, clipped to 5;
- a *context vector*: positive pointwise mutual information with the words within ``window`` tokens
  (context distribution smoothed with exponent 0.75), factorised by truncated SVD with the singular
  values' square root on the word side, rows scaled to unit length (Levy, Goldberg & Dagan 2015).
  Words used in the same contexts get similar vectors ("slammed", "blasted", "lambasted"), so an
  annotated word lends its evidence to its unannotated neighbours.

Only the ``vocabulary`` most frequent words get statistics; others are ``unknown``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from ...errors import InputNotFoundError
from ...stats import log_odds_dirichlet
from ..data.datasets import LabeledData, read_dataset
from ..wordstats import CLIP, WordStats

WORD = re.compile(r"[a-z]+")
FLUSH_ROWS = 2000
NEWS_FOLDER = "allsides_baly2020"
CACHE_ENV = "ANALYZER_CACHE"


def news_words(text: str) -> list[str]:
    """Lower-cased alphabetic words of ``text`` (the tokens the statistics are counted over)."""
    return WORD.findall(text.lower())


def _cooccurrence(documents: Iterable[list[int]], size: int, window: int) -> sp.csr_matrix:
    """Symmetric counts of vocabulary words within ``window`` tokens of each other."""
    total = sp.csr_matrix((size, size), dtype=np.float64)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []

    def flush() -> sp.csr_matrix:
        if not rows:
            return total
        r, c = np.concatenate(rows), np.concatenate(cols)
        rows.clear()
        cols.clear()
        return total + sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(size, size))

    for k, ids in enumerate(documents, start=1):
        a = np.asarray(ids, dtype=np.int64)
        for d in range(1, window + 1):
            left, right = a[:-d], a[d:]
            ok = (left >= 0) & (right >= 0)
            rows += [left[ok], right[ok]]
            cols += [right[ok], left[ok]]
        if k % FLUSH_ROWS == 0:
            total = flush()
    return flush().tocsr()


def context_vectors(cooc: sp.csr_matrix, dimensions: int) -> np.ndarray:
    """PPMI (context smoothing 0.75) of ``cooc`` factorised by truncated SVD; unit-length rows."""
    coo = cooc.tocoo()
    total = coo.data.sum()
    word = np.asarray(cooc.sum(axis=1)).ravel() / total
    context = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    context /= context.sum()
    pmi = np.log(coo.data / total / (word[coo.row] * context[coo.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=cooc.shape)
    u, s, _ = svds(ppmi, k=dimensions, random_state=0)
    vectors = u * np.sqrt(s)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def build_word_stats(
    texts: Sequence[str],
    leanings: Sequence[str],
    vocabulary: int = 40000,
    window: int = 4,
    dimensions: int = 100,
    source: dict | None = None,
) -> WordStats:
    """Statistics of :mod:`this module <analyzer.classify.newsstats>` from ``texts`` whose outlets
    lean ``leanings`` (``left``, ``center`` or ``right``)."""
    by_leaning = {name: Counter() for name in ("left", "center", "right")}
    tokenized = []
    for text, leaning in zip(texts, leanings, strict=True):
        words = news_words(text)
        tokenized.append(words)
        by_leaning[str(leaning)].update(words)
    pooled = by_leaning["left"] + by_leaning["center"] + by_leaning["right"]
    words = [w for w, _ in pooled.most_common(vocabulary)]
    index = {w: k for k, w in enumerate(words)}

    def column(counter: Counter) -> np.ndarray:
        return np.array([counter[w] for w in words], dtype=float)

    left, center, right = (column(by_leaning[name]) for name in ("left", "center", "right"))
    n_tokens = sum(pooled.values())
    zipf = np.log10(column(pooled) / n_tokens * 1e9)
    partisan = np.clip(log_odds_dirichlet(left + right, center, prior_scale=0.01).z, -CLIP, CLIP)
    slant = np.clip(np.abs(log_odds_dirichlet(left, right, prior_scale=0.01).z), 0, CLIP)
    cooc = _cooccurrence(([index.get(w, -1) for w in doc] for doc in tokenized), len(words), window)
    vectors = context_vectors(cooc, min(dimensions, len(words) - 1))
    return WordStats(
        vocabulary=index,
        zipf=zipf.astype(np.float32),
        partisan=np.nan_to_num(partisan).astype(np.float32),
        slant=np.nan_to_num(slant).astype(np.float32),
        vectors=vectors.astype(np.float16),
        source={
            **(source or {}),
            "n_documents": len(tokenized),
            "n_tokens": int(n_tokens),
            "vocabulary": len(words),
            "window": window,
            "dimensions": int(vectors.shape[1]),
        },
    )


def allsides_word_stats(path: str, **options: int) -> WordStats:
    """:func:`build_word_stats` over the AllSides articles in ``path`` (the folder: the media-split
    training shards, read by :func:`analyzer.classify.data.datasets.read_allsides`)."""
    data = read_dataset("allsides", path)
    frame = data.frame
    source = {"dataset": data.name, "files": data.sources, "sha256": data.sha256}
    return build_word_stats(frame["text"].tolist(), frame["label"].tolist(), source=source, **options)


def cache_folder() -> Path:
    """Where derived training data is cached between runs: ``$ANALYZER_CACHE``, else
    ``$XDG_CACHE_HOME/analyzer`` (``~/.cache/analyzer``). Delete it freely: it is rebuilt."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "analyzer"


def _fingerprint(path: str) -> list[tuple[str, int, int]]:
    """Name, size and modification time of the files the statistics are built from: a changed
    file gives another cache entry."""
    files = sorted(Path(path).glob("articles_media_train_part*.jsonl.gz"))
    return [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]


def _cached_stats(path: str, fingerprint: list[tuple[str, int, int]]) -> WordStats:
    return allsides_word_stats(path)


@lru_cache(maxsize=2)
def load_word_stats(path: str) -> WordStats:
    """:func:`allsides_word_stats` of ``path``, built once and kept in a ``joblib.Memory`` cache
    (:func:`cache_folder`): cross-validation fits the sentence-bias model's word prior dozens of
    times and ``make models`` trains two models that use the same statistics, which take minutes to
    build. The cache holds derived training data only, never a model: exported models keep their
    own word tables."""
    memory = joblib.Memory(cache_folder() / "news_statistics", verbose=0)
    return memory.cache(_cached_stats)(str(Path(path).resolve()), _fingerprint(path))


def news_path(data: LabeledData | str | Path, news: str | Path | None) -> Path:
    """The AllSides folder for the news statistics: ``news``, else ``allsides_baly2020`` beside the
    training data's folder (BABE's); a coded error says which option to pass when it is missing."""
    if news is not None:
        path = Path(news)
    else:
        babe = Path(data.sources[0]).parent if isinstance(data, LabeledData) else Path(data)
        path = (babe if babe.is_dir() else babe.parent).parent / NEWS_FOLDER
    if not path.is_dir():
        raise InputNotFoundError(path, "AllSides folder for the news statistics (--news PATH)")
    return path
