"""``analyzer.compare``: every comparison table for one grouping, in one object.

>>> cmp = analyzer.compare("results/", by="outlet", time="month")      # doctest: +SKIP
>>> cmp.tables["framing_rates"].query("level == 'category'")           # doctest: +SKIP
>>> cmp.save("comparison/", format="csv")                              # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import OutputError, ParameterError, check_integers
from . import measures
from .data import CorpusTables, load_tables
from .differences import difference_tests

FORMATS = ("csv", "parquet")


@dataclass
class Comparison:
    """The comparison tables (``tables[name]``, tidy DataFrames, see ``docs/statistics.md``), the
    corpus they describe (``corpus``: groups, articles per group, exclusions), the parameters used,
    and the tables they came from (``data``, for reports that quote the evidence)."""

    tables: dict[str, pd.DataFrame]
    corpus: dict[str, Any]
    parameters: dict[str, Any]
    data: CorpusTables = field(repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def save(self, folder: str | Path, format: str = "csv") -> list[Path]:
        """Write every table as ``<name>.csv`` or ``<name>.parquet`` plus ``comparison.json``
        (corpus and parameters) into ``folder``; returns the files written."""
        if format not in FORMATS:
            raise ParameterError("format", " or ".join(FORMATS), format)
        out = Path(folder)
        try:
            out.mkdir(parents=True, exist_ok=True)
            written = []
            for name, table in self.tables.items():
                path = out / f"{name}.{format}"
                if format == "csv":
                    table.to_csv(path, index=False)
                else:
                    table.to_parquet(path, index=False)
                written.append(path)
            about = out / "comparison.json"
            about.write_text(
                json.dumps({"corpus": self.corpus, "parameters": self.parameters}, indent=2, default=str)
                + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise OutputError(f"{out}: cannot write the comparison tables ({exc.strerror})") from exc
        return [*written, about]


def compare(
    results: Any,
    by: str = "outlet",
    time: str | None = None,
    exclude_duplicates: bool = False,
    n_boot: int = 1000,
    n_perm: int = 999,
    seed: int = 0,
    min_articles: int = 5,
    top_targets: int = 50,
    min_term_hits: int = measures.MIN_TERM_HITS,
    max_terms: int = measures.MAX_TERMS,
) -> Comparison:
    """Compare groups of documents (``by``: ``outlet``, ``leaning`` or any column or metadata
    field) in ``results`` (a batch output folder, a ``BatchResult`` or analysed records).

    ``time`` (``week``/``month``) splits every table by period; ``exclude_duplicates`` keeps one
    document per near-duplicate group; ``n_boot`` bootstrap resamples of articles give the 95 %
    intervals and ``n_perm`` permutations the tests' p-values (both seeded by ``seed``);
    ``min_articles`` is the least number of articles per group for a stance test; stance is
    reported for every user target and the ``top_targets`` entities scored in the most articles;
    terms are reported one by one (rates, distinctive terms) when they have ``min_term_hits`` hits,
    the ``max_terms`` most frequent of them."""
    check_integers(
        ("n_boot", n_boot, 0),
        ("n_perm", n_perm, 1),
        ("min_articles", min_articles, 1),
        ("min_term_hits", min_term_hits, 1),
        ("max_terms", max_terms, 1),
    )
    ct = load_tables(results, by=by, time=time, exclude_duplicates=exclude_duplicates)
    terms = measures.term_vocabulary(ct, min_term_hits, max_terms)
    tables = {
        "framing_rates": measures.framing_rates(ct, n_boot, seed, terms=terms),
        "distinctive_terms": measures.distinctive_terms(ct, terms=terms),
        "distinctive_terms_author": measures.distinctive_terms(ct, voice="author", terms=terms),
        "entity_labels": measures.entity_labels(ct),
        "stance": measures.stance(ct, n_boot, seed, top=top_targets),
        "sentence_bias": measures.sentence_bias(ct, n_boot, seed),
        "leaning": measures.leaning(ct, n_boot, seed),
        "tests": difference_tests(ct, n_perm, seed, min_articles, top_targets),
    }
    documents = ct.documents
    corpus = {
        "by": by,
        "time": time,
        "groups": ct.groups,
        "articles": len(documents),
        "articles_per_group": documents["group"].value_counts().sort_index().to_dict(),
        "tokens": int(documents["n_tokens"].sum()),
        "dates": [documents["date"].min(), documents["date"].max()]
        if documents["date"].notna().any()
        else None,
        "excluded": ct.excluded,
        "failures": len(ct.manifest.get("failures", [])),
    }
    parameters = {
        "exclude_duplicates": exclude_duplicates, "n_boot": n_boot, "n_perm": n_perm, "seed": seed,
        "min_articles": min_articles, "top_targets": top_targets, "min_term_hits": min_term_hits,
        "max_terms": max_terms, "terms_reported": len(terms), "interval": "95 % percentile bootstrap over articles",
        "multiple_comparisons": "Benjamini-Hochberg within each distinctive-terms comparison; Holm over tests",
    }  # fmt: skip
    return Comparison(tables, corpus, parameters, ct)
