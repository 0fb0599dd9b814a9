"""Models as data: the exported scorer gives the fitted pipeline's probabilities, a model folder is
checked before it is read, and the shipped models give the probabilities they gave as pickles."""

from __future__ import annotations

import gzip
import json
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.classify.artifacts.arrays import ModelArrays, decode_terms, encode_terms
from analyzer.classify.artifacts.files import (
    ModelFormatError,
    ModelIntegrityError,
    read_model,
    sha256_bytes,
    write_model,
)
from analyzer.classify.artifacts.score import GraphScorer
from analyzer.classify.model import load_model, load_word_scorer, shipped_folder
from analyzer.classify.tasks import build, get_task
from analyzer.classify.training.export import Exporter, export_estimator
from analyzer.config import CLASSIFIER_TASKS
from analyzer.errors import InputNotFoundError
from tests.conftest import ROOT

REFERENCE = ROOT / "tests" / "classify" / "data" / "shipped_reference.json.gz"
SENTENCES = [
    "The senator praised the reform as a historic step.",
    "Critics called the plan a reckless giveaway to donors.",
    "The committee met on Tuesday to discuss the budget.",
    "Officials denied the allegations, calling them baseless smears.",
    "The report was published in March.",
    "Protesters denounced the illegitimate regime and its brutal crackdown.",
    "Analysts said growth would likely slow next year.",
    "The minister welcomed the agreement with cautious optimism.",
    "Radical activists hijacked the debate with outrageous lies.",
    "The city council approved the new parking rules.",
]


def exported(estimator) -> GraphScorer:
    graph, arrays = export_estimator(estimator)
    return GraphScorer(graph, ModelArrays(arrays))


def assert_same(estimator, frame: pd.DataFrame) -> None:
    scorer = exported(estimator)
    assert scorer.classes == [str(c) for c in estimator.classes_]
    columns = {name: frame[name].tolist() for name in frame.columns}
    np.testing.assert_allclose(
        scorer.predict_proba(columns), estimator.predict_proba(frame), rtol=0, atol=1e-12
    )


def bias_frame(n: int = 60) -> pd.DataFrame:
    texts = [f"{SENTENCES[k % 10]} Item {k}." for k in range(n)]
    biased = [k % 10 in (1, 3, 5, 8) for k in range(n)]
    return pd.DataFrame(
        {
            "text": texts,
            "label": ["biased" if b else "non-biased" for b in biased],
            "group": [f"article{k // 3}" for k in range(n)],
            "biased_words": [["reckless", "smears", "brutal", "outrageous"] if b else [] for b in biased],
        }
    )


def test_sentence_bias_pipeline_exports_exactly():
    frame = bias_frame()
    estimator = build(get_task("sentence_bias"), {"news": False, "folds": 3}).fit(frame, frame["label"])
    assert_same(estimator, frame)
    unseen = pd.DataFrame({"text": ["Zyxwv quibbled outrageously.", "", "!!!"]})
    assert_same(estimator, unseen)


def test_entity_stance_pipeline_exports_exactly():
    rows = []
    for k in range(45):
        text = f"{SENTENCES[k % 10]} Mayor Smith{k % 4} agreed."
        start = text.index("Smith")
        rows.append((text, start, start + 6, ("against", "neutral", "favor")[k % 3], f"g{k // 5}"))
    frame = pd.DataFrame(rows, columns=["text", "target_start", "target_end", "label", "group"])
    estimator = build(get_task("entity_stance")).fit(frame, frame["label"])
    assert_same(estimator, frame)


def test_leaning_pipeline_exports_exactly():
    rows = []
    for k in range(120):
        label = ("left", "center", "right")[k % 3]
        text = f"Title {k}. {SENTENCES[k % 10]} The {label} view of policy {k % 7} was discussed at length today."
        rows.append((text, label, f"outlet{k % 12}"))
    frame = pd.DataFrame(rows, columns=["text", "label", "group"])
    estimator = build(get_task("leaning"), {"max_features": 200}).fit(frame, frame["label"])
    assert_same(estimator, frame)


def test_topic_stance_pipeline_exports_exactly_with_a_single_class_topic():
    rows = [(SENTENCES[k % 10], ("against", "none", "favor")[k % 3], "Atheism") for k in range(30)]
    rows += [(SENTENCES[k % 10], "none", "Feminist Movement") for k in range(12)]
    frame = pd.DataFrame(rows, columns=["text", "label", "target"])
    estimator = build(get_task("topic_stance"), {"embedding_weight": 0.0}).fit(frame, frame["label"])
    frame = pd.concat(
        [frame, pd.DataFrame({"text": ["Unseen topic."], "label": ["none"], "target": ["Other"]})]
    )
    assert_same(estimator, frame)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), min_size=2, max_size=6),
    analyzer=st.sampled_from(["word", "char_wb"]),
    ngram_range=st.sampled_from([(1, 1), (1, 2), (2, 3), (2, 5)]),
    lowercase=st.booleans(),
    sublinear_tf=st.booleans(),
    norm=st.sampled_from(["l2", "l1", None]),
    binary=st.booleans(),
)
def test_tfidf_matches_scikit_learn_on_any_text(
    texts, analyzer, ngram_range, lowercase, sublinear_tf, norm, binary
):
    vectorizer = TfidfVectorizer(
        analyzer=analyzer, ngram_range=ngram_range, lowercase=lowercase, sublinear_tf=sublinear_tf,
        norm=norm, binary=binary,
    )  # fmt: skip
    try:
        vectorizer.fit([*texts, "some plain words to fit"])
    except ValueError:  # an empty vocabulary
        return
    exporter = Exporter()
    node = exporter.features(vectorizer, "tfidf")
    scorer = GraphScorer({"classes": []}, ModelArrays(exporter.arrays))
    ours = scorer.features(node, {"text": texts}).toarray()
    np.testing.assert_allclose(ours, vectorizer.transform(texts).toarray(), rtol=0, atol=1e-12)


def test_unknown_steps_are_refused_by_name():
    from sklearn.preprocessing import FunctionTransformer

    with pytest.raises(ValueError, match="FunctionTransformer"):
        Exporter().features(FunctionTransformer(), "x")
    with pytest.raises(ValueError, match="unknown classifier op"):
        GraphScorer({"op": "mystery", "classes": ["a"]}, ModelArrays({})).predict_proba({"text": ["x"]})


@given(st.lists(st.text()))
def test_term_lists_round_trip(terms):
    assert decode_terms(*encode_terms(terms)) == terms


# Files ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fitted_bias():
    frame = bias_frame()
    estimator = build(get_task("sentence_bias"), {"news": False, "folds": 3}).fit(frame, frame["label"])
    return estimator, frame, *export_estimator(estimator)


@pytest.fixture()
def saved(tmp_path, fitted_bias):
    estimator, frame, graph, arrays = fitted_bias
    folder = write_model(
        tmp_path / "m", {"task": "sentence_bias", "labels": ["biased", "non-biased"], "graph": graph}, arrays
    )
    return folder, estimator, frame


def test_round_trip(saved):
    folder, estimator, frame = saved
    metadata, arrays = read_model(folder)
    scorer = GraphScorer(metadata["graph"], arrays)
    np.testing.assert_allclose(
        scorer.predict_proba({"text": frame["text"].tolist()}), estimator.predict_proba(frame), atol=1e-12
    )
    assert arrays.sha256 == sha256_bytes((folder / "model.npz").read_bytes())
    model = load_model("sentence_bias", str(folder))
    assert model.predict(frame.head(2)) == list(estimator.predict(frame.head(2)))


@pytest.mark.parametrize("name", ["model.npz", "model.json"])
def test_a_modified_or_truncated_file_is_refused(saved, name):
    folder, _, _ = saved
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data + b" ")
    with pytest.raises(ModelIntegrityError, match=f"{name}.*does not match its sidecar"):
        read_model(folder)
    (folder / name).write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelIntegrityError, match="does not match"):
        read_model(folder)


def test_missing_sidecar_missing_file_and_old_pickles_are_refused(saved, tmp_path):
    folder, _, _ = saved
    (folder / "model.npz").unlink()
    with pytest.raises(InputNotFoundError, match=r"model\.npz"):
        read_model(folder)
    (folder / "model.sha256").unlink()
    with pytest.raises(ModelIntegrityError, match=r"model\.sha256 is missing"):
        read_model(folder)
    old = tmp_path / "old"
    old.mkdir()
    (old / "model.joblib").write_bytes(b"not loaded")
    with pytest.raises(ModelFormatError, match=r"model\.joblib: a pickled model.*retrain"):
        read_model(old)


def test_wrong_format_version_and_pickled_arrays_get_one_line_errors(saved):
    folder, _, _ = saved
    document = json.loads((folder / "model.json").read_text())
    arrays = dict(np.load(folder / "model.npz"))
    write_model(folder, {**document, "format_version": 99}, arrays)  # a consistent sidecar, a newer format
    with pytest.raises(ModelFormatError, match=r"model\.json: format version 99") as caught:
        read_model(folder)
    assert "\n" not in str(caught.value)
    with pytest.raises(ValueError, match="Python objects"):
        write_model(folder, document, {"x": np.array([{"a": 1}], dtype=object)})


def test_an_npz_that_needs_pickle_is_refused_even_with_a_matching_sidecar(saved):
    folder, _, _ = saved
    np.savez(folder / "model.npz", x=np.array([{"runs": "code"}], dtype=object))
    lines = (folder / "model.sha256").read_text().splitlines()
    lines[1] = f"{sha256_bytes((folder / 'model.npz').read_bytes())}  model.npz"
    (folder / "model.sha256").write_text("\n".join(lines) + "\n")
    with pytest.raises(ModelFormatError, match=r"model\.npz: not a readable .npz"):
        read_model(folder)


# Shipped models -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference():
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as handle:
        return json.load(handle)["models"]


FLOAT32_TOLERANCE = 1e-6
"""Topic stance reads a sentence embedding computed in float32, whose last bits depend on how many
threads the matrix products use (up to 2.5e-7 in probability between one and two threads); the
other models compute in float64 and are held to 1e-9."""


@pytest.mark.parametrize("task", CLASSIFIER_TASKS)
def test_shipped_models_give_the_probabilities_of_their_pickled_pipelines(reference, task):
    expected = reference[task]
    model = load_model(task)
    probs = model.scorer.predict_proba(expected["inputs"])
    probs = probs[:, [model.scorer.classes.index(c) for c in expected["classes"]]]
    tolerance = FLOAT32_TOLERANCE if task == "topic_stance" else 1e-9
    np.testing.assert_allclose(probs, np.array(expected["probabilities"]), rtol=0, atol=tolerance)


def test_shipped_loaded_word_model_gives_the_scores_of_its_pickled_pipeline(reference):
    rows = reference["loaded_words"]
    scorer, _ = load_word_scorer()
    p_sentence = scorer.sentence_probability(rows["sentences"])
    np.testing.assert_allclose(p_sentence, rows["sentence_probability"], rtol=0, atol=1e-9)
    scores = scorer.score_features(
        rows["features"], rows["pos"], p_sentence[rows["sentence_of"]], rows["words"], rows["lemmas"]
    )
    np.testing.assert_allclose(scores, rows["scores"], rtol=0, atol=1e-9)


def test_a_shipped_model_copied_elsewhere_loads_and_a_changed_copy_does_not(tmp_path):
    copy = shutil.copytree(shipped_folder("leaning"), tmp_path / "leaning")
    assert load_model("leaning", str(copy)).labels == ("left", "center", "right")
    with (copy / "model.npz").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelIntegrityError):
        read_model(copy)


# Each shipped task's pipeline on its real data --------------------------------------------------

DATA = ROOT.parent / "shared" / "data"
REAL = {
    "sentence_bias": ("babe", "babe", {"folds": 3}),
    "entity_stance": ("newsmtsc", "newsmtsc/train.jsonl", {}),
    "leaning": ("allsides", "allsides_baly2020/articles_media_valid.jsonl.gz", {"max_features": 20000}),
    "topic_stance": ("semeval", "semeval2016_stance_tweeteval", {}),
}


@pytest.mark.slow
@pytest.mark.parametrize("task", list(REAL))
def test_each_shipped_tasks_pipeline_exports_exactly_on_real_rows(task):
    """The shipped models' recipe (the task's pipeline with its default settings, on a sample of its
    real training data) gives the same probabilities exported as fitted, on real rows it did not see."""
    from analyzer import read_dataset
    from analyzer.classify.features.newsstats import build_word_stats

    reader, path, options = REAL[task]
    if not (DATA / path).exists():
        pytest.skip(f"{DATA / path} not found (../shared/data is not part of the repository)")
    frame = read_dataset(reader, DATA / path).frame.sample(frac=1.0, random_state=0).reset_index(drop=True)
    train, held = frame.head(700), frame.iloc[700:900]
    if (
        task == "sentence_bias"
    ):  # small news statistics from the sample's own text (the AllSides ones take minutes)
        texts = train["text"].tolist()
        leanings = [("left", "center", "right")[k % 3] for k in range(len(texts))]
        options = {
            **options,
            "news": build_word_stats(texts, leanings, vocabulary=1500, window=3, dimensions=8),
        }
    estimator = build(get_task(task), options).fit(train, train["label"])
    assert_same(estimator, held)
