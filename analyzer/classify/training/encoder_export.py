"""Export a fine-tuned entity-stance encoder as data, and describe it (no torch here).

The trained parameters (float32, by BERT name) become ``model.npz`` arrays: each matrix as int8 with
one float32 scale per 32 values of a row (``quantize_rows``: the group's largest absolute value /
127), vectors as float32; the frozen word-embedding table is not stored (the scorer takes it from the encoder
package, whose ``model.safetensors`` and ``tokenizer.json`` are pinned by SHA-256 in the graph).
:func:`encoder_model` writes the folder with its metrics on the dev files, an export check against
the float32 model's probabilities and a bootstrap interval of each dev score over sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..artifacts.arrays import ModelArrays
from ..artifacts.files import read_model
from ..artifacts.stance import SCALE, file_sha256
from ..data.datasets import LabeledData
from ..encoder import ENCODER_PACKAGE, encoder_config, encoder_path
from ..model import Model
from .cards import write_card
from .metrics import bootstrap_interval, evaluate_predictions

ENCODER_CARD = "entity_stance_encoder"
"""The model card facts of the encoder model (its task is ``entity_stance``)."""
HEAD = "head"
GROUP = 32
"""Values per int8 scale: one scale per 32 weights of a row halved the largest probability change
against float32 on the mt dev file, compared with one scale per row (0.026 against 0.047), for
12 % more bytes (docs/experiments/entity_stance_encoder.md)."""


def quantize_rows(matrix: np.ndarray, group: int = GROUP) -> tuple[np.ndarray, np.ndarray]:
    """``matrix`` as int8 and float32 scales, one per ``group`` consecutive values of a row
    (rows, columns / group); one per row when the row length is not a multiple of ``group``.
    Each value ≈ its int8 value × its group's scale (the group's largest absolute value / 127)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    rows, columns = matrix.shape
    size = group if group and columns % group == 0 else columns
    blocks = matrix.reshape(rows, columns // size, size)
    scale = np.abs(blocks).max(axis=2) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    values = np.clip(np.rint(blocks / scale[:, :, None]), -127, 127).astype(np.int8)
    return values.reshape(rows, columns), scale


def export_arrays(
    weights: Mapping[str, np.ndarray], quantize: bool = True
) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    """``(name -> key, key -> array)`` of the trained parameters (head included, as ``head.*``)."""
    keys, arrays = {}, {}
    for name, value in weights.items():
        value = np.asarray(value, dtype=np.float32)
        if quantize and value.ndim == 2 and not name.startswith(HEAD):
            arrays[name], arrays[name + SCALE] = quantize_rows(value)
        else:
            arrays[name] = value
        if not name.startswith(HEAD):
            keys[name] = name
    return keys, arrays


def encoder_graph(
    weights: Mapping[str, np.ndarray],
    options: Mapping[str, Any],
    classes: Sequence[str],
    quantize: bool = True,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The ``encoder_stance`` graph node and its arrays (see :mod:`..artifacts.stance`)."""
    folder = encoder_path()
    config = encoder_config(folder)
    keys, arrays = export_arrays(weights, quantize)
    graph = {
        "op": "encoder_stance",
        "classes": list(classes),
        "input": {
            "pair": "target text, the target in brackets with `window` words on each side",
            "window": options.get("window"),
            "max_tokens": int(options["max_tokens"]),
        },
        "encoder": {
            "package": ENCODER_PACKAGE,
            "sha256": {name: file_sha256(folder / name) for name in ("model.safetensors", "tokenizer.json")},
            "from_package": ["embeddings.word_embeddings.weight"],
        },
        "heads": int(config["num_attention_heads"]),
        "eps": float(config["layer_norm_eps"]),
        "quantized": f"int8 matrices, one float32 scale per {GROUP} values of a row"
        if quantize
        else "none (float32)",
        "weights": keys,
        "head": {"weight": f"{HEAD}.weight", "bias": f"{HEAD}.bias"},
    }
    return graph, arrays


def dev_evaluation(model: Model, part: LabeledData, reference: np.ndarray | None = None) -> dict[str, Any]:
    """The exported model's scores on one dev file, with a 95 % bootstrap interval over sentences
    (``group``), and, given the float32 model's probabilities, how far the export is from them."""
    frame = part.frame
    probs = model.predict_proba(frame)
    predicted = [model.labels[i] for i in probs.argmax(axis=1)]
    truth = frame["label"].tolist()
    scored = evaluate_predictions(
        task=model.task, model="this model", dataset=part.name, metric="macro_f1", labels=model.labels,
        y_true=truth, y_pred=predicted, probs=probs,
        split="dev: " + ", ".join("/".join(Path(s).parts[-2:]) for s in part.sources),
    ).to_dict()  # fmt: skip
    scored["interval"] = bootstrap_interval(truth, predicted, frame["group"].tolist())
    scored["interval_note"] = "95 % percentile bootstrap over sentences, 1,000 resamples"
    if reference is not None:
        float_predicted = [model.labels[i] for i in reference.argmax(axis=1)]
        scored["float32"] = {
            "score": evaluate_predictions(
                task=model.task, model="float32", dataset=part.name, metric="macro_f1", labels=model.labels,
                y_true=truth, y_pred=float_predicted,
            ).score,
            "max_abs_difference": float(np.abs(probs - reference).max()),
            "same_label": float(np.mean(np.array(predicted) == np.array(float_predicted))),
        }  # fmt: skip
    return scored


def encoder_model(
    weights: Mapping[str, np.ndarray],
    *,
    options: Mapping[str, Any],
    data: LabeledData,
    dev: Sequence[tuple[LabeledData, np.ndarray | None]] = (),
    train_seconds: float = 0.0,
    command: str = "",
    versions: Mapping[str, str] | None = None,
    out: str | Path | None = None,
    quantize: bool = True,
    history: Sequence[Mapping[str, Any]] = (),
) -> Model:
    """The exported model (written to ``out`` with its card when given), scored on each dev file
    (with the float32 model's probabilities on it, when given, for the export check)."""
    labels = ("against", "neutral", "favor")
    graph, arrays = encoder_graph(weights, options, labels, quantize)
    metadata: dict[str, Any] = {
        "task": "entity_stance",
        "card": ENCODER_CARD,
        "unit": "entity mention in a sentence -> against / neutral / favor",
        "labels": list(labels),
        "features": {"builder": "analyzer.classify.training.encoder_stance", "options": dict(options)},
        "training_data": {"dataset": data.name, "files": data.sources, "sha256": data.sha256, "n": len(data)},
        "train_seconds": round(float(train_seconds), 1),
        "command": command or "analyzer.classify.training.encoder_stance.train_encoder_stance(...)",
        "metrics": [],
        "graph": graph,
        "versions": dict(versions or {}),
        "history": list(history),
    }
    model = Model(metadata, ModelArrays(arrays))
    checks = []
    for part, reference in dev:
        scored = dev_evaluation(model, part, reference)
        metadata["metrics"].append(scored)
        if "float32" in scored:
            checks.append(
                (len(part), scored["float32"]["max_abs_difference"], scored["float32"]["same_label"])
            )
    if checks:
        rows = sum(n for n, _, _ in checks)
        metadata["export_check"] = {
            "rows": rows,
            "max_abs_difference": max(d for _, d, _ in checks),
            "same_label": sum(n * s for n, _, s in checks) / rows,
            "data": "the dev files, against the float32 torch model",
        }
    if out is not None:
        model.save(out)
        write_card(out)
        model = Model(*read_model(out))
    return model
