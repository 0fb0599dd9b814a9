"""Leaning checked on BASIL: the order of articles about the same event, and outlet means.

Each BASIL event is reported by HuffPost, The New York Times and Fox News, and the experts rank the
three articles by ``relative_stance`` (left/liberal < center < right/conservative). Outlet-level
leaning labels say nothing about one article; this check asks whether the article-level leaning
score ``P(right) − P(left)`` orders the articles of an event as the experts did:

- **pair order**: over the pairs of articles of one event whose ``relative_stance`` differ, the
  share the score orders the same way (a tie counts half), with a 95 % bootstrap interval that
  resamples events;
- **outlet means**: the mean score of each outlet (hpo, nyt, fox), whether they come in the order
  HuffPost < NYT < Fox, and how often that order holds over event resamples.

The score is the shipped leaning model's (or the folder given), on the text the analysis gives it:
the title, ". " and the first 6,000 characters of the body (:func:`~analyzer.classify.text.article_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..classify.model import load_model
from ..classify.text import article_text
from ..corpus.basil import BasilArticle, read_basil

RANK = {"left": -1, "liberal": -1, "center": 0, "right": 1, "conservative": 1}
"""``relative_stance`` as a rank."""
OUTLETS = ("hpo", "nyt", "fox")


def leaning_scores(articles: Sequence[BasilArticle], model: str | Path | None = None) -> np.ndarray:
    """``P(right) − P(left)`` of the leaning model (``model``: a folder, default the shipped one)
    for each article."""
    leaning = load_model("leaning", str(model) if model is not None else None)
    probs = leaning.predict_proba({"text": [article_text(a.title, a.text) for a in articles]})
    labels = list(leaning.labels)
    return probs[:, labels.index("right")] - probs[:, labels.index("left")]


def _interval(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in np.nanpercentile(values, [2.5, 97.5])]


def pair_order(
    articles: Sequence[BasilArticle], scores: Sequence[float], resamples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """Pair order within events and outlet means of ``scores`` (module docstring). Articles with
    no known ``relative_stance`` take part in the outlet means only."""
    score = np.asarray(scores, dtype=float)
    events = np.array([a.triplet for a in articles])
    rank = np.array([RANK.get(a.relative_stance or "", np.nan) for a in articles], dtype=float)
    names = np.unique(events)
    per_event = np.zeros((len(names), 2))  # agreeing pairs (ties half), pairs
    for e, name in enumerate(names):
        rows = np.flatnonzero(events == name)
        for k, a in enumerate(rows):
            for b in rows[k + 1 :]:
                if np.isnan(rank[a]) or np.isnan(rank[b]) or rank[a] == rank[b]:
                    continue
                agree = np.sign(score[a] - score[b]) * np.sign(rank[a] - rank[b])
                per_event[e] += (0.5 * (agree + 1), 1)
    draws = np.random.default_rng(seed).integers(0, len(names), (resamples, len(names)))
    counts = np.stack([np.bincount(row, minlength=len(names)) for row in draws]) if len(names) else draws
    sums = counts @ per_event
    outlets = np.array([a.source for a in articles])
    means = {
        o: round(float(score[outlets == o].mean()), 4) if (outlets == o).any() else None for o in OUTLETS
    }
    event_means = np.array(
        [[score[(events == n) & (outlets == o)].mean() if ((events == n) & (outlets == o)).any() else np.nan
          for o in OUTLETS] for n in names]
    )  # fmt: skip
    complete = ~np.isnan(event_means).any(axis=1)
    boot = (counts[:, complete] @ event_means[complete]) / np.maximum(counts[:, complete].sum(axis=1), 1)[
        :, None
    ]
    pairs = int(per_event[:, 1].sum())
    ordered = None not in means.values() and means["hpo"] < means["nyt"] < means["fox"]  # type: ignore[operator]
    return {
        "task": "leaning_pairs",
        "articles": len(articles),
        "events": len(names),
        "pairs": pairs,
        "events_with_pairs": int((per_event[:, 1] > 0).sum()),
        "pair_agreement": round(float(per_event[:, 0].sum() / pairs), 4) if pairs else None,
        "pair_agreement_ci95_events": _interval(sums[:, 0] / np.where(sums[:, 1] > 0, sums[:, 1], np.nan))
        if pairs
        else None,
        "outlet_mean_score": means,
        "hpo_lt_nyt_lt_fox": bool(ordered),
        "order_share_of_event_resamples": round(
            float(np.mean((boot[:, 0] < boot[:, 1]) & (boot[:, 1] < boot[:, 2]))), 3
        )
        if complete.any()
        else None,
        "score": "P(right) - P(left) of the leaning model on title + '. ' + the first 6,000 characters",
    }


def evaluate_leaning_pairs(
    path: str | Path, model: str | Path | None = None, resamples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """``analyzer evaluate --task leaning_pairs --dataset basil``: the leaning model's scores on a
    BASIL-format file, checked by :func:`pair_order`."""
    articles = list(read_basil(path))
    return pair_order(articles, leaning_scores(articles, model), resamples, seed)
