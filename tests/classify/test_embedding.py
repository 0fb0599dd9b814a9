"""The NumPy sentence encoder: agreement with the sentence-transformers reference rows, padding and
batching that do not change a text's embedding, the scikit-learn transformer and the missing-package
error. The reference rows come from ``benchmarks/encoder_agreement.py --fixture`` (their command is
in the fixture file)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.classify import encoder as encoder_module
from analyzer.classify.encoder import SentenceEncoder, encoder_path, shared_encoder
from analyzer.classify.features.embedding import SentenceEmbedding
from analyzer.errors import EncoderNotFoundError
from tests.classify.contract import PARAMETER_CHECKS

FIXTURE = Path(__file__).parent / "data" / "encoder_reference.json"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec(encoder_module.ENCODER_PACKAGE) is None,
    reason="the encoder weights package is not installed (requirements-model.txt)",
)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return shared_encoder()


def test_matches_the_sentence_transformers_reference(encoder: SentenceEncoder) -> None:
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    ours = SentenceEncoder().encode(fixture["texts"])
    reference = np.asarray(fixture["embeddings"], dtype=np.float32)
    assert ours.shape == reference.shape == (len(fixture["texts"]), 384)
    assert np.abs(ours - reference).max() < 1e-5


def test_rows_are_unit_length_and_independent_of_batch_and_padding() -> None:
    texts = [
        "Short one.",
        "A much longer sentence that forces the shorter ones in its batch to be padded with zeros.",
        "Protesters gathered outside the parliament on Monday.",
    ]
    together = SentenceEncoder(batch_size=8).encode(texts)
    alone = np.vstack([SentenceEncoder().encode([text]) for text in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.abs(together - alone).max() < 1e-5


def test_similar_sentences_are_closer_than_unrelated_ones(encoder: SentenceEncoder) -> None:
    passed, approved, cake = encoder.encode(
        [
            "The senate passed the bill.",
            "Lawmakers approved the legislation.",
            "My grandmother bakes a chocolate cake every Sunday.",
        ]
    )
    assert passed @ approved > passed @ cake + 0.3


def test_repeated_texts_are_encoded_once(encoder: SentenceEncoder) -> None:
    texts = ["Repeated text for the cache.", "Repeated text for the cache."]
    first = encoder.encode(texts)
    assert "Repeated text for the cache." in encoder.cache
    assert np.array_equal(first[0], first[1])


def test_long_texts_are_cut_at_the_encoder_limit() -> None:
    vector = SentenceEncoder(max_tokens=16).encode(["word " * 1000])
    assert vector.shape == (1, 384)
    assert np.isfinite(vector).all()


@pytest.mark.parametrize("check", PARAMETER_CHECKS, ids=lambda c: c.__name__)
def test_transformer_contract(check) -> None:  # type: ignore[no-untyped-def]
    check(type(SentenceEmbedding()).__name__, SentenceEmbedding())


def test_transformer_reads_frames_and_text_lists_alike() -> None:
    texts = ["The interim government called new elections.", "Nothing to see here."]
    step = SentenceEmbedding(weight=0.5).fit(pd.DataFrame({"text": texts}))
    from_frame = step.transform(pd.DataFrame({"text": texts}))
    from_list = step.transform(texts)
    assert from_frame.shape == (2, 384)
    assert np.array_equal(from_frame, from_list)
    assert np.allclose(np.linalg.norm(from_frame, axis=1), 0.5, atol=1e-5)
    assert step.get_feature_names_out()[0] == "embedding_0"


def test_missing_package_gives_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EncoderNotFoundError, match=r"AZ202.*requirements-model.txt"):
        encoder_path()


def test_the_cache_is_bounded() -> None:
    small = SentenceEncoder(cache_size=2)
    first = small.encode(["one", "two"])
    again = small.encode(["one", "three"])  # "one" was cached; the cache is emptied before "three"
    assert len(small.cache) == 2
    assert np.abs(first[0] - again[0]).max() < 1e-5


def test_explanations_list_the_embedding_as_one_term() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from analyzer.classify.artifacts.arrays import ModelArrays
    from analyzer.classify.artifacts.explain import contributions
    from analyzer.classify.artifacts.score import GraphScorer
    from analyzer.classify.features.lexicon import LexiconCategoryCounts
    from analyzer.classify.training.export import export_estimator

    texts = [
        "Protect the unborn, every life matters.",
        "Abortion is murder and must end.",
        "My body, my choice.",
        "Safe and legal abortion is a right.",
    ]
    features = FeatureUnion([("lexicon", LexiconCategoryCounts()), ("embedding", SentenceEmbedding())])
    model = Pipeline([("features", features), ("classifier", LogisticRegression())])
    model.fit(pd.DataFrame({"text": texts}), ["against", "against", "favor", "favor"])
    graph, arrays = export_estimator(model)
    scorer = GraphScorer(graph, ModelArrays(arrays))
    terms = dict(contributions(scorer, {"text": ["Every child deserves life."]}, "against", None))
    assert "embedding: sentence meaning" in terms
    assert not any("embedding_" in name for name in terms)
