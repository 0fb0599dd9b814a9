"""``analyzer train`` and ``analyzer evaluate``: thin wrappers over ``analyzer.classify`` (and, for
the BASIL checks of the analysis: framing, article_stance, leaning_pairs, ``analyzer.evaluation``)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import typer

from ..errors import ParameterError
from . import options

LOADED_WORDS = "loaded_words"
FRAMING = "framing"
FRAMING_LOADED_WORDS = typer.Option(
    None,
    "--loaded-words/--no-loaded-words",
    help="framing: analyse with or without the learned loaded-word detector (default: as the analysis does, on).",
)
DETAILS = typer.Option(
    False, "--details", help="framing: also list every expert span and the hit matched to it."
)
BASIL_TASKS = ("article_stance", "leaning_pairs")
"""Tasks that check the analysis on a BASIL-format file (``--dataset basil``)."""
NEWS = typer.Option(
    None,
    "--news",
    help="loaded_words and sentence_bias: the AllSides folder the news statistics are built from "
    "(default: allsides_baly2020 beside the data folder).",
)


def _babe_only(dataset: str | None) -> None:
    if dataset not in (None, "babe"):
        raise ParameterError("--dataset", f"babe for task {LOADED_WORDS}", dataset)


def _data(
    dataset: str | None,
    task: str,
    data: Path,
    text_col: str,
    label_col: str,
    target_col: str | None,
    group_col: str | None,
):
    from ..classify.data.datasets import (
        read_dataset,  # imported here: keeps the command line's start-up light
    )
    from ..classify.tasks import get_task

    name = dataset or get_task(task).default_dataset
    return read_dataset(
        name, data, text_col=text_col, label_col=label_col, target_col=target_col, group_col=group_col
    )


def train_command(
    task: str = typer.Argument(
        ..., help="Task: sentence_bias, entity_stance, topic_stance, leaning, loaded_words."
    ),
    data: list[Path] = typer.Option(
        ..., "--data", help="Dataset file or folder; repeat to train on several (same reader) as one."
    ),
    dataset: str | None = typer.Option(
        None, "--dataset", help="Reader: babe, semeval, newsmtsc, allsides, csv, jsonl (default: the task's)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Folder to save the model and its sidecar in."),
    cv: int = typer.Option(5, "--cv", help="Cross-validation folds before the final fit (0 = none)."),
    group_by: str | None = typer.Option(
        "group", "--group-by", help="Column whose values stay in one fold (e.g. the article)."
    ),
    text_col: str = typer.Option("text", "--text-col"),
    label_col: str = typer.Option("label", "--label-col"),
    target_col: str | None = typer.Option(None, "--target-col"),
    group_col: str | None = typer.Option(None, "--group-col"),
    eval_data: list[Path] = typer.Option(
        [], "--eval", help="Dev/valid file scored after training, same reader (repeatable)."
    ),
    news: Path | None = NEWS,
    n_jobs: int = typer.Option(1, "--n-jobs", help="Cross-validation folds fitted at once (processes)."),
    encoder: bool = typer.Option(
        False,
        "--encoder",
        help="entity_stance: fine-tune the pretrained encoder (needs the train extra: torch) instead "
        "of the linear model; write it to models/entity_stance_encoder to ship it.",
    ),
    encoder_option: list[str] = typer.Option(
        [],
        "--encoder-option",
        help="With --encoder: a setting as NAME=VALUE (JSON value), e.g. window=12, epochs=2, "
        "balanced=true (repeatable; see EncoderStanceOptions).",
    ),
) -> None:
    """Train a classifier; prints its cross-validation and dev scores as JSON and, with --out,
    writes the model folder (model.json, model.npz, model.sha256) and its model card (README.md)."""
    if encoder:
        _train_encoder(task, data, dataset, out, eval_data, encoder_option)
        return
    if task == LOADED_WORDS:
        from ..classify.training.loaded_words import train_loaded_words

        _babe_only(dataset)
        command = shlex.join(["analyzer", *sys.argv[1:]])
        _, metadata = train_loaded_words(data[0], cv=cv or None, out=out, command=command, news=news)
        typer.echo(
            json.dumps(metadata["metrics"] or {"task": task, "threshold": metadata["threshold"]}, indent=2)
        )
        if out:
            typer.echo(f"saved {out} (model card: {out / 'README.md'})", err=True)
        return
    from ..classify.data.datasets import combine

    labeled = combine([_data(dataset, task, p, text_col, label_col, target_col, group_col) for p in data])
    dev = [_data(dataset, task, p, text_col, label_col, target_col, group_col) for p in eval_data]
    command = shlex.join(["analyzer", *sys.argv[1:]])
    extra = {"news": str(news)} if news is not None else {}
    from ..classify.training.train import train

    model = train(
        task,
        labeled,
        cv=cv or None,
        group_by=group_by,
        out=out,
        dev=dev,
        command=command,
        n_jobs=n_jobs,
        **extra,
    )
    typer.echo(json.dumps(model.metadata["metrics"] or {"task": task, "n": len(labeled)}, indent=2))
    if out:
        typer.echo(f"saved {out} (model card: {out / 'README.md'})", err=True)


def _train_encoder(
    task: str,
    data: list[Path],
    dataset: str | None,
    out: Path | None,
    eval_data: list[Path],
    settings: list[str],
) -> None:
    """``train entity_stance --encoder``: fine-tune, export as data, print the dev scores."""
    if task != "entity_stance":
        raise ParameterError("--encoder", "only with task entity_stance", task)
    if dataset not in (None, "newsmtsc"):
        raise ParameterError("--dataset", "newsmtsc for --encoder", dataset)
    parsed = {}
    for setting in settings:
        name, sep, value = setting.partition("=")
        try:
            parsed[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            parsed[name.strip()] = value
        if not sep or not name.strip():
            raise ParameterError("--encoder-option", "NAME=VALUE", setting)
    try:
        from ..classify.training.encoder_stance import train_encoder_stance
    except ImportError as exc:
        raise ParameterError(
            "--encoder", "an installed torch (pip install -e '.[train]')", f"no torch ({exc})"
        ) from exc
    from ..classify.data.datasets import combine, read_dataset

    command = shlex.join(["analyzer", *sys.argv[1:]])
    labeled = combine([read_dataset("newsmtsc", path) for path in data])
    model = train_encoder_stance(
        labeled, dev=eval_data, out=str(out) if out else None, command=command,
        log=lambda line: typer.echo(line, err=True), **parsed,
    )  # fmt: skip
    typer.echo(json.dumps(model.metadata["metrics"], indent=2))
    if out:
        typer.echo(f"saved {out} (model card: {out / 'README.md'})", err=True)


def _evaluate_basil(
    task: str, data: Path, dataset: str | None, model: Path | None, boot: int, seed: int
) -> None:
    """``evaluate --task article_stance|leaning_pairs``: the analysis checked on a BASIL file."""
    if dataset not in (None, "basil"):
        raise ParameterError("--dataset", f"basil for task {task}", dataset)
    if boot < 1:
        raise ParameterError("--boot", "an integer >= 1", boot)
    if task == "article_stance":
        if model is not None:
            raise ParameterError(
                "--model", "no model folder for article_stance (it runs the analysis)", model
            )
        from ..evaluation.article_stance import evaluate_article_stance

        result = evaluate_article_stance(data, resamples=boot, seed=seed)
    else:
        from ..evaluation.leaning_pairs import evaluate_leaning_pairs

        result = evaluate_leaning_pairs(data, model, resamples=boot, seed=seed)
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


def evaluate_command(
    task: str = typer.Option(
        ...,
        "--task",
        help="Task: sentence_bias, entity_stance, topic_stance, leaning, loaded_words; on a BASIL file "
        "(--dataset basil): framing (hits against the experts' lexical spans), article_stance (the "
        "author's attitude per main entity), leaning_pairs.",
    ),
    data: Path = typer.Option(..., "--data", help="Dataset file or folder."),
    model: Path | None = typer.Option(None, "--model", help="Model folder (default: the shipped model)."),
    dataset: str | None = typer.Option(
        None,
        "--dataset",
        help="Reader: babe, semeval, newsmtsc, allsides, basil, csv, jsonl (default: the task's).",
    ),
    format: str = typer.Option("json", "--format", help="json (the only format for now)."),
    text_col: str = typer.Option("text", "--text-col"),
    label_col: str = typer.Option("label", "--label-col"),
    target_col: str | None = typer.Option(None, "--target-col"),
    group_col: str | None = typer.Option(None, "--group-col"),
    news: Path | None = NEWS,
    profile: str = options.PROFILE,
    loaded_words: bool | None = FRAMING_LOADED_WORDS,
    details: bool = DETAILS,
    boot: int = options.BOOT,
    seed: int = options.SEED,
    loaded_words_threshold: float = options.LOADED_WORDS_THRESHOLD,
) -> None:
    """Score a model on labelled data: prints one JSON object. For loaded_words without --model:
    token-level P/R/F1 of lexicon, model, combined and union detection in 5-fold CV grouped by
    article. For framing (dataset basil): the analysis' framing hits against the experts' lexical
    spans (recall, hits per 1,000 words, quote and target agreement, with intervals over events).
    For article_stance and leaning_pairs (a BASIL-format file): macro-F1 of the author's attitude
    per main entity, and the leaning's pair order within events, with intervals over events."""
    if format != "json":
        raise ParameterError("--format", "json", format)
    if task == FRAMING:
        from ..evaluation import evaluate_basil

        if dataset not in (None, "basil"):
            raise ParameterError("--dataset", f"basil for task {FRAMING}", dataset)
        threshold = options.loaded_words_threshold_option(loaded_words_threshold)
        result = evaluate_basil(
            data, profile, loaded_words, boot=boot, seed=seed, loaded_words_threshold=threshold
        )
        typer.echo(json.dumps(result.to_dict(details=details), indent=2, ensure_ascii=False))
        return
    options.check_models([model])
    if task in BASIL_TASKS:
        _evaluate_basil(task, data, dataset, model, boot, seed)
        return
    if task == LOADED_WORDS:
        from ..classify.training.loaded_words import evaluate_loaded_words

        _babe_only(dataset)
        typer.echo(json.dumps(evaluate_loaded_words(data, model, news=news), indent=2))
        return
    labeled = _data(dataset, task, data, text_col, label_col, target_col, group_col)
    from ..classify.training.train import evaluate

    typer.echo(json.dumps(evaluate(task, labeled, model).to_dict(), indent=2))
