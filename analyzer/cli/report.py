"""``analyzer report RESULTS --out report.html``: the researcher report; a thin wrapper over
:func:`analyzer.report`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ParameterError
from ..reporting import report

TABLE_FORMATS = ("csv", "parquet", "none")


def report_command(
    results: Path = typer.Argument(..., help="A batch output folder (analyzer batch --out)."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="The report file to write."),
    format: str = typer.Option("html", "--format", help="html (self-contained) or md (Markdown summary)."),
    by: str = typer.Option(
        "outlet", "--by", help="Group by this column: outlet, leaning or any metadata field."
    ),
    time: str | None = typer.Option(None, "--time", help="Add framing over time by week or month."),
    exclude_duplicates: bool = typer.Option(
        False, "--exclude-duplicates", help="Count each near-duplicate group (dup_group) once."
    ),
    tables: str = typer.Option(
        "csv", "--tables", help="Export every comparison table next to the report: csv, parquet or none."
    ),
    n_boot: int = typer.Option(
        1000, "--boot", help="Bootstrap resamples of articles for the 95 % intervals."
    ),
    n_perm: int = typer.Option(999, "--perm", help="Permutations for the tests of difference."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the resampling."),
) -> None:
    """Write the report: framing, distinctive terms, entity labels, stance, bias, leaning, tests,
    evidence snippets, annotated articles and a methods paragraph."""
    if tables not in TABLE_FORMATS:
        raise ParameterError("--tables", ", ".join(TABLE_FORMATS), tables)
    path = report(
        results, out, by=by, format=format, time=time, exclude_duplicates=exclude_duplicates,
        tables=None if tables == "none" else tables, n_boot=n_boot, n_perm=n_perm, seed=seed,
    )  # fmt: skip
    typer.echo(f"wrote {path}")
