"""Entity stance from a fine-tuned encoder, run with numpy: the ``encoder_stance`` graph node.

The node names the encoder's input settings (``window`` words on each side of the bracketed
target, ``max_tokens``), its arrays in ``model.npz`` by BERT name, and the package whose
word-embedding table and tokenizer it uses (``encoder``: the module, and the SHA-256 of
``model.safetensors`` and ``tokenizer.json`` the model was trained with). Matrices may be stored
as int8 with float32 scales (key + ``.scale``: one per row, or one per equal group of a row): they are multiplied back to float32
once, when the model is loaded, and the forward pass runs in float32
(:class:`~analyzer.classify.encoder.Bert`).

When the node names an ``onnx`` graph (an array of its bytes in ``model.npz``), the layers and the
head run in ONNX Runtime with int8 weights, on one thread, and only the embedding layer in numpy
(:mod:`analyzer.classify.training.encoder_onnx` writes the graph); otherwise all of it runs in
numpy. The graph is data: ONNX Runtime reads it without running code from the file.

In numpy the rows of one call are encoded together, in batches of similar length; ONNX Runtime runs
each row alone (see :meth:`EncoderStance.probabilities`). Only the first token's state of the last
layer is computed in full (the head reads nothing else).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import softmax

from ...errors import EncoderNotFoundError
from ..encoder import ENCODER_PACKAGE, Bert, PairInputs, encoder_path, package_weights, pair_inputs
from .arrays import ModelArrays

SCALE = ".scale"
"""Key suffix of the per-row scales of an int8 matrix."""
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
BATCH_ROWS = 32


def dequantized(arrays: ModelArrays | Mapping[str, np.ndarray], key: str) -> np.ndarray:
    """The float32 array under ``key``: when ``key + ".scale"`` is stored, the int8 matrix times its
    scales (one per row, or (rows, groups): one per equal group of each row), else the array."""
    array = arrays[key]
    if key + SCALE not in arrays:
        return np.asarray(array, dtype=np.float32)
    scale = np.asarray(arrays[key + SCALE], dtype=np.float32).reshape(array.shape[0], -1)
    rows, columns = array.shape
    blocks = array.astype(np.float32).reshape(rows, scale.shape[1], columns // scale.shape[1])
    return (blocks * scale[:, :, None]).reshape(rows, columns)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_package(expected: Mapping[str, str]) -> Path:
    """The encoder package's folder, after checking that each file of ``expected`` (name -> SHA-256)
    is there and unchanged (a coded one-line error naming the file otherwise)."""
    folder = encoder_path()
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            raise EncoderNotFoundError(ENCODER_PACKAGE, f"{path} is missing")
        actual = file_sha256(path)
        if actual != digest:
            raise EncoderNotFoundError(
                ENCODER_PACKAGE,
                f"{path}: sha256 {actual[:12]}… is not the {digest[:12]}… the entity-stance encoder was "
                "trained with (a corrupt or different file)",
            )
    return folder


class EncoderStance:
    """Probabilities of an ``encoder_stance`` node (see the module docstring) for columns ``text``,
    ``target_start`` and ``target_end`` (the target's character offsets in the text)."""

    def __init__(self, node: dict[str, Any], arrays: ModelArrays, folder: Path | None = None) -> None:
        self.node = node
        self.folder = folder or checked_package(node["encoder"]["sha256"])
        weights = {name: dequantized(arrays, key) for name, key in node["weights"].items()}
        if WORD_EMBEDDINGS not in weights:
            weights[WORD_EMBEDDINGS] = package_weights(self.folder)[WORD_EMBEDDINGS]
        self.bert = Bert(weights, int(node["heads"]), float(node["eps"]))
        self.session = _session(arrays[node["onnx"]].tobytes()) if node.get("onnx") else None
        if self.session is None:
            self.head_weight = dequantized(arrays, node["head"]["weight"]).T.copy()
            self.head_bias = dequantized(arrays, node["head"]["bias"])
        self.window = node["input"]["window"]
        self.max_tokens = int(node["input"]["max_tokens"])

    def inputs(self, columns: Mapping[str, Sequence[Any]]) -> PairInputs:
        texts = [value if isinstance(value, str) else str(value) for value in columns["text"]]
        return pair_inputs(
            texts, columns["target_start"], columns["target_end"], self.window, self.max_tokens, self.folder
        )

    def truncated(self, columns: Mapping[str, Sequence[Any]]) -> list[bool]:
        """Per row: whether its input was longer than the encoder's ``max_tokens`` and cut."""
        return self.inputs(columns).truncated

    def probabilities(self, columns: Mapping[str, Sequence[Any]]) -> np.ndarray:
        inputs = self.inputs(columns)
        order = np.argsort(inputs.lengths(), kind="stable")
        logits = np.zeros((len(order), len(self.node["classes"])), dtype=np.float32)
        # ONNX Runtime quantizes activations with one scale per call: each row is run alone, so that
        # its probabilities do not depend on the other rows (as fast as batches of 32 here).
        size = 1 if self.session is not None else BATCH_ROWS
        for begin in range(0, len(order), size):
            rows = order[begin : begin + size]
            tokens, segments, mask = Bert.padded(
                [inputs.ids[i] for i in rows], [inputs.types[i] for i in rows]
            )
            if self.session is not None:
                feed = {"x": self.bert.embedded(tokens, segments), "blocked": Bert.blocked(mask)}
                logits[rows] = self.session.run(["logits"], feed)[0]
            else:
                first = self.bert.hidden(tokens, segments, mask, first_only=True)[:, 0]
                logits[rows] = first @ self.head_weight + self.head_bias
        return softmax(logits.astype(np.float64), axis=1)


def _session(graph: bytes):  # type: ignore[no-untyped-def]
    """An ONNX Runtime session of ``graph`` on one thread (a batch worker uses one core)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
