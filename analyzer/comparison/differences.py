"""Tests of difference across groups for each headline measure, with effect sizes and a Holm
correction over all of them (the family is every test in the table).

- framing per 1,000 tokens (all voices; author voice only) and mean article sentence bias:
  permutation test on the article-level values (:func:`~analyzer.stats.permutation_test`,
  effect size η²);
- share of articles with at least one framing hit, and the leaning labels: chi-square test of
  independence on the groups × outcome table of articles (effect size Cramér's V);
- stance toward each user target and each of the ``top`` entities scored in the most articles,
  where at least two groups have ``min_articles`` articles scoring it: permutation test on the
  article-level stance score, over those groups.

Periods are pooled: the tests ask whether groups differ over the whole corpus.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from ..stats import TestResult, adjust, chi_square, permutation_test
from .data import CorpusTables
from .measures import stance_rows


def _row(measure: str, result: TestResult, groups: int) -> dict:
    return {"measure": measure, **asdict(result), "groups": groups}


def _stance_tests(ct: CorpusTables, n_perm: int, seed: int, min_articles: int, top: int) -> list[dict]:
    table = stance_rows(ct, top)
    if table.empty:
        return []
    rows = []
    for (kind, _, name), subset in table.groupby(["kind", "key", "name"], sort=True):
        per_article = subset.groupby(["doc_id", "group"])["score"].mean().reset_index()
        sizes = per_article["group"].value_counts()
        if (sizes >= min_articles).sum() < 2:
            continue
        kept = per_article[per_article["group"].isin(sizes[sizes >= min_articles].index)]
        result = permutation_test(kept["score"].to_numpy(), kept["group"].to_numpy(), n_perm, seed)
        rows.append(_row(f"stance toward {name} ({kind})", result, int(kept["group"].nunique())))
    return rows


def difference_tests(
    ct: CorpusTables, n_perm: int = 999, seed: int = 0, min_articles: int = 5, top: int = 50
) -> pd.DataFrame:
    """One row per headline measure: test, statistic, df, p, effect size, n, groups, and ``p_holm``."""
    docs = ct.documents[ct.documents["n_tokens"] > 0]
    groups = docs["group"].to_numpy()
    n_groups = int(docs["group"].nunique())
    if n_groups < 2:
        return pd.DataFrame()
    framing = ct.table("framing")
    author = framing[framing["voice"] == "author"].groupby("doc_id").size()
    tokens = docs["n_tokens"].to_numpy(dtype=float)
    rows = [
        _row(
            "framing per 1k tokens (all voices)",
            permutation_test(1000 * docs["n_framing"].to_numpy() / tokens, groups, n_perm, seed),
            n_groups,
        ),
        _row(
            "framing per 1k tokens (author voice)",
            permutation_test(
                1000 * author.reindex(docs["doc_id"], fill_value=0).to_numpy() / tokens, groups, n_perm, seed
            ),
            n_groups,
        ),
        _row(
            "articles with a framing hit",
            chi_square(pd.crosstab(docs["group"], docs["n_framing"] > 0).to_numpy()),
            n_groups,
        ),
    ]
    if docs["bias"].notna().any():
        rows.append(
            _row(
                "mean sentence bias",
                permutation_test(docs["bias"].to_numpy(), groups, n_perm, seed),
                n_groups,
            )
        )
    if docs["leaning"].notna().any():
        rows.append(
            _row("leaning", chi_square(pd.crosstab(docs["group"], docs["leaning"]).to_numpy()), n_groups)
        )
    rows += _stance_tests(ct, n_perm, seed, min_articles, top)
    table = pd.DataFrame(rows)
    table["p_holm"] = adjust(table["p"].to_numpy(), "holm")
    return table
