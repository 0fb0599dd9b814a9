"""Options shared by several commands (``analyze`` and ``batch``; ``compare`` and ``report``):
one definition, so their names, defaults and help stay the same."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import typer

from ..config import DEFAULT_MAX_CHARS, MAX_TERMS, MIN_TERM_HITS
from ..config import ENCODER_ENTITIES as ENCODER_ENTITIES_DEFAULT
from ..config import LOADED_WORDS_THRESHOLD as LOADED_WORDS_THRESHOLD_DEFAULT

RESULTS = typer.Argument(..., help="A batch output folder (analyzer batch --out).")
BY = typer.Option("outlet", "--by", help="Group by this column: outlet, leaning or any metadata field.")
EXCLUDE_DUPLICATES = typer.Option(
    False, "--exclude-duplicates", help="Count each near-duplicate group (dup_group) once."
)
BOOT = typer.Option(1000, "--boot", help="Bootstrap resamples of articles for the 95 % intervals.")
PERM = typer.Option(999, "--perm", help="Permutations for the tests of difference.")
SEED = typer.Option(0, "--seed", help="Random seed of the resampling (results are reproducible).")
MIN_TERM_HITS = typer.Option(
    MIN_TERM_HITS,
    "--min-term-hits",
    help="Report a framing term on its own (rates, distinctive terms) from this many hits.",
)
MAX_TERMS = typer.Option(
    MAX_TERMS,
    "--max-terms",
    help="At most this many terms on their own, the most frequent (categories count all).",
)
PROFILE = typer.Option(
    "full",
    "--profile",
    help="full (with the dependency parser) or fast (no parser: voice from quotation marks only, "
    "framing targets, negation and hedges from word windows).",
)
LOADED_WORDS = typer.Option(
    True,
    "--loaded-words/--no-loaded-words",
    help="Add the learned loaded-word detector's hits (source: model) to the lexicon's (on by "
    "default; the fast profile never runs it).",
)
LOADED_WORDS_THRESHOLD = typer.Option(
    LOADED_WORDS_THRESHOLD_DEFAULT,
    "--loaded-words-threshold",
    help="Probability from which a scored word becomes a loaded-word hit (0: the model's own, "
    "chosen for word-level F1 on BABE).",
)


def loaded_words_threshold_option(value: float) -> float | None:
    """``--loaded-words-threshold`` as ``AnalyzerConfig.loaded_words_threshold``: 0 means the
    model's own threshold (None)."""
    return None if value == 0 else value


ENCODER_ENTITIES = typer.Option(
    ENCODER_ENTITIES_DEFAULT,
    "--encoder-entities",
    help="Full profile: score the mentions of this many of an article's most mentioned entities "
    "with the fine-tuned encoder (the rest with the linear model); 0: all named at least twice.",
)


def encoder_entities_option(value: int) -> int | None:
    """``--encoder-entities`` as ``AnalyzerConfig.encoder_entities``: 0 means all (None)."""
    return None if value == 0 else value


MAX_CHARS = typer.Option(
    DEFAULT_MAX_CHARS,
    "--max-chars",
    help="Refuse texts longer than this many characters (error AZ106; in batch a failure with "
    "reason 'too long'); 0: no limit.",
)


def max_chars_option(value: int) -> int | None:
    """``--max-chars`` as ``AnalyzerConfig.max_chars``: 0 means no limit (None)."""
    return None if value == 0 else value


def check_models(models: Iterable[str | Path | None]) -> None:
    """Check each model folder given against its sidecar (nothing else is read), so a modified or
    missing model stops the command before any slow work."""
    from ..classify.artifacts.files import (
        read_metadata,  # imported here: keeps the command line's start-up light
    )

    for folder in models:
        if folder is not None:
            read_metadata(folder)
