"""``analyzer lexicon ...``: validate and inspect framing lexicon files."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import InputNotFoundError
from ..lexicons import check_lexicon, default_lexicon_path, load_lexicon

app = typer.Typer(help="Validate and inspect framing lexicons.", no_args_is_help=True)


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
