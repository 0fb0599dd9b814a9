"""``analyzer demo``: analyze the bundled sample corpus and write its tables and report."""

from __future__ import annotations

from pathlib import Path

import typer


def demo_command(
    corpus: Path = typer.Option(
        Path("corpora/sample/articles"), help="Folder of .txt articles with metadata.csv."
    ),
    out: Path = typer.Option(Path("out"), help="Output folder."),
    spacy_model: str | None = typer.Option(
        None, "--spacy-model", help="Installed spaCy pipeline name or path."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Analyze the sample corpus: writes results/ (Parquet tables), report.html, report_tables/."""
    from ..demo import run_demo  # imported here: keeps the command line's start-up light

    written = run_demo(corpus, out, spacy_model=spacy_model, progress=not quiet)
    for path in written:
        typer.echo(f"wrote {path}")
