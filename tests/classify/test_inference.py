"""The fast inference path gives the estimators' own ``predict_proba``, bit for bit where it covers
them, and falls back to the estimator's method where it does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler, StandardScaler

from analyzer import ArticleInput
from analyzer.classify import inference
from analyzer.classify.columns import Columns
from analyzer.classify.training import TrainedModel
from analyzer.corpus.readers import read_corpus
from tests.conftest import SAMPLE, shared_analyzer

TEXTS = [
    "The senator praised the reform as a historic step.",
    "Critics called the plan a reckless giveaway to donors.",
    "The committee met on Tuesday to discuss the budget.",
    "Officials denied the allegations, calling them baseless smears.",
    "The report was published in March.",
    "Protesters denounced the illegitimate regime and its crackdown.",
    "Analysts said growth would likely slow next year.",
    "The minister welcomed the agreement with cautious optimism.",
] * 3
LABELS = ["a", "b", "c", "b", "c", "b", "c", "a"] * 3


@pytest.fixture(scope="module")
def model_inputs():
    """Every input (:class:`Columns`) the scorer hands to each shipped model while analysing the
    sample corpus, with user targets so that the topic model runs too."""
    analyzer = shared_analyzer()
    scorer = analyzer.scorer
    frames: dict[str, list[Columns]] = {}
    original = TrainedModel.predict_proba

    def capture(self, frame):
        frames.setdefault(self.task.name, []).append(frame)
        return original(self, frame)

    TrainedModel.predict_proba = capture
    try:
        for article in list(read_corpus(SAMPLE))[:12]:
            analyzer.analyze(article.text, targets=["abortion", "the government", "climate change"])
        batch = [ArticleInput(a.text) for a in list(read_corpus(SAMPLE))[12:28]]
        list(analyzer.analyze_many(batch, batch_size=16))
    finally:
        TrainedModel.predict_proba = original
    return scorer, frames


@pytest.mark.parametrize("task", ["sentence_bias", "entity_stance", "leaning", "topic_stance"])
def test_shipped_models_give_their_own_probabilities_bit_for_bit(model_inputs, task):
    scorer, frames = model_inputs
    estimator = scorer.model(task).estimator
    assert frames.get(task), f"the sample corpus gave {task} nothing to score"
    assert all(isinstance(frame, Columns) for frame in frames[task])
    for frame in frames[task]:
        expected = estimator.predict_proba(frame.frame())
        got = inference.predict_proba(estimator, frame)
        assert got.shape == expected.shape
        assert np.array_equal(got, expected)


def _frame(texts=TEXTS) -> pd.DataFrame:
    return pd.DataFrame({"text": texts, "group": [str(i % 4) for i in range(len(texts))]}, dtype=object)


def _text_pipeline(scaler) -> Pipeline:
    columns = ColumnTransformer([("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "text")])
    return Pipeline([("columns", columns), ("scale", scaler), ("classifier", LogisticRegression())])


@pytest.mark.parametrize(
    "scaler",
    [MaxAbsScaler(), StandardScaler(with_mean=False), "passthrough"],
)
@pytest.mark.parametrize("labels", [LABELS, [label if label == "a" else "b" for label in LABELS]])
def test_covered_steps_match_scikit_learn(scaler, labels):
    for model in (
        _text_pipeline(scaler),
        CalibratedClassifierCV(_text_pipeline(scaler), method="sigmoid", cv=3),
        CalibratedClassifierCV(_text_pipeline(scaler), method="sigmoid", cv=3, ensemble=False),
    ):
        model.fit(_frame(), labels)
        unseen = _frame([*TEXTS[:5], "", "Entirely unseen vocabulary here."])
        assert np.array_equal(inference.predict_proba(model, unseen), model.predict_proba(unseen))


def test_dense_scaling_and_weighted_union_match():
    union = FeatureUnion(
        [
            ("tfidf", Pipeline([("words", TfidfVectorizer()), ("dense", FunctionTransformer(_dense))])),
            ("length", FunctionTransformer(_lengths)),
        ],
        transformer_weights={"tfidf": 2.0},
    )
    model = Pipeline([("union", union), ("scale", StandardScaler()), ("classifier", LogisticRegression())])
    model.fit(TEXTS, LABELS)
    assert np.array_equal(inference.predict_proba(model, TEXTS), model.predict_proba(TEXTS))


def _dense(matrix):
    return matrix.toarray()


def _lengths(texts):
    return np.array([[len(t)] for t in texts], dtype=float)


def test_uncovered_settings_fall_back_to_the_estimator():
    isotonic = CalibratedClassifierCV(_text_pipeline(MaxAbsScaler()), method="isotonic", cv=3)
    isotonic.fit(_frame(), LABELS)
    remainder = ColumnTransformer(
        [("words", TfidfVectorizer(), "text")], remainder="passthrough", sparse_threshold=0.0
    )
    numeric = pd.DataFrame({"text": TEXTS, "n": np.arange(len(TEXTS), dtype=float)})
    passthrough = Pipeline([("columns", remainder), ("classifier", LogisticRegression())]).fit(
        numeric, LABELS
    )
    clipped = Pipeline(
        [
            ("words", TfidfVectorizer()),
            ("scale", MaxAbsScaler(clip=True)),
            ("classifier", LogisticRegression()),
        ]
    ).fit(TEXTS, LABELS)
    assert np.array_equal(inference.predict_proba(isotonic, _frame()), isotonic.predict_proba(_frame()))
    assert np.array_equal(inference.predict_proba(passthrough, numeric), passthrough.predict_proba(numeric))
    assert np.array_equal(inference.predict_proba(clipped, TEXTS), clipped.predict_proba(TEXTS))


def test_row_stacking_is_scipys():
    rng = np.random.default_rng(0)
    from scipy import sparse

    dense = rng.random((6, 2)) * (rng.random((6, 2)) > 0.4)
    first = sparse.random(6, 9, density=0.3, format="csr", random_state=1)
    empty = sparse.csr_matrix((6, 4))
    unsorted = sparse.csr_matrix(
        (np.array([1.0, 2.0, 3.0]), np.array([2, 0, 1]), np.array([0, 2, 2, 3, 3, 3, 3])), shape=(6, 3)
    )
    for parts in (
        [first, dense],
        [dense, first, empty],
        [dense, first, empty, unsorted],
        [empty, empty],
        [unsorted, dense],
    ):
        expected = sparse.hstack(parts).tocsr()
        got = inference._hstack(parts)
        assert got.shape == expected.shape
        assert np.array_equal(got.indptr, expected.indptr)
        assert np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data)


def test_a_single_string_is_refused_as_scikit_learn_does():
    model = _text_pipeline("passthrough").fit(_frame(), LABELS)
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        inference.transform(model.named_steps["columns"].named_transformers_["words"], "one text")


def test_logistic_regression_weights_are_kept_row_major_and_follow_a_refit():
    words = TfidfVectorizer().fit(TEXTS)
    X = words.transform(TEXTS)
    model = LogisticRegression(max_iter=1000).fit(X, LABELS)
    assert np.array_equal(inference.decision_function(model, X), model.decision_function(X))
    assert inference._weights(model).flags["C_CONTIGUOUS"]
    model.fit(X, LABELS[::-1])
    assert np.array_equal(inference.decision_function(model, X), model.decision_function(X))


@pytest.mark.parametrize("task", ["sentence_bias", "entity_stance", "leaning"])
def test_shipped_models_read_the_scorers_columns_without_a_dataframe(model_inputs, task, monkeypatch):
    """The scorer's Columns stay Columns down to the vectorizers: no step of the per-article models
    falls back to a DataFrame (which costs the time Columns are there to save)."""
    scorer, frames = model_inputs

    def refuse(self):
        raise AssertionError("a step asked for a DataFrame")

    monkeypatch.setattr(Columns, "frame", refuse)
    for frame in frames[task]:
        inference.predict_proba(scorer.model(task).estimator, frame)


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_sparse_product_is_scipys_bit_for_bit(index_dtype):
    from scipy import sparse

    rng = np.random.default_rng(0)
    X = sparse.random(30, 400, density=0.05, format="csr", random_state=1)
    X.indices, X.indptr = X.indices.astype(index_dtype), X.indptr.astype(index_dtype)
    weights = np.ascontiguousarray(rng.normal(size=(400, 3)))
    assert np.array_equal(inference._product(X, weights), X @ weights)
    assert np.array_equal(inference._product(X.toarray(), weights), X.toarray() @ weights)
    assert np.array_equal(inference._product(X, np.asfortranarray(weights)), X @ weights)
    with pytest.raises(ValueError):
        inference._product(X, weights[:10])


def test_softmax_is_scikit_learns_bit_for_bit():
    from sklearn.utils.extmath import softmax

    scores = np.random.default_rng(0).normal(scale=20, size=(50, 3))
    assert np.array_equal(inference._softmax(scores.copy()), softmax(scores.copy(), copy=False))


@pytest.mark.parametrize("left_options", [{"sublinear_tf": True}, {"sublinear_tf": False}])
def test_text_columns_joined_in_one_pass_match_scikit_learn(left_options):
    """Vectorizers with the same weighting are counted and weighted together (one pass for all
    blocks), others one by one; both give the ColumnTransformer's own matrix bit for bit."""
    from analyzer.classify.vectorize import CharNgramTfidf

    frame = pd.DataFrame(
        {"text": TEXTS, "left": [t.split()[0] for t in TEXTS], "right": [t[-20:] for t in TEXTS]},
        dtype=object,
    )
    columns = ColumnTransformer(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "text"),
            ("chars", CharNgramTfidf(ngram_range=(2, 4), sublinear_tf=True), "text"),
            ("left", TfidfVectorizer(**left_options), "left"),
            ("right", TfidfVectorizer(sublinear_tf=True), "right"),
        ]
    ).fit(frame)
    assert (
        inference._joinable([step for _, step, _ in columns.transformers_[:4]])
        == left_options["sublinear_tf"]
    )
    expected = columns.transform(frame)
    for given in (frame, Columns({name: frame[name].tolist() for name in frame.columns})):
        got = inference.transform(columns, given)
        assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data)
