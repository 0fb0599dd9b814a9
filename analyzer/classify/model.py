"""A trained model as the analyzer uses it: read from its folder, scored from its arrays.

:func:`load_model` reads a model folder (default: the shipped one for a task, in ``models/``,
installed with the package as ``analyzer.models``), checks it (see :mod:`.artifacts.files`) and
returns a :class:`Model` whose probabilities come from the exported graph. Nothing here needs
scikit-learn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ParameterError
from .artifacts.arrays import ModelArrays
from .artifacts.explain import contributions
from .artifacts.files import (
    ARRAYS_FILE,
    ModelFormatError,
    read_metadata,
    read_model,
    read_sidecar,
    write_model,
)
from .artifacts.score import Columns, GraphScorer
from .artifacts.words import LoadedWordScorer

LOADED_WORDS = "loaded_words"


def shipped_folder(task: str) -> Path:
    """The folder of the model shipped for ``task``."""
    return Path(str(files("analyzer.models"))) / task


def columns_of(rows: Any) -> dict[str, list[Any]]:
    """Model input as named columns: a mapping of lists is taken as it is, a DataFrame by column."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return {str(name): rows[name].tolist() for name in rows.columns}
    return {str(name): list(values) for name, values in rows.items()}


@dataclass
class Prediction:
    """One prediction: ``label``, ``probs`` (label -> probability) and :meth:`explain`."""

    task: str
    probs: dict[str, float]
    model: Model
    row: dict[str, list[Any]]

    @property
    def label(self) -> str:
        return max(self.probs, key=self.probs.__getitem__)

    def explain(self, top: int | None = 10, label: str | None = None) -> list[tuple[str, float]]:
        """The ``top`` features (all with ``None``) pushing toward ``label`` (default: the
        predicted one), as ``(feature, contribution)`` pairs, strongest first."""
        return self.model.explain(self.row, label or self.label, top)

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "label": self.label, "probs": self.probs}


class Model:
    """A classifier read from its folder: ``task``, ``labels``, ``metadata`` (its ``model.json``)
    and probabilities in ``labels`` order. ``estimator`` holds the fitted scikit-learn object
    when the model was trained in this process (None when read from disk)."""

    def __init__(
        self, metadata: dict[str, Any], arrays: ModelArrays, estimator: Any = None, cv: Any = None
    ) -> None:
        self.metadata = metadata
        self.arrays = arrays
        self.estimator = estimator
        self.cv = cv
        self.task: str = metadata["task"]
        self.labels: tuple[str, ...] = tuple(metadata["labels"])
        self.scorer = GraphScorer(metadata["graph"], arrays)
        self._order = [self.scorer.classes.index(label) for label in self.labels]

    def predict_proba(self, rows: Columns | Any) -> np.ndarray:
        """Class probabilities, one row per input row, columns in :attr:`labels` order. ``rows``:
        named columns (a mapping of lists) or a DataFrame."""
        return self.scorer.predict_proba(columns_of(rows))[:, self._order]

    def predict(self, rows: Columns | Any) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(rows).argmax(axis=1)]

    def predictions(self, rows: Columns | Any) -> list[Prediction]:
        """One explainable :class:`Prediction` per row (probabilities rounded to 4 places)."""
        columns = columns_of(rows)
        probs = self.predict_proba(columns)
        return [
            Prediction(
                self.task,
                {label: round(float(p), 4) for label, p in zip(self.labels, row, strict=True)},
                self,
                {name: [values[i]] for name, values in columns.items()},
            )
            for i, row in enumerate(probs)
        ]

    def explain(
        self, row: Mapping[str, Sequence[Any]], label: str, top: int | None = 10
    ) -> list[tuple[str, float]]:
        """The features that pushed the one-row input ``row`` toward ``label`` (see
        :func:`~.artifacts.explain.contributions`)."""
        return contributions(self.scorer, row, label, top)

    def save(self, folder: str | Path) -> Path:
        """Write this model's folder (``model.json``, ``model.npz``, sidecar)."""
        metadata = {k: v for k, v in self.metadata.items() if k not in ("format", "format_version")}
        return write_model(folder, metadata, {key: self.arrays[key] for key in self.arrays})


def model_label(folder: str | Path) -> dict[str, Any]:
    """What results record under ``versions.models`` for the model in ``folder``: the first 16 hex
    digits of its arrays' SHA-256 (from the sidecar) and its training dataset."""
    metadata = read_metadata(folder)
    return {
        "sha256": read_sidecar(Path(folder))[ARRAYS_FILE][:16],
        "data": metadata.get("training_data", {}).get("dataset"),
    }


def _checked(folder: Path, task: str) -> tuple[dict[str, Any], ModelArrays]:
    metadata, arrays = read_model(folder)
    if metadata.get("task") != task:
        raise ParameterError("model", f"a model for task {task} ({folder})", metadata.get("task"))
    graph = metadata.get("graph")
    if not isinstance(graph, dict) or "op" not in graph:
        raise ModelFormatError(f"{folder / 'model.json'}: no scoring graph")
    return metadata, arrays


@lru_cache(maxsize=16)
def load_model(task: str, path: str | None = None) -> Model:
    """The model for ``task`` in folder ``path`` (default: the shipped one), checked before it is
    read; loaded once per process and path."""
    folder = Path(path) if path else shipped_folder(task)
    return Model(*_checked(folder, task))


@lru_cache(maxsize=4)
def load_word_scorer(path: str | None = None) -> tuple[LoadedWordScorer, dict[str, Any]]:
    """The loaded-word model in ``path`` (default: the shipped one) and its metadata."""
    folder = Path(path) if path else shipped_folder(LOADED_WORDS)
    metadata, arrays = _checked(folder, LOADED_WORDS)
    return LoadedWordScorer(metadata["graph"], arrays), metadata
