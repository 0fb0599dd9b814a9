"""``analyzer report RESULTS --out report.html``: the researcher report; a thin wrapper over
:func:`analyzer.report`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ParameterError
from . import options

TABLE_FORMATS = ("csv", "parquet", "none")


def report_command(
    results: Path = options.RESULTS,
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="The report file to write (default: report.html, or report.md with --format md).",
    ),
    format: str = typer.Option("html", "--format", help="html (self-contained) or md (Markdown summary)."),
    by: str = options.BY,
    time: str | None = typer.Option(None, "--time", help="Add framing over time by week or month."),
    exclude_duplicates: bool = options.EXCLUDE_DUPLICATES,
    tables: str = typer.Option(
        "csv", "--tables", help="Export every comparison table next to the report: csv, parquet or none."
    ),
    n_boot: int = options.BOOT,
    n_perm: int = options.PERM,
    seed: int = options.SEED,
    min_term_hits: int = options.MIN_TERM_HITS,
    max_terms: int = options.MAX_TERMS,
) -> None:
    """Write the report: framing, distinctive terms, entity labels, stance, bias, leaning, tests,
    evidence snippets, annotated articles and a methods paragraph."""
    if tables not in TABLE_FORMATS:
        raise ParameterError("--tables", ", ".join(TABLE_FORMATS), tables)
    from ..reporting import report  # imported here: keeps the command line's start-up light

    path = report(
        results, out or Path(f"report.{'md' if format == 'md' else 'html'}"), by=by, format=format, time=time, exclude_duplicates=exclude_duplicates,
        tables=None if tables == "none" else tables, n_boot=n_boot, n_perm=n_perm, seed=seed,
        min_term_hits=min_term_hits, max_terms=max_terms,
    )  # fmt: skip
    typer.echo(f"wrote {path}")
