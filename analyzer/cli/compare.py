"""``analyzer compare RESULTS --by COL``: comparison tables of a batch output; a thin wrapper over
:func:`analyzer.compare`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ..comparison import Comparison, compare
from . import options

SHOWN_TERMS = 5


def _print(comparison: Comparison, console: Console) -> None:
    corpus = comparison.corpus
    console.print(
        f"[bold]{corpus['articles']} articles in {len(corpus['groups'])} groups by {corpus['by']}[/bold]"
        f" (excluded: {', '.join(f'{k} {v}' for k, v in corpus['excluded'].items()) or 'none'})"
    )
    rates = comparison["framing_rates"].query("level == 'all'")
    table = Table("group", "period", "voice", "articles", "per 1k tokens [95 % CI]")
    for row in rates.itertuples():
        interval = f"{row.per_1k:.1f} [{row.per_1k_low:.1f}, {row.per_1k_high:.1f}]"
        table.add_row(row.group, row.period, row.voice, str(row.articles), interval)
    console.print(table)
    terms = comparison["distinctive_terms"]
    if not terms.empty:
        top = terms[terms["versus"] == "(rest)"].groupby("group").head(SHOWN_TERMS)
        table = Table("group", "most distinctive framing terms vs the rest (z; * q < 0.05)")
        for group, rows in top.groupby("group"):
            cells = [f"{r.term} ({r.z:.1f}{'*' if r.significant else ''})" for r in rows.itertuples()]
            table.add_row(group, ", ".join(cells))
        console.print(table)
    tests = comparison["tests"]
    if not tests.empty:
        table = Table("measure", "test", "p", "p (Holm)", "effect")
        for row in tests.itertuples():
            table.add_row(
                row.measure,
                row.test,
                f"{row.p:.3g}",
                f"{row.p_holm:.3g}",
                f"{row.effect_name} {row.effect:.3f}",
            )
        console.print(table)


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
    with pd.option_context("display.width", 160):
        _print(comparison, Console())
