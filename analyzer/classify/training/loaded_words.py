"""``train`` and ``evaluate`` for the ``loaded_words`` task (word-level, so outside :data:`TASKS`).

Evaluation is token-level: every word token of every sentence (punctuation excluded) is loaded or
not, gold from BABE's ``biased_words``. Three detectors are scored against the same gold tokens:
``lexicon`` (the tokens covered by ``analyzer_framing`` hits: lexicon terms and scare quotes, as the
analysis reports them), ``model`` (candidates whose calibrated probability reaches the threshold)
``combined`` (the model's words and the lexicon hits it confirms: what the analysis counts as
loaded with the model on) and ``union`` (lexicon and model words alike); see
:mod:`analyzer.classify.estimators.loaded_words`. Without a model folder the numbers are cross-validated: 5 folds
grouped by article (``news_link``), the model (its sentence signal, calibration and threshold
included) refitted on each training part.

The model's news statistics (:mod:`analyzer.classify.features.newsstats`) are built once from the AllSides
articles (``news``: their folder, by default ``allsides_baly2020`` beside the BABE folder). They
use no BABE label, so building them outside the CV folds leaks nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..artifacts.arrays import ModelArrays
from ..artifacts.files import write_model
from ..artifacts.words import LoadedWordScorer
from ..data.datasets import LabeledData, read_dataset
from ..estimators.loaded_words import DETECTORS, LoadedWordModel, counts, detector_sets, group_splits, prf
from ..features.newsstats import load_word_stats, news_path
from ..model import LOADED_WORDS, load_word_scorer
from ..tokens import SentenceTokens
from ..wordstats import WordStats
from .cards import write_card
from .export import export_loaded_words
from .train import EXPORT_CHECK_ROWS, EXPORT_TOLERANCE, training_versions
from .word_data import babe_word_sentences

TASK = LOADED_WORDS
UNIT = "content word in a sentence -> loaded (calibrated probability, thresholded)"
DEFAULTS: dict[str, Any] = {
    "C": 1.0,
    "sentence_C": 1.0,
    "folds": 5,
    "threshold_folds": 3,
    "vector_scale": 3.0,
}


def _rounded(tally: dict[str, int]) -> dict[str, float]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in prf(tally).items()}


def score_detectors(
    sentences: Sequence[SentenceTokens], probs: Sequence[np.ndarray], threshold: float
) -> dict[str, Counter]:
    """TP/FP/FN of each detector of :func:`~analyzer.classify.estimators.loaded_words.detector_sets`."""
    return {
        name: Counter(counts(sentences, found))
        for name, found in detector_sets(sentences, probs, threshold).items()
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
    sentences: Sequence[SentenceTokens],
    folds: int = 5,
    dataset: str = "babe",
    news: WordStats | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Grouped ``folds``-fold CV of the whole model (see the module docstring)."""
    totals: dict[str, Counter] = {name: Counter() for name in DETECTORS}
    thresholds = []
    for train, test in group_splits(sentences, folds):
        model = LoadedWordModel(**{**DEFAULTS, **options}, news=news).fit([sentences[k] for k in train])
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


def exported_probabilities(scorer: LoadedWordScorer, sentences: Sequence[SentenceTokens]) -> list[np.ndarray]:
    """Calibrated P(loaded) per candidate of each sentence, from an exported model."""
    with_candidates = [s for s in sentences if s.candidates]
    p_sentence = scorer.sentence_probability([s.text for s in with_candidates]) if with_candidates else []
    p = dict(zip((id(s) for s in with_candidates), p_sentence, strict=True))
    out = []
    for s in sentences:
        if not s.candidates:
            out.append(np.zeros(0))
            continue
        rows = np.full(len(s.candidates), p[id(s)])
        out.append(scorer.score_features(s.features, s.pos, rows, s.words or s.lemmas, s.lemmas))
    return out


def export_check(
    model: LoadedWordModel, scorer: LoadedWordScorer, sentences: Sequence[SentenceTokens]
) -> dict[str, Any]:
    """The largest difference between the exported and the fitted model's probabilities on (up to
    :data:`~.train.EXPORT_CHECK_ROWS`) training sentences; an export that scores differently raises."""
    sample = list(sentences[:EXPORT_CHECK_ROWS])
    fitted, exported = model.predict_proba(sample), exported_probabilities(scorer, sample)
    differences = [np.abs(a - b).max() for a, b in zip(fitted, exported, strict=True) if len(a)]
    difference = float(max(differences, default=0.0))
    if difference > EXPORT_TOLERANCE:
        raise RuntimeError(
            f"the exported loaded-word model differs from the fitted one by {difference:.2e}; please report this"
        )
    return {
        "rows": sum(len(a) for a in fitted),
        "data": "candidate words of training sentences",
        "max_abs_difference": difference,
    }


def evaluate_model(
    scorer: LoadedWordScorer, sentences: Sequence[SentenceTokens], dataset: str
) -> dict[str, Any]:
    """An exported model scored on ``sentences`` as given (in-sample if they were its training data)."""
    tallies = score_detectors(sentences, exported_probabilities(scorer, sentences), scorer.threshold)
    return _report(sentences, tallies, "as given", dataset, threshold=scorer.threshold)


def _babe(data: LabeledData | str | Path) -> LabeledData:
    return data if isinstance(data, LabeledData) else read_dataset("babe", data)


def evaluate_loaded_words(
    data: LabeledData | str | Path,
    model_path: str | Path | None = None,
    folds: int = 5,
    news: str | Path | None = None,
) -> dict[str, Any]:
    """Cross-validated numbers (no ``model_path``; news statistics from ``news``, see
    :func:`news_path`), or the model in ``model_path`` scored as given."""
    labeled = _babe(data)
    if model_path is None:
        stats = load_word_stats(str(news_path(data, news)))
        return cross_validate_words(babe_word_sentences(labeled), folds, labeled.name, news=stats)
    sentences = babe_word_sentences(labeled)
    scorer, _ = load_word_scorer(str(model_path))
    report = evaluate_model(scorer, sentences, labeled.name)
    report["model_path"] = str(model_path)
    return report


def train_loaded_words(
    data: LabeledData | str | Path,
    *,
    cv: int | None = 5,
    out: str | Path | None = None,
    command: str | None = None,
    news: str | Path | None = None,
    **options: Any,
) -> tuple[LoadedWordModel, dict[str, Any]]:
    """Fit the loaded-word model on BABE (news statistics from ``news``, see :func:`news_path`),
    export it and write it (``model.json``, ``model.npz``, sidecar, card) to ``out``."""
    labeled = _babe(data)
    started = time.perf_counter()
    stats = load_word_stats(str(news_path(data, news)))
    stats_seconds = time.perf_counter() - started
    sentences = babe_word_sentences(labeled)
    settings = {**DEFAULTS, **options}
    evaluation = cross_validate_words(sentences, cv, labeled.name, news=stats, **options) if cv else None
    started = time.perf_counter()
    model = LoadedWordModel(**settings, news=stats).fit(sentences)
    seconds = time.perf_counter() - started + stats_seconds
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
        "news_statistics": stats.source,
        "train_seconds": round(seconds, 1),
        "command": command or "analyzer.classify.training.loaded_words.train_loaded_words(...)",
        "metrics": [evaluation] if evaluation else [],
        "versions": training_versions(),
    }
    graph, arrays = export_loaded_words(model)
    metadata["graph"] = graph
    metadata["export_check"] = export_check(model, LoadedWordScorer(graph, ModelArrays(arrays)), sentences)
    if out is not None:
        write_model(out, metadata, arrays)
        write_card(out)
    return model, metadata
