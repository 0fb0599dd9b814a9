"""Export a fine-tuned entity-stance encoder as data, and describe it (no torch here).

The trained parameters (float32, by BERT name) become ``model.npz`` arrays. In the analysis' form
(``runtime="onnx"``) the six layers and the head are one ONNX graph with int8 matrices
(:mod:`.encoder_onnx`), stored as bytes in the npz, and the embedding layer's small tables stay
float32 arrays. The older numpy form stores each matrix as int8 with one float32 scale per 32 values
of a row (``quantize_rows``). Either way the frozen word-embedding table is not stored (the scorer
takes it from the encoder package, whose ``model.safetensors`` and ``tokenizer.json`` are pinned by
SHA-256 in the graph). :func:`encoder_model` writes the folder with its metrics on the dev files, an
export check against the float32 model's probabilities and a bootstrap interval of each dev score
over sentences; :func:`convert_to_onnx` turns a numpy-form folder into the ONNX form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..artifacts.arrays import ModelArrays
from ..artifacts.files import read_model
from ..artifacts.stance import SCALE, dequantized, file_sha256
from ..data.datasets import LabeledData
from ..encoder import ENCODER_PACKAGE, encoder_config, encoder_path
from ..model import Model
from .cards import write_card
from .metrics import bootstrap_interval, evaluate_predictions

ENCODER_CARD = "entity_stance_encoder"
"""The model card facts of the encoder model (its task is ``entity_stance``)."""
HEAD = "head"
ONNX_KEY = "layers.onnx"
"""The array (uint8) holding the ONNX graph's bytes in ``model.npz``."""
ONNX_QUANTIZED = (
    "the layers and head as an ONNX graph run by ONNX Runtime, matrices int8 with one float32 scale "
    "per output column (dynamic quantization: activations are quantized per call); the embedding "
    "layer float32, in numpy"
)
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


def onnx_arrays(
    weights: Mapping[str, np.ndarray], heads: int, eps: float, quantize: bool = True
) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    """``(name -> key, key -> array)`` for the ONNX runtime: the embedding layer's float32 arrays,
    and the layers and head as one ONNX graph (int8 when ``quantize``), stored as its bytes under
    :data:`ONNX_KEY`."""
    from .encoder_onnx import layers_graph, quantized_graph

    layers = {name: value for name, value in weights.items() if name.startswith("encoder.layer.")}
    graph = layers_graph(layers, weights[f"{HEAD}.weight"], weights[f"{HEAD}.bias"], heads, eps)
    if quantize:
        graph = quantized_graph(graph)
    keys = {name: name for name in weights if name.startswith("embeddings.")}
    arrays = {name: np.asarray(weights[name], dtype=np.float32) for name in keys}
    arrays[ONNX_KEY] = np.frombuffer(graph, dtype=np.uint8)
    return keys, arrays


def encoder_graph(
    weights: Mapping[str, np.ndarray],
    options: Mapping[str, Any],
    classes: Sequence[str],
    quantize: bool = True,
    runtime: str = "onnx",
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The ``encoder_stance`` graph node and its arrays (see :mod:`..artifacts.stance`): the
    layers and head as an ONNX graph (``runtime="onnx"``, the analysis' form) or as numpy arrays
    (``"numpy"``)."""
    folder = encoder_path()
    config = encoder_config(folder)
    heads, eps = int(config["num_attention_heads"]), float(config["layer_norm_eps"])
    if runtime == "onnx":
        keys, arrays = onnx_arrays(weights, heads, eps, quantize)
        quantized = ONNX_QUANTIZED if quantize else "none (float32)"
    else:
        keys, arrays = export_arrays(weights, quantize)
        quantized = (
            f"int8 matrices, one float32 scale per {GROUP} values of a row" if quantize else "none (float32)"
        )
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
        "heads": heads,
        "eps": eps,
        "quantized": quantized,
        "weights": keys,
    }
    if runtime == "onnx":
        graph["onnx"] = ONNX_KEY
    else:
        graph["head"] = {"weight": f"{HEAD}.weight", "bias": f"{HEAD}.bias"}
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
    score_on_dev(model, dev, "the dev files, against the float32 torch model")
    return model if out is None else _written(model, out)


def score_on_dev(
    model: Model, dev: Sequence[tuple[LabeledData, np.ndarray | None]], reference_name: str
) -> None:
    """Add ``model``'s score on each dev file to its ``metrics`` and, where the reference model's
    probabilities are given, an ``export_check`` over all those rows (the largest probability
    difference and the share of rows with the same label), naming the reference."""
    checks = []
    for part, reference in dev:
        scored = dev_evaluation(model, part, reference)
        model.metadata["metrics"].append(scored)
        if "float32" in scored:
            checks.append(
                (len(part), scored["float32"]["max_abs_difference"], scored["float32"]["same_label"])
            )
    if checks:
        rows = sum(n for n, _, _ in checks)
        model.metadata["export_check"] = {
            "rows": rows,
            "max_abs_difference": max(d for _, d, _ in checks),
            "same_label": sum(n * s for n, _, s in checks) / rows,
            "data": reference_name,
        }


def _written(model: Model, folder: str | Path) -> Model:
    """``model`` saved to ``folder`` with its card, and read back (as the analysis will read it)."""
    model.save(folder)
    write_card(folder)
    return Model(*read_model(folder))


def convert_to_onnx(folder: str | Path, dev: Sequence[LabeledData]) -> Model:
    """Rewrite the numpy-form encoder model in ``folder`` in the ONNX form (:func:`onnx_arrays`,
    from its dequantized matrices), re-scored on the ``dev`` files, with an export check against
    the numpy model it replaces; the card is rendered again."""
    metadata, arrays = read_model(folder)
    node = metadata["graph"]
    if node.get("onnx"):
        raise ValueError(f"{folder}: already in the ONNX form")
    weights = {name: dequantized(arrays, key) for name, key in node["weights"].items()}
    weights.update({f"{HEAD}.{part}": dequantized(arrays, node["head"][part]) for part in ("weight", "bias")})
    before = Model(metadata, arrays)
    keys, new_arrays = onnx_arrays(weights, int(node["heads"]), float(node["eps"]))
    graph = {key: value for key, value in node.items() if key != "head"}
    graph.update({"weights": keys, "onnx": ONNX_KEY, "quantized": ONNX_QUANTIZED})
    converted = {**metadata, "graph": graph, "metrics": []}
    converted["versions"] = {**metadata.get("versions", {}), "onnxruntime": _version("onnxruntime")}
    converted["previous_metrics"] = [
        {"split": m.get("split"), "score": m.get("score"), "interval": m.get("interval")}
        for m in metadata.get("metrics", [])
    ]
    model = Model(converted, ModelArrays(new_arrays))
    score_on_dev(
        model,
        [(part, before.predict_proba(part.frame)) for part in dev],
        "the dev files, against the numpy model it was converted from (int8, one scale per 32 values)",
    )
    return _written(model, folder)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m analyzer.classify.training.encoder_export FOLDER DEV.jsonl...``: convert a
    numpy-form encoder model to the ONNX form (:func:`convert_to_onnx`)."""
    import sys

    from ..data.datasets import read_dataset

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        raise SystemExit("usage: python -m analyzer.classify.training.encoder_export FOLDER DEV.jsonl...")
    model = convert_to_onnx(args[0], [read_dataset("newsmtsc", path) for path in args[1:]])
    for m in model.metadata["metrics"]:
        print(f"{m['split']}: macro-F1 {m['score']:.4f} {m['interval']}")
    print(model.metadata["export_check"])


if __name__ == "__main__":
    main()
