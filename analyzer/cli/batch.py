"""``analyzer batch INPUT --out DIR``: a corpus to Parquet tables; a thin wrapper over ``run_batch``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..config import AnalyzerConfig
from ..corpus.formats import FORMATS
from ..errors import check_integers
from . import options


def batch_command(
    source: Path = typer.Argument(..., help="Corpus: a folder or a CSV/TSV/JSONL(.gz)/Parquet/JSON file."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Output folder for the Parquet tables and manifest.json."
    ),
    format: str = typer.Option("auto", "--format", help=f"Input format: {', '.join(FORMATS)}."),
    n_process: int = typer.Option(
        1, "--n-process", help="spaCy worker processes (one per core is sensible)."
    ),
    batch_size: int = typer.Option(16, "--batch-size", help="Documents per nlp.pipe batch."),
    part_size: int = typer.Option(500, "--part-size", help="Documents per committed Parquet part."),
    resume: bool = typer.Option(False, "--resume", help="Finish an interrupted run in --out."),
    executor: str = typer.Option(
        "local", "--executor", help="local (this machine) or dask (a LocalCluster of --n-process workers)."
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Address of a running Dask scheduler (tcp://HOST:PORT); implies --executor dask.",
    ),
    limit: int | None = typer.Option(None, "--limit", help="Analyze only the first N records."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    spacy_model: str | None = typer.Option(
        None, "--spacy-model", help="Installed spaCy pipeline name or path."
    ),
    no_classifiers: bool = typer.Option(False, "--no-classifiers", help="Skip stance, bias and leaning."),
    profile: str = options.PROFILE,
    loaded_words: bool = options.LOADED_WORDS,
    loaded_words_threshold: float = options.LOADED_WORDS_THRESHOLD,
    encoder_entities: int = options.ENCODER_ENTITIES,
    max_chars: int = options.MAX_CHARS,
    text_col: str | None = typer.Option(None, "--text-col", help="Column with the article text."),
    id_col: str | None = typer.Option(
        None, "--id-col", help="Column with the document id (default: a content hash)."
    ),
    outlet_col: str | None = typer.Option(None, "--outlet-col", help="Column with the outlet name."),
    date_col: str | None = typer.Option(None, "--date-col", help="Column with the publication date."),
    title_col: str | None = typer.Option(None, "--title-col", help="Column with the title."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of the input files."),
    no_dedup: bool = typer.Option(False, "--no-dedup", help="Skip near-duplicate grouping (dup_group)."),
    dup_threshold: float = typer.Option(
        0.5, "--dup-threshold", help="Jaccard similarity of near-duplicates."
    ),
    no_language_check: bool = typer.Option(
        False, "--no-language-check", help="Analyze every document, whatever its language."
    ),
) -> None:
    """Analyze a corpus into Parquet tables (documents, entities, mentions, framing, sentences, stance, texts)."""
    check_integers(
        ("--n-process", n_process, 1), ("--batch-size", batch_size, 1), ("--part-size", part_size, 1)
    )
    from ..api import Analyzer  # imported here: keeps the command line's start-up light
    from ..batch import run_batch
    from ..corpus.normalize import ColumnMap
    from ..corpus.readers import count_records, read_corpus

    columns = ColumnMap(text=text_col, id=id_col, outlet=outlet_col, date=date_col, title=title_col)
    articles = read_corpus(source, format=format, encoding=encoding, columns=columns, limit=limit)
    total = count_records(source, format)
    if total is not None and limit is not None:
        total = min(total, limit)
    analyzer = Analyzer(
        AnalyzerConfig(
            spacy_model=spacy_model,
            classifiers=not no_classifiers,
            profile=profile,
            loaded_words=loaded_words,
            loaded_words_threshold=options.loaded_words_threshold_option(loaded_words_threshold),
            encoder_entities=options.encoder_entities_option(encoder_entities),
            max_chars=options.max_chars_option(max_chars),
        )
    )
    result = run_batch(
        articles, out, analyzer=analyzer, n_process=n_process, batch_size=batch_size, part_size=part_size,
        resume=resume, total=total, quiet=quiet, inputs={"source": str(source), "format": format, "limit": limit},
        dedup=not no_dedup, check_language=not no_language_check, dup_threshold=dup_threshold,
        executor="dask" if scheduler else executor, scheduler=scheduler,
    )  # fmt: skip
    counts = result.manifest["counts"]
    typer.echo(json.dumps({"out": str(out), **{k: counts[k] for k in ("records", "documents", "failures")}}))
