"""``analyzer compare RESULTS --by COL``: comparison tables of a batch output; a thin wrapper over
:func:`analyzer.compare`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import options


def compare_command(
    results: Path = options.RESULTS,
    by: str = options.BY,
    time: str | None = typer.Option(None, "--time", help="Also split by period: week or month."),
    exclude_duplicates: bool = options.EXCLUDE_DUPLICATES,
    out: Path | None = typer.Option(None, "--out", "-o", help="Write every table into this folder."),
    format: str = typer.Option(
        "csv", "--format", help="Table format with --out: csv or parquet; json prints."
    ),
    n_boot: int = options.BOOT,
    n_perm: int = options.PERM,
    seed: int = options.SEED,
    min_articles: int = typer.Option(5, "--min-articles", help="Least articles per group for a stance test."),
    min_term_hits: int = options.MIN_TERM_HITS,
    max_terms: int = options.MAX_TERMS,
) -> None:
    """Compare groups: framing rates with bootstrap intervals, distinctive terms (log-odds with an
    informative Dirichlet prior), entity labels, stance, sentence bias, leaning, tests of difference."""
    from ..comparison import compare  # imported here: keeps the command line's start-up light
    from .render import print_comparison

    comparison = compare(
        results, by=by, time=time, exclude_duplicates=exclude_duplicates,
        n_boot=n_boot, n_perm=n_perm, seed=seed, min_articles=min_articles,
        min_term_hits=min_term_hits, max_terms=max_terms,
    )  # fmt: skip
    if format == "json":
        payload = {
            "corpus": comparison.corpus,
            "parameters": comparison.parameters,
            "tables": {k: json.loads(v.to_json(orient="records")) for k, v in comparison.tables.items()},
        }
        typer.echo(json.dumps(payload, default=str))
        return
    if out is not None:
        for path in comparison.save(out, format=format):
            typer.echo(f"wrote {path}")
    print_comparison(comparison)
