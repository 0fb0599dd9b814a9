"""A tiny BERT encoder package built on the spot (no download): a word-piece tokenizer over a few
dozen words, two layers of width 16, random weights; written as the real package lays its files
out (``model.safetensors``, ``tokenizer.json``, ``config.json``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

WORDS = tuple(
    [
        "the",
        "a",
        "of",
        "to",
        "and",
        "in",
        "on",
        "said",
        "was",
        "is",
        "for",
        "that",
        "with",
        "by",
        "as",
        "his",
        "her",
        "he",
        "she",
        "they",
        "senator",
        "president",
        "party",
        "leader",
        "court",
        "police",
        "voters",
        "protest",
        "protesters",
        "critics",
        "praised",
        "attacked",
        "blamed",
        "supported",
        "condemned",
        "welcomed",
        "crisis",
        "deal",
        "plan",
        "bill",
        "new",
        "old",
        "good",
        "bad",
        "morales",
        "trump",
        "clinton",
        "oas",
        "government",
        "election",
        "coup",
        "interim",
    ]
)
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCTUATION = list("[].,;:!?'\"()-")
CONFIG = {
    "hidden_size": 16,
    "num_attention_heads": 2,
    "num_hidden_layers": 2,
    "intermediate_size": 32,
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": 64,
    "type_vocab_size": 2,
}


def vocabulary() -> dict[str, int]:
    tokens = [*SPECIAL, *PUNCTUATION, *WORDS, "##s", "##ed", "##ing"]
    return {token: i for i, token in enumerate(tokens)}


def tiny_weights(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    width, inner = CONFIG["hidden_size"], CONFIG["intermediate_size"]

    def normal(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.3).astype(np.float32)

    weights = {
        "embeddings.word_embeddings.weight": normal(len(vocabulary()), width),
        "embeddings.position_embeddings.weight": normal(CONFIG["max_position_embeddings"], width),
        "embeddings.token_type_embeddings.weight": normal(2, width),
        "embeddings.LayerNorm.weight": 1 + normal(width),
        "embeddings.LayerNorm.bias": normal(width),
    }
    for i in range(CONFIG["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            weights[f"{p}attention.self.{name}.weight"] = normal(width, width)
            weights[f"{p}attention.self.{name}.bias"] = normal(width)
        weights[f"{p}attention.output.dense.weight"] = normal(width, width)
        weights[f"{p}attention.output.dense.bias"] = normal(width)
        weights[f"{p}attention.output.LayerNorm.weight"] = 1 + normal(width)
        weights[f"{p}attention.output.LayerNorm.bias"] = normal(width)
        weights[f"{p}intermediate.dense.weight"] = normal(inner, width)
        weights[f"{p}intermediate.dense.bias"] = normal(inner)
        weights[f"{p}output.dense.weight"] = normal(width, inner)
        weights[f"{p}output.dense.bias"] = normal(width)
        weights[f"{p}output.LayerNorm.weight"] = 1 + normal(width)
        weights[f"{p}output.LayerNorm.bias"] = normal(width)
    return weights


def build_package(folder: Path, seed: int = 0) -> Path:
    """Write the tiny encoder's files into ``folder`` and return it."""
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece

    vocab = vocabulary()
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    save_file(tiny_weights(seed), str(folder / "model.safetensors"))
    return folder


def use_package(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make every module that finds the encoder package find ``folder`` instead."""
    from analyzer.classify import encoder
    from analyzer.classify.artifacts import stance
    from analyzer.classify.training import encoder_export

    for module in (encoder, stance, encoder_export):
        monkeypatch.setattr(module, "encoder_path", lambda: folder)


def trained_weights(folder: Path, seed: int = 1) -> dict[str, np.ndarray]:
    """ "Fine-tuned" parameters for the tiny package: its own minus the word embeddings, plus a head."""
    from safetensors.numpy import load_file

    weights = {k: v for k, v in load_file(str(folder / "model.safetensors")).items() if "word_" not in k}
    rng = np.random.default_rng(seed)
    weights["head.weight"] = (rng.standard_normal((3, CONFIG["hidden_size"])) * 0.5).astype(np.float32)
    weights["head.bias"] = np.array([0.1, 0.0, -0.1], dtype=np.float32)
    return weights
