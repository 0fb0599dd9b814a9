"""The comparison tables, one function each, from :class:`~analyzer.comparison.data.CorpusTables`.

Every table is tidy (one row per group × period × measure item) and every interval comes from
resampling whole articles within the group and period (:func:`~analyzer.stats.bootstrap_by_cell`).
Column meanings are listed in ``docs/statistics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..config import MAX_TERMS, MIN_TERM_HITS
from ..nlp.textnorm import name_key
from ..stats import adjust, bootstrap_by_cell, cell_sums, log_odds_dirichlet
from .data import CorpusTables
from .descriptors import descriptors

VOICES = ("all", "author")
STANCE_LABELS = ("against", "neutral", "favor")
LEANING_LABELS = ("left", "center", "right")
BIASED = 0.5


@dataclass(frozen=True)
class Cells:
    """Every kept document's cell (group × period, in sorted order) as a code, with the cells'
    keys; all cells are bootstrapped in one call (:func:`~analyzer.stats.bootstrap_by_cell`)."""

    codes: np.ndarray
    keys: pd.DataFrame

    @classmethod
    def of(cls, frame: pd.DataFrame, columns: list[str]) -> Cells:
        grouped = frame.groupby(columns, sort=True, dropna=False)
        keys = grouped.size().reset_index()[columns]
        return cls(grouped.ngroup().to_numpy(dtype=np.int64), keys)

    def __len__(self) -> int:
        return len(self.keys)

    def sums(self, values: np.ndarray | sparse.spmatrix, where: np.ndarray | None = None) -> np.ndarray:
        """Per cell, the sum of ``values`` (articles × columns; with ``where``, the rows of the
        articles it marks) over its articles."""
        return cell_sums(values, self.codes if where is None else self.codes[where], len(self))

    def bootstrap(
        self,
        numerators: np.ndarray | sparse.spmatrix,
        denominators: np.ndarray,
        n_boot: int,
        seed: int,
        where: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Estimate, low and high (cells × columns) of the ratio, resampling articles within
        cells; with ``where``, the rows are those of the articles it marks."""
        codes = self.codes if where is None else self.codes[where]
        return bootstrap_by_cell(numerators, denominators, codes, len(self), n_boot, seed)


def _counts(doc_ids: pd.Series, rows: pd.DataFrame, column: str, items: list[str]) -> sparse.csr_matrix:
    """Documents × items matrix: how many ``rows`` of each document have ``column`` == item."""
    position = pd.Series(np.arange(len(doc_ids)), index=pd.Index(doc_ids.astype(object)))
    index = pd.Series(np.arange(len(items)), index=pd.Index(items, dtype=object))
    r = position.reindex(rows["doc_id"].astype(object)).to_numpy()
    c = index.reindex(rows[column].astype(object)).to_numpy()
    keep = ~(np.isnan(r) | np.isnan(c))
    data = np.ones(int(keep.sum()))
    return sparse.csr_matrix(
        (data, (r[keep].astype(int), c[keep].astype(int))), shape=(len(doc_ids), len(items))
    )


def term_vocabulary(ct: CorpusTables, min_hits: int = MIN_TERM_HITS, max_terms: int = MAX_TERMS) -> list[str]:
    """The terms (lemmas) reported one by one: those with at least ``min_hits`` hits in the
    compared documents (all voices), the ``max_terms`` most frequent of them (ties by name).
    Scare quotes make every quoted phrase a term, so a large corpus has tens of thousands of them,
    almost all used once; categories and totals always count every hit."""
    counts = ct.table("framing")["lemma"].dropna().value_counts()
    counts = counts[counts >= min_hits]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return sorted(term for term, _ in ranked[:max_terms])


def framing_rates(
    ct: CorpusTables,
    n_boot: int = 1000,
    seed: int = 0,
    detail: bool = True,
    terms: list[str] | None = None,
) -> pd.DataFrame:
    """Framing hits per 1,000 tokens and share of articles with at least one hit, per group and
    period, for all hits and (with ``detail``) each category and each term of ``terms`` (default:
    :func:`term_vocabulary`), all voices and author voice only."""
    framing = ct.table("framing")
    levels = [("all", "all")]
    if detail:
        levels += [("category", c) for c in sorted(framing["category"].dropna().unique())]
        levels += [("term", t) for t in (term_vocabulary(ct) if terms is None else terms)]
    keys = [f"{level}:{item}" for level, item in levels]
    docs = ct.documents
    cells = Cells.of(docs, ["group", "period"])
    tokens = docs["n_tokens"].to_numpy(dtype=float)
    per_voice = []
    for voice in VOICES:
        chosen = framing if voice == "all" else framing[framing["voice"] == "author"]
        keyed = [chosen.assign(item="all:all")]
        if detail:
            keyed += [
                chosen.assign(item="category:" + chosen["category"]),
                chosen.assign(item="term:" + chosen["lemma"]),
            ]
        matrix = _counts(docs["doc_id"], pd.concat(keyed), "item", keys)
        present = (matrix > 0).astype(float)
        rate = cells.bootstrap(matrix, tokens, n_boot, seed)
        share = cells.bootstrap(present, np.ones(len(docs)), n_boot, seed)
        per_voice.append(
            {
                "hits": cells.sums(matrix).astype(int), "articles_with": cells.sums(present).astype(int),
                "per_1k": 1000 * rate[0], "per_1k_low": 1000 * rate[1], "per_1k_high": 1000 * rate[2],
                "share_articles": share[0], "share_low": share[1], "share_high": share[2],
            }
        )  # fmt: skip
    n_cells, width = len(cells), len(levels)

    def spread(values: np.ndarray) -> np.ndarray:
        """cells → rows in cell, voice, level order."""
        return np.repeat(np.asarray(values), len(VOICES) * width)

    columns = {
        "group": spread(cells.keys["group"].astype(str)), "period": spread(cells.keys["period"].astype(str)),
        "voice": np.tile(np.repeat(VOICES, width), n_cells),
        "level": np.tile([level for level, _ in levels], n_cells * len(VOICES)),
        "item": np.tile([item for _, item in levels], n_cells * len(VOICES)),
        **{
            name: np.stack([v[name] for v in per_voice], axis=1).ravel() for name in per_voice[0]
        },
        "articles": spread(np.bincount(cells.codes, minlength=n_cells)),
        "tokens": spread(cells.sums(tokens).astype(int)),
    }  # fmt: skip
    order = ["group", "period", "voice", "level", "item", "hits", "articles_with", "articles", "tokens"]
    return pd.DataFrame(columns)[order + list(per_voice[0])[2:]]


def _term_counts(framing: pd.DataFrame, groups: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    counts = pd.crosstab(framing["lemma"], framing["group"]).reindex(columns=groups, fill_value=0)
    articles = (
        framing.drop_duplicates(["doc_id", "lemma"])
        .pipe(lambda f: pd.crosstab(f["lemma"], f["group"]))
        .reindex(index=counts.index, columns=groups, fill_value=0)
    )
    return counts, articles


def distinctive_terms(
    ct: CorpusTables,
    voice: str = "all",
    pairwise_max_groups: int = 8,
    prior_scale: float = 1.0,
    terms: list[str] | None = None,
) -> pd.DataFrame:
    """Framing terms distinctive of each group: log-odds with informative Dirichlet prior (the
    pooled counts of all groups), one group vs the rest and, for up to ``pairwise_max_groups``
    groups, every pair; z-scores, p-values, and Benjamini–Hochberg q-values within each comparison.
    The terms tested are ``terms`` (default: :func:`term_vocabulary`)."""
    framing = ct.table("framing")
    framing = framing[framing["lemma"].isin(term_vocabulary(ct) if terms is None else terms)]
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
    keyed["entity"] = keyed["key"].map(most_frequent(keyed, "key", "name"))
    return keyed


def most_frequent(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Per ``key``, its most frequent ``value`` (ties: the first in alphabetical order); one
    vectorised count, since a corpus has tens of thousands of keys."""
    counts = frame.groupby([key, value], sort=False).size().reset_index(name="n")
    counts = counts.sort_values(["n", value], ascending=[False, True], kind="stable")
    return counts.drop_duplicates(key).set_index(key)[value]


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
    mention_docs = mentions["doc_id"].astype(object)
    named = pd.concat(
        [descriptors(mentions[mention_docs.isin(pd.Index(list(texts)))], texts) for texts in ct.iter_texts()]
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
    table["name"] = table["key"].map(most_frequent(table, "key", "target"))
    return table


def stance(
    ct: CorpusTables, n_boot: int = 1000, seed: int = 0, min_articles: int = 1, top: int = 50
) -> pd.DataFrame:
    """Stance toward each user target and the ``top`` most-covered entities per group and period:
    articles, the mean over articles of the stance score with its interval, and the shares of
    articles whose label is against / neutral (none) / favor. The score of an entity is the author-
    stance score (mention units, see ``docs/outputs.md``), of a user target P(favor) − P(against)."""
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
    per_article = per_article[
        per_article.groupby(cell)["doc_id"].transform("size") >= max(min_articles, 1)
    ].reset_index(drop=True)
    if per_article.empty:
        return pd.DataFrame()
    cells = Cells.of(per_article, cell)
    scores = per_article["score"].to_numpy(dtype=float)
    mean, low, high = cells.bootstrap(scores, np.ones(len(scores)), n_boot, seed)
    table = cells.keys.rename(columns={"name": "target"}).drop(columns="key")
    table["articles"] = np.bincount(cells.codes, minlength=len(cells))
    table["score"], table["score_low"], table["score_high"] = mean[:, 0], low[:, 0], high[:, 0]
    for label in STANCE_LABELS:
        table[f"share_{label}"] = [
            float(shares[key].get(label, 0.0)) for key in cells.keys.itertuples(index=False, name=None)
        ]
    return table


def sentence_bias(ct: CorpusTables, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Per group and period: the share of sentences the bias model calls biased (P ≥ 0.5), with its
    interval from resampling articles, and the mean article bias score."""
    sentences = ct.table("sentences")
    if sentences["bias"].notna().sum() == 0:
        return pd.DataFrame()
    scored = sentences[sentences["bias"].notna()].assign(biased=lambda m: m["bias"] >= BIASED)
    per_doc = scored.groupby("doc_id")["biased"].agg(total="size", biased="sum")
    per_doc = per_doc.reindex(ct.documents["doc_id"])
    cells = Cells.of(ct.documents, ["group", "period"])
    has = per_doc["total"].notna().to_numpy()
    biased, total = (per_doc[c].to_numpy(dtype=float)[has] for c in ("biased", "total"))
    share = cells.bootstrap(biased, total, n_boot, seed, has)
    bias = ct.documents["bias"].to_numpy(dtype=float, na_value=np.nan)
    rated = ~np.isnan(bias)
    mean = cells.bootstrap(bias[rated], np.ones(rated.sum()), n_boot, seed, rated)
    table = cells.keys.assign(
        articles=np.bincount(cells.codes[has], minlength=len(cells)),
        sentences=cells.sums(total, has).astype(int),
    )
    for name, values in (("biased_share", share), ("mean_bias", mean)):
        table[name], table[f"{name}_low"], table[f"{name}_high"] = (v[:, 0] for v in values)
    return table


def leaning(ct: CorpusTables, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Per group and period: the share of articles the leaning model labels left / center / right,
    each with its interval from resampling articles."""
    if ct.documents["leaning"].isna().all():
        return pd.DataFrame()
    cells = Cells.of(ct.documents, ["group", "period"])
    labels = ct.documents["leaning"]
    has = labels.notna().to_numpy()
    onehot = np.stack([(labels[has] == label).to_numpy(dtype=float) for label in LEANING_LABELS], axis=1)
    share, low, high = cells.bootstrap(onehot, np.ones(has.sum()), n_boot, seed, has)
    counts = np.bincount(cells.codes[has], minlength=len(cells))
    rows = cells.keys.loc[cells.keys.index.repeat(len(LEANING_LABELS))].reset_index(drop=True)
    rows["leaning"] = np.tile(LEANING_LABELS, len(cells))
    rows["articles"] = np.repeat(counts, len(LEANING_LABELS))
    rows["count"] = cells.sums(onehot, has).astype(int).ravel()
    rows["share"], rows["share_low"], rows["share_high"] = share.ravel(), low.ravel(), high.ravel()
    return rows
