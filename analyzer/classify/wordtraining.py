"""``train`` and ``evaluate`` for the ``loaded_words`` task (word-level, so outside :data:`TASKS`).

Evaluation is token-level: every word token of every sentence (punctuation excluded) is loaded or
not, gold from BABE's ``biased_words``. Three detectors are scored against the same gold tokens:
``lexicon`` (the tokens covered by ``analyzer_framing`` hits: lexicon terms and scare quotes, as the
analysis reports them), ``model`` (candidates whose calibrated probability reaches the threshold)
and ``combined`` (their union: what the analysis reports with the model on). Without a model
folder the numbers are cross-validated: 5 folds grouped by article (``news_link``), the model (its
sentence signal, calibration and threshold included) refitted on each training part.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .cards import write_card
from .datasets import LabeledData, read_dataset
from .persistence import save_model
from .wordfeatures import SentenceTokens
from .words import LoadedWordModel, counts, group_splits, model_sets, prf
from .wordsdata import babe_word_sentences

TASK = "loaded_words"
UNIT = "content word in a sentence -> loaded (calibrated probability, thresholded)"
DEFAULTS: dict[str, Any] = {"C": 1.0, "sentence_C": 1.0, "folds": 5, "threshold_folds": 3}


def _rounded(tally: dict[str, int]) -> dict[str, float]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in prf(tally).items()}


def score_detectors(
    sentences: Sequence[SentenceTokens], probs: Sequence[np.ndarray], threshold: float
) -> dict[str, Counter]:
    """TP/FP/FN of lexicon-only, model-only and combined detection."""
    model = model_sets(sentences, probs, threshold)
    return {
        "lexicon": Counter(counts(sentences, [s.lexicon for s in sentences])),
        "model": Counter(counts(sentences, model)),
        "combined": Counter(
            counts(sentences, [m | s.lexicon for m, s in zip(model, sentences, strict=True)])
        ),
    }


def _report(
    sentences: Sequence[SentenceTokens], tallies: dict[str, Counter], split: str, dataset: str, **extra: Any
) -> dict[str, Any]:
    return {
        "task": TASK,
        "dataset": dataset,
        "split": split,
        "unit": "word token (punctuation excluded); gold = tokens of the annotated biased_words",
        "n_sentences": len(sentences),
        "n_gold_tokens": sum(len(s.gold) for s in sentences),
        "n_candidates": sum(len(s.candidates) for s in sentences),
        **extra,
        **{name: _rounded(dict(tally)) for name, tally in tallies.items()},
    }


def cross_validate_words(
    sentences: Sequence[SentenceTokens], folds: int = 5, dataset: str = "babe", **options: Any
) -> dict[str, Any]:
    """Grouped ``folds``-fold CV of the whole model (see the module docstring)."""
    totals: dict[str, Counter] = {"lexicon": Counter(), "model": Counter(), "combined": Counter()}
    thresholds = []
    for train, test in group_splits(sentences, folds):
        model = LoadedWordModel(**{**DEFAULTS, **options}).fit([sentences[k] for k in train])
        held_out = [sentences[k] for k in test]
        for name, tally in score_detectors(held_out, model.predict_proba(held_out), model.threshold_).items():
            totals[name].update(tally)
        thresholds.append(model.threshold_)
    return _report(
        sentences,
        totals,
        f"{folds}-fold CV grouped by news_link",
        dataset,
        thresholds=thresholds,
    )


def evaluate_model(
    model: LoadedWordModel, sentences: Sequence[SentenceTokens], dataset: str
) -> dict[str, Any]:
    """A fitted model scored on ``sentences`` as given (in-sample if they were its training data)."""
    tallies = score_detectors(sentences, model.predict_proba(sentences), model.threshold_)
    return _report(sentences, tallies, "as given", dataset, threshold=model.threshold_)


def _babe(data: LabeledData | str | Path) -> LabeledData:
    return data if isinstance(data, LabeledData) else read_dataset("babe", data)


def evaluate_loaded_words(
    data: LabeledData | str | Path, model_path: str | Path | None = None, folds: int = 5
) -> dict[str, Any]:
    """Cross-validated numbers (no ``model_path``), or the model in ``model_path`` scored as given."""
    labeled = _babe(data)
    sentences = babe_word_sentences(labeled)
    if model_path is None:
        return cross_validate_words(sentences, folds, labeled.name)
    from ..nlp.loaded import load_word_model

    model, _ = load_word_model(str(model_path))
    report = evaluate_model(model, sentences, labeled.name)
    report["model_path"] = str(model_path)
    return report


def train_loaded_words(
    data: LabeledData | str | Path,
    *,
    cv: int | None = 5,
    out: str | Path | None = None,
    command: str | None = None,
    **options: Any,
) -> tuple[LoadedWordModel, dict[str, Any]]:
    """Fit the loaded-word model on BABE and save it (model, sidecar, card) to ``out``."""
    labeled = _babe(data)
    sentences = babe_word_sentences(labeled)
    settings = {**DEFAULTS, **options}
    evaluation = cross_validate_words(sentences, cv, labeled.name, **options) if cv else None
    started = time.perf_counter()
    model = LoadedWordModel(**settings).fit(sentences)
    seconds = time.perf_counter() - started
    metadata = {
        "task": TASK,
        "unit": UNIT,
        "labels": ["loaded", "not loaded"],
        "threshold": model.threshold_,
        "features": {"builder": "LoadedWordModel", "options": settings, "top": model.top_features()},
        "training_data": {
            "dataset": labeled.name,
            "files": labeled.sources,
            "sha256": labeled.sha256,
            "n": len(labeled),
        },
        "train_seconds": round(seconds, 1),
        "command": command or "analyzer.classify.wordtraining.train_loaded_words(...)",
        "metrics": [evaluation] if evaluation else [],
    }
    if out is not None:
        save_model(model, out, metadata)
        write_card(out)
    return model, metadata
