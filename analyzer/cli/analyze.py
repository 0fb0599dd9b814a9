"""``analyzer analyze FILE``: one article to a readable table or ``analyzer.article/1`` JSON."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from ..config import DEFAULT_MAX_CHUNK_CHARS, AnalyzerConfig
from ..errors import ParameterError
from ..textio import read_text
from . import options


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def analyze_command(
    file: str = typer.Argument(..., help="Article text file, or - to read standard input."),
    format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="table (readable) or json (analyzer.article/1)."
    ),
    outlet: str | None = typer.Option(None, help="Outlet name recorded in the result."),
    doc_id: str | None = typer.Option(None, "--doc-id", help="Document id (default: hash of the text)."),
    title: str | None = typer.Option(None, help="Article title recorded in the result."),
    date: str | None = typer.Option(None, help="Publication date recorded in the result (ISO)."),
    target: list[str] = typer.Option(
        [],
        "--target",
        "-t",
        help="Target to score stance toward (repeatable): an entity of the article, one of the "
        "SemEval topics (atheism, climate change, feminism, hillary clinton, abortion), or any phrase.",
    ),
    spacy_model: str | None = typer.Option(
        None,
        "--spacy-model",
        help="Installed spaCy pipeline name or path (default en_core_web_sm 3.8.0).",
    ),
    lexicon: list[Path] = typer.Option(
        [], "--lexicon", "-l", help="Extra framing lexicon file (repeatable)."
    ),
    no_default_lexicon: bool = typer.Option(
        False, "--no-default-lexicon", help="Use only the --lexicon files."
    ),
    aliases: list[Path] = typer.Option(
        [], "--aliases", help="Extra alias file merging entity names (repeatable)."
    ),
    encoding: str = typer.Option("utf-8", help="Text encoding of FILE."),
    max_chunk_chars: int = typer.Option(
        DEFAULT_MAX_CHUNK_CHARS,
        help="Analyze longer texts in chunks of at most this many characters.",
    ),
    no_classifiers: bool = typer.Option(
        False, "--no-classifiers", help="Skip stance, sentence bias and leaning (those fields stay null)."
    ),
    model: list[str] = typer.Option(
        [], "--model", help="TASK=FOLDER: use a model trained with `analyzer train --out` (repeatable)."
    ),
    profile: str = options.PROFILE,
    loaded_words: bool = options.LOADED_WORDS,
    loaded_words_threshold: float = options.LOADED_WORDS_THRESHOLD,
    encoder_entities: int = options.ENCODER_ENTITIES,
    max_chars: int = options.MAX_CHARS,
    explain: bool = typer.Option(
        False, "--explain", help="Show the features that pushed leaning, sentence bias and stance."
    ),
) -> None:
    """Analyze one article: entities, framing hits with voice, speaker, target, negation, hedging."""
    text = read_text(file, encoding)
    config = AnalyzerConfig(
        spacy_model=spacy_model,
        lexicons=tuple(str(p) for p in lexicon),
        include_default_lexicon=not no_default_lexicon,
        aliases=tuple(str(p) for p in aliases),
        max_chunk_chars=max_chunk_chars,
        max_chars=options.max_chars_option(max_chars),
        classifiers=not no_classifiers,
        models=_model_options(model),
        profile=profile,
        loaded_words=loaded_words,
        loaded_words_threshold=options.loaded_words_threshold_option(loaded_words_threshold),
        encoder_entities=options.encoder_entities_option(encoder_entities),
    )
    options.check_models([folder for _, folder in config.models] if config.classifiers else [])
    from ..api import Analyzer  # imported here: keeps the command line's start-up light
    from .render import print_article, print_explanations

    analyzer = Analyzer(config)
    result = analyzer.analyze(text, outlet=outlet, doc_id=doc_id, title=title, date=date, targets=target)
    explanations = analyzer.explain(text, result) if explain else None
    if format is OutputFormat.json:
        payload = result.to_dict()
        if explanations is not None:
            payload["explanations"] = explanations
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print_article(result, source=file)
        if explanations is not None:
            print_explanations(explanations, result)


def _model_options(values: list[str]) -> dict[str, str]:
    models = {}
    for value in values:
        task, sep, folder = value.partition("=")
        if not sep or not task or not folder:
            raise ParameterError("--model", "TASK=FOLDER, e.g. sentence_bias=models/my_bias", value)
        models[task.strip()] = folder.strip()
    return models
