"""The comparison tables, one function each, from :class:`~analyzer.comparison.data.CorpusTables`.

Every table is tidy (one row per group × period × measure item) and every interval comes from
resampling whole articles within the group (:func:`~analyzer.comparison.stats.bootstrap_ratio`).
Column meanings are listed in ``docs/statistics.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy import sparse

from ..nlp.textnorm import name_key
from .data import CorpusTables
from .descriptors import descriptors
from .stats import adjust, bootstrap_ratio, log_odds_dirichlet

VOICES = ("all", "author")
STANCE_LABELS = ("against", "neutral", "favor")
LEANING_LABELS = ("left", "center", "right")
BIASED = 0.5


def _cells(
    ct: CorpusTables, table: str | None = None
) -> Iterator[tuple[str, str, pd.DataFrame, pd.DataFrame]]:
    """(group, period, documents, rows of ``table``) for every group and period, in order; each
    table is split once, not filtered per cell (a corpus may have hundreds of outlets)."""
    rows = dict(tuple(ct.table(table).groupby(["group", "period"], sort=False))) if table else {}
    empty = ct.table(table).iloc[:0] if table else pd.DataFrame()
    for (group, period), docs in ct.documents.groupby(["group", "period"], sort=True):
        yield str(group), str(period), docs, rows.get((group, period), empty)


def _counts(doc_ids: pd.Series, rows: pd.DataFrame, column: str, items: list[str]) -> sparse.csr_matrix:
    """Documents × items matrix: how many ``rows`` of each document have ``column`` == item."""
    position = {d: i for i, d in enumerate(doc_ids)}
    index = {item: k for k, item in enumerate(items)}
    r = rows["doc_id"].map(position).to_numpy()
    c = rows[column].map(index).to_numpy()
    keep = ~(pd.isna(r) | pd.isna(c))
    data = np.ones(int(keep.sum()))
    return sparse.csr_matrix(
        (data, (r[keep].astype(int), c[keep].astype(int))), shape=(len(doc_ids), len(items))
    )


def _zero_or_bootstrap(
    matrix: sparse.csr_matrix, denominators: np.ndarray, n_boot: int, seed: int
) -> np.ndarray:
    """:func:`bootstrap_ratio` for the columns with a hit in the cell; a column without any is 0
    with the interval [0, 0] (no resample can give it a hit), so it is not resampled."""
    out = np.zeros((3, matrix.shape[1]))
    active = np.flatnonzero(np.asarray(matrix.sum(axis=0)).ravel() > 0)
    if denominators.sum() == 0:
        out[:] = np.nan
    elif len(active):
        out[:, active] = np.vstack(bootstrap_ratio(matrix[:, active], denominators, n_boot, seed))
    return out


def framing_rates(ct: CorpusTables, n_boot: int = 1000, seed: int = 0, detail: bool = True) -> pd.DataFrame:
    """Framing hits per 1,000 tokens and share of articles with at least one hit, per group and
    period, for all hits and (with ``detail``) each category and each term (lemma), all voices and
    author voice only."""
    framing = ct.table("framing")
    levels = [("all", "all")]
    if detail:
        levels += [("category", c) for c in sorted(framing["category"].dropna().unique())]
        levels += [("term", t) for t in sorted(framing["lemma"].dropna().unique())]
    keys = [f"{level}:{item}" for level, item in levels]
    frames = []
    for group, period, docs, hits in _cells(ct, "framing"):
        tokens = docs["n_tokens"].to_numpy(dtype=float)
        for voice in VOICES:
            chosen = hits if voice == "all" else hits[hits["voice"] == "author"]
            keyed = [chosen.assign(item="all:all")]
            if detail:
                keyed += [
                    chosen.assign(item="category:" + chosen["category"]),
                    chosen.assign(item="term:" + chosen["lemma"]),
                ]
            matrix = _counts(docs["doc_id"], pd.concat(keyed), "item", keys)
            present = (matrix > 0).astype(float)
            rate = _zero_or_bootstrap(matrix, tokens, n_boot, seed)
            share = _zero_or_bootstrap(present, np.ones(len(docs)), n_boot, seed)
            columns = {
                "group": group, "period": period, "voice": voice,
                "level": [level for level, _ in levels], "item": [item for _, item in levels],
                "hits": np.asarray(matrix.sum(axis=0)).ravel().astype(int),
                "articles_with": np.asarray(present.sum(axis=0)).ravel().astype(int),
                "articles": len(docs), "tokens": int(tokens.sum()),
                "per_1k": 1000 * rate[0], "per_1k_low": 1000 * rate[1], "per_1k_high": 1000 * rate[2],
                "share_articles": share[0], "share_low": share[1], "share_high": share[2],
            }  # fmt: skip
            frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _term_counts(framing: pd.DataFrame, groups: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    counts = pd.crosstab(framing["lemma"], framing["group"]).reindex(columns=groups, fill_value=0)
    articles = (
        framing.drop_duplicates(["doc_id", "lemma"])
        .pipe(lambda f: pd.crosstab(f["lemma"], f["group"]))
        .reindex(index=counts.index, columns=groups, fill_value=0)
    )
    return counts, articles


def distinctive_terms(
    ct: CorpusTables, voice: str = "all", pairwise_max_groups: int = 8, prior_scale: float = 1.0
) -> pd.DataFrame:
    """Framing terms distinctive of each group: log-odds with informative Dirichlet prior (the
    pooled counts of all groups), one group vs the rest and, for up to ``pairwise_max_groups``
    groups, every pair; z-scores, p-values, and Benjamini–Hochberg q-values within each comparison."""
    framing = ct.table("framing")
    if voice == "author":
        framing = framing[framing["voice"] == "author"]
    groups = ct.groups
    if framing.empty or len(groups) < 2:
        return pd.DataFrame()
    counts, articles = _term_counts(framing, groups)
    pooled = counts.sum(axis=1).to_numpy(dtype=float)
    comparisons = [(g, "(rest)") for g in groups]
    if len(groups) <= pairwise_max_groups:
        comparisons += [(a, b) for a in groups for b in groups if a != b]
    frames = []
    for group, versus in comparisons:
        mine = counts[group].to_numpy(dtype=float)
        if versus == "(rest)":
            theirs, their_articles = pooled - mine, articles.drop(columns=group).sum(axis=1)
        else:
            theirs, their_articles = counts[versus].to_numpy(dtype=float), articles[versus]
        result = log_odds_dirichlet(mine, theirs, prior=pooled * prior_scale)
        columns = {
            "group": group, "versus": versus, "voice": voice, "term": counts.index,
            "count": mine.astype(int), "count_versus": theirs.astype(int),
            "articles": articles[group].to_numpy(), "articles_versus": their_articles.to_numpy(),
            "delta": result.delta, "z": result.z, "p": result.p, "q": adjust(result.p, "fdr_bh"),
        }  # fmt: skip
        frames.append(pd.DataFrame(columns))
    table = pd.concat(frames, ignore_index=True)
    table["significant"] = table["q"] < 0.05
    return table.sort_values(["group", "versus", "z"], ascending=[True, True, False], ignore_index=True)


def _entity_keys(entities: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, entity_id, key, name``: one matching key per entity across documents (the same
    key as the merger within a document) and the most frequent spelling of its name."""
    keyed = entities[["doc_id", "entity_id", "name"]].copy()
    keyed["key"] = keyed["name"].map(name_key)
    names = keyed.groupby("key")["name"].agg(lambda s: s.value_counts().index[0])
    keyed["entity"] = keyed["key"].map(names)
    return keyed


def entity_labels(ct: CorpusTables) -> pd.DataFrame:
    """For each entity (merged across documents by its name key), per group and period, the labels
    attached to it: framing terms aimed at it (``source`` ``framing``, the hit's lemma and category)
    and the titles and appositives it is named with (``title``, ``appositive``; see
    :mod:`analyzer.comparison.descriptors`), with counts, the articles they occur in, and their
    share of all the labels the group attaches to that entity."""
    keys = _entity_keys(ct.table("entities"))
    framing = ct.table("framing")
    aimed = framing[framing["target"].notna()].rename(columns={"lemma": "label"})
    aimed = aimed.assign(source="framing")[
        ["doc_id", "group", "period", "target", "label", "category", "source"]
    ]
    mentions = ct.table("mentions")
    named = pd.concat(
        [descriptors(mentions[mentions["doc_id"].isin(set(texts))], texts) for texts in ct.iter_texts()]
        or [descriptors(mentions.iloc[:0], {})],
        ignore_index=True,
    )
    named = named.merge(ct.documents[["doc_id", "group", "period"]], on="doc_id").rename(
        columns={"entity_id": "target", "descriptor": "label"}
    )
    labels = pd.concat([aimed, named.assign(category=None)], ignore_index=True)
    if labels.empty:
        return pd.DataFrame()
    labels = labels.merge(keys, left_on=["doc_id", "target"], right_on=["doc_id", "entity_id"])
    table = (
        labels.groupby(["entity", "group", "period", "source", "label"], dropna=False)
        .agg(category=("category", "first"), count=("doc_id", "size"), articles=("doc_id", "nunique"))
        .reset_index()
    )
    table["share"] = table["count"] / table.groupby(["entity", "group", "period"])["count"].transform("sum")
    return table.sort_values(["entity", "group", "count"], ascending=[True, True, False], ignore_index=True)


def stance_rows(ct: CorpusTables, top: int = 50) -> pd.DataFrame:
    """Scored rows of the ``stance`` table with a matching ``key`` (entities merged across
    documents by name key; user targets by their text) and the display name, for every user target
    and the ``top`` entities scored in the most articles."""
    table = ct.table("stance")
    table = table[table["score"].notna()].copy()
    if table.empty:
        return table
    table["label"] = table["label"].replace({"none": "neutral"})
    table["key"] = np.where(table["kind"] == "entity", table["target"].map(name_key), table["target"])
    entity = table["kind"] == "entity"
    covered = table[entity].groupby("key")["doc_id"].nunique().nlargest(top).index
    table = table[~entity | table["key"].isin(covered)]
    table["name"] = table["key"].map(table.groupby("key")["target"].agg(lambda s: s.value_counts().index[0]))
    return table


def stance(
    ct: CorpusTables, n_boot: int = 1000, seed: int = 0, min_articles: int = 1, top: int = 50
) -> pd.DataFrame:
    """Stance toward each user target and the ``top`` most-covered entities per group and period:
    articles, the mean over articles of score = P(favor) − P(against) with its interval, and the
    shares of articles whose label is against / neutral (none) / favor."""
    table = stance_rows(ct, top)
    if table.empty:
        return pd.DataFrame()
    cell = ["kind", "key", "name", "group", "period"]
    per_article = (
        table.groupby([*cell, "doc_id"], sort=True)
        .agg(score=("score", "mean"), label=("label", "first"))
        .reset_index()
    )
    shares = pd.crosstab([per_article[c] for c in cell], per_article["label"], normalize="index").to_dict(
        "index"
    )
    rows = []
    for key, scores in per_article.groupby(cell, sort=True)["score"]:
        if len(scores) < min_articles:
            continue
        mean, low, high = bootstrap_ratio(scores.to_numpy(), np.ones(len(scores)), n_boot, seed)
        kind, _, name, group, period = key
        rows.append(
            {
                "kind": kind, "target": name, "group": group, "period": period,
                "articles": len(scores), "score": mean[0], "score_low": low[0], "score_high": high[0],
                **{f"share_{label}": float(shares[key].get(label, 0.0)) for label in STANCE_LABELS},
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def sentence_bias(ct: CorpusTables, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Per group and period: the share of sentences the bias model calls biased (P ≥ 0.5), with its
    interval from resampling articles, and the mean article bias score."""
    if ct.table("sentences")["bias"].notna().sum() == 0:
        return pd.DataFrame()
    rows = []
    for group, period, docs, mine in _cells(ct, "sentences"):
        scored = mine[mine["bias"].notna()].assign(biased=lambda m: m["bias"] >= BIASED)
        per_doc = scored.groupby("doc_id")["biased"].agg(total="size", biased="sum")
        per_doc = per_doc.reindex(docs["doc_id"]).dropna()
        share, low, high = bootstrap_ratio(
            per_doc["biased"].to_numpy(), per_doc["total"].to_numpy(), n_boot, seed
        )
        bias = docs["bias"].dropna().to_numpy(dtype=float)
        mean, mean_low, mean_high = bootstrap_ratio(bias, np.ones(len(bias)), n_boot, seed)
        rows.append(
            {
                "group": group, "period": period, "articles": len(per_doc), "sentences": int(per_doc["total"].sum()),
                "biased_share": share[0], "biased_share_low": low[0], "biased_share_high": high[0],
                "mean_bias": mean[0], "mean_bias_low": mean_low[0], "mean_bias_high": mean_high[0],
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def leaning(ct: CorpusTables, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Per group and period: the share of articles the leaning model labels left / center / right,
    each with its interval from resampling articles."""
    if ct.documents["leaning"].isna().all():
        return pd.DataFrame()
    rows = []
    for group, period, docs, _ in _cells(ct):
        labels = docs["leaning"].dropna()
        onehot = np.stack([(labels == label).to_numpy(dtype=float) for label in LEANING_LABELS], axis=1)
        share, low, high = bootstrap_ratio(onehot, np.ones(len(labels)), n_boot, seed)
        for k, label in enumerate(LEANING_LABELS):
            rows.append(
                {
                    "group": group, "period": period, "leaning": label, "articles": len(labels),
                    "count": int(onehot[:, k].sum()), "share": share[k], "share_low": low[k], "share_high": high[k],
                }
            )  # fmt: skip
    return pd.DataFrame(rows)
