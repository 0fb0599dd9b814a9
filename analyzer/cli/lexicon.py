"""``analyzer lexicon ...``: validate and inspect framing lexicon files, and suggest new terms from a
processed corpus (:func:`analyzer.comparison.suggest.suggest_terms`)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import InputNotFoundError
from ..lexicons import check_lexicon, default_lexicon_path, load_lexicon
from . import options

app = typer.Typer(help="Validate, inspect and grow framing lexicons.", no_args_is_help=True)


@app.command("check")
def check_command(
    file: Path = typer.Argument(..., help="Lexicon file (TSV: term, category, polarity, note)."),
) -> None:
    """Validate a lexicon file; prints every problem as FILE:LINE: message and exits 1 if any."""
    if not file.is_file():
        raise InputNotFoundError(file, "lexicon file")
    problems = check_lexicon(file)
    for line, message in problems:
        typer.echo(f"{file}:{line}: {message}", err=True)
    if problems:
        raise typer.Exit(1)
    lexicon = load_lexicon(file)
    counts = ", ".join(f"{k}={v}" for k, v in sorted(lexicon.categories().items()))
    typer.echo(f"{file}: OK, {len(lexicon.entries)} entries ({lexicon.label}): {counts}")


@app.command("show")
def show_command(
    file: Path | None = typer.Argument(None, help="Lexicon file (default: the shipped one)."),
) -> None:
    """Print the entry count per category of a lexicon (default: the shipped framing_v1)."""
    lexicon = load_lexicon(file or default_lexicon_path())
    typer.echo(f"{lexicon.label} ({lexicon.source})")
    for category, count in sorted(lexicon.categories().items()):
        typer.echo(f"  {category:20} {count}")


@app.command("suggest")
def suggest_command(
    results: Path = options.RESULTS,
    by: str = options.BY,
    out: Path = typer.Option(Path("suggested_terms.tsv"), "--out", "-o", help="Lexicon file to write."),
    top: int = typer.Option(25, "--top", help="At most this many terms per group."),
    min_count: int = typer.Option(5, "--min-count", help="Leave out words used fewer times in all."),
    min_articles: int = typer.Option(
        3, "--min-articles", help="A term must occur in this many of the group's articles."
    ),
    min_z: float = typer.Option(1.96, "--min-z", help="Smallest log-odds z-score (group vs the rest)."),
    contexts: int = typer.Option(3, "--contexts", help="Example sentences per term and group."),
    no_model: bool = typer.Option(False, "--no-model", help="Do not score terms with the loaded-word model."),
    model: Path | None = typer.Option(
        None, "--model", help="Loaded-word model folder (default: the shipped one)."
    ),
    table: Path | None = typer.Option(
        None, "--table", help="Also write every number and context to this CSV."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
) -> None:
    """Propose loaded terms distinctive of each group of a batch run, scored by the loaded-word
    model, as a lexicon file to review and pass back with --lexicon (see analyzer/lexicons/README.md)."""
    import pandas as pd  # imported here: keeps the command line's start-up light

    from ..comparison.suggest import suggest_terms

    options.check_models([model] if not no_model else [])
    found = suggest_terms(
        results, by=by, top=top, min_count=min_count, min_articles=min_articles, min_z=min_z,
        contexts=contexts, score=not no_model, model=str(model) if model else None,
    )  # fmt: skip
    if found.table.empty:
        typer.echo("no term passes the thresholds; nothing written (try a lower --min-z or --min-count)")
        return
    path = found.write_lexicon(out, force=force)
    if table is not None:
        found.table.assign(contexts=found.table["contexts"].map(" | ".join)).to_csv(table, index=False)
    terms = found.terms()
    typer.echo(
        f"{len(terms)} terms from {found.parameters['articles']} articles in {found.parameters['groups']} groups by {by} -> {path}"
    )
    for group, rows in found.table.groupby("group"):
        shown = ", ".join(
            f"{r.term} (z {r.z:.1f}" + ("" if pd.isna(r.model_score) else f", P {r.model_score:.2f}") + ")"
            for r in rows.head(8).itertuples()
        )
        typer.echo(f"  {group}: {shown}")
