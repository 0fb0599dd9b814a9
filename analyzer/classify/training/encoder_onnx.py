"""The entity-stance encoder's layers and head as an ONNX graph, with int8 weights (export time only).

What. :func:`layers_graph` writes the six BERT layers and the linear head of a fine-tuned encoder
as an ONNX graph (opset 17): input ``x``, the embedding layer's output (rows, pieces, width), and
``blocked``, the additive attention mask (rows, 1, 1, pieces; 0 for a real piece, a large negative
number for padding); output ``logits`` of the first piece (rows, classes). The last layer computes
the first piece's state only, as the numpy forward pass does. :func:`quantized_graph` stores its
matrices as int8 with one scale per output column (ONNX Runtime's dynamic quantization: the
activations are quantized per call), the form the analysis runs.

Why. ONNX Runtime's int8 kernels run this graph about 2.5 times faster than the float32 numpy pass
on one core (``benchmarks/encoder_stance_cost.py``); the encoder is the analysis' largest cost. The
graph is data: loading it runs no code from the file. The embedding layer stays in numpy (it is a
table look-up, and the word table is the encoder package's file, not copied into the model).

Needs the ``onnx`` package (the ``dev`` and ``train`` extras); the analysis needs only
``onnxruntime``.

    python -m analyzer.classify.training.encoder_export models/entity_stance_encoder DEV.jsonl...

converts a model folder whose layers are numpy arrays to this form, re-scores it on the dev files
given, and rewrites its card.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

OPSET = 17
LAYER = "encoder.layer."


class _GraphBuilder:
    """Nodes and constant tensors of one graph, named in order."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.constants: list = []

    def constant(self, array: np.ndarray) -> str:
        from onnx import numpy_helper

        name = f"c{len(self.constants)}"
        self.constants.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], output: str | None = None, **attributes: object) -> str:
        from onnx import helper

        name = output or f"{op.lower()}{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, **attributes))
        return name

    def dense(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """``x @ weight.T + bias`` for a matrix stored as (out, in), as BERT stores them."""
        product = self.node("MatMul", [x, self.constant(np.ascontiguousarray(weight.T, dtype=np.float32))])
        return self.node("Add", [product, self.constant(np.asarray(bias, dtype=np.float32))])

    def layer_norm(self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float) -> str:
        return self.node(
            "LayerNormalization",
            [
                x,
                self.constant(np.asarray(weight, dtype=np.float32)),
                self.constant(np.asarray(bias, np.float32)),
            ],
            axis=-1,
            epsilon=eps,
        )


def layers_graph(
    weights: Mapping[str, np.ndarray], head_weight: np.ndarray, head_bias: np.ndarray, heads: int, eps: float
) -> bytes:
    """The float32 ONNX graph (serialised) of the ``encoder.layer.*`` weights (BERT names, matrices
    as (out, in)) and the head (``head_weight`` (classes, width), ``head_bias``); see the module
    docstring for its inputs and output."""
    import onnx
    from onnx import TensorProto, helper

    count = len({name.split(".")[2] for name in weights if name.startswith(LAYER)})
    width = int(np.asarray(weights[f"{LAYER}0.attention.self.query.weight"]).shape[0])
    size = width // heads
    g = _GraphBuilder()
    split_heads = g.constant(np.array([0, -1, heads, size], dtype=np.int64))
    join_heads = g.constant(np.array([0, -1, width], dtype=np.int64))
    scale = g.constant(np.array(1.0 / np.sqrt(size), dtype=np.float32))
    half, one = g.constant(np.array(0.5, np.float32)), g.constant(np.array(1.0, np.float32))
    root_half = g.constant(np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    first = [g.constant(np.array([v], dtype=np.int64)) for v in (0, 1, 1)]  # starts, ends, axes

    x = "x"
    for i in range(count):
        w = {name.removeprefix(f"{LAYER}{i}."): np.asarray(value) for name, value in weights.items()
             if name.startswith(f"{LAYER}{i}.")}  # fmt: skip
        queries = g.node("Slice", [x, *first]) if i == count - 1 else x

        def split(rows: str, name: str, perm: list[int], w: dict = w) -> str:
            projected = g.dense(rows, w[f"attention.self.{name}.weight"], w[f"attention.self.{name}.bias"])
            return g.node("Transpose", [g.node("Reshape", [projected, split_heads])], perm=perm)

        q = split(queries, "query", [0, 2, 1, 3])
        k = split(x, "key", [0, 2, 3, 1])
        v = split(x, "value", [0, 2, 1, 3])
        scores = g.node("Add", [g.node("Mul", [g.node("MatMul", [q, k]), scale]), "blocked"])
        attention = g.node("Softmax", [scores], axis=-1)
        context = g.node("Transpose", [g.node("MatMul", [attention, v])], perm=[0, 2, 1, 3])
        attended = g.dense(g.node("Reshape", [context, join_heads]), w["attention.output.dense.weight"],
                           w["attention.output.dense.bias"])  # fmt: skip
        hidden = g.layer_norm(g.node("Add", [attended, queries]), w["attention.output.LayerNorm.weight"],
                              w["attention.output.LayerNorm.bias"], eps)  # fmt: skip
        inner = g.dense(hidden, w["intermediate.dense.weight"], w["intermediate.dense.bias"])
        erf = g.node("Erf", [g.node("Mul", [inner, root_half])])
        gelu = g.node("Mul", [g.node("Mul", [inner, half]), g.node("Add", [erf, one])])
        out = g.dense(gelu, w["output.dense.weight"], w["output.dense.bias"])
        x = g.layer_norm(
            g.node("Add", [out, hidden]), w["output.LayerNorm.weight"], w["output.LayerNorm.bias"], eps
        )
    state = g.node("Gather", [x, g.constant(np.array(0, dtype=np.int64))], axis=1)
    logits = g.node(
        "MatMul", [state, g.constant(np.ascontiguousarray(np.asarray(head_weight, np.float32).T))]
    )
    g.node("Add", [logits, g.constant(np.asarray(head_bias, dtype=np.float32))], output="logits")
    classes = int(np.asarray(head_bias).shape[0])
    graph = helper.make_graph(
        g.nodes,
        "entity_stance_layers",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", "pieces", width]),
            helper.make_tensor_value_info("blocked", TensorProto.FLOAT, ["rows", 1, 1, "pieces"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["rows", classes])],
        g.constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="analyzer")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def quantized_graph(graph: bytes) -> bytes:
    """``graph`` with int8 matrices, one scale per output column (ONNX Runtime's dynamic
    quantization of every MatMul with a constant operand)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # it advises "pre-processing" (shape inference) on every call
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source, target = Path(tmp) / "float32.onnx", Path(tmp) / "int8.onnx"
            source.write_bytes(graph)
            quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=True)
            return target.read_bytes()
    finally:
        root.setLevel(level)
