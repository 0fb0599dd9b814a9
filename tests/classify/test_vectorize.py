"""The fast vectorizers give exactly scikit-learn's TF-IDF, and their caches stay out of pickles and bounded."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.classify.vectorize import (
    CharNgramTfidf,
    HashedVocabulary,
    LastBatchMemo,
    Terms,
    analyse_terms,
    csr,
    csr_from_dense,
    hashed_vocabulary,
    joined_tfidf,
    occurrences,
    tfidf_from_terms,
)

TRAIN = [
    "The radical senator pushed a reckless giveaway.",
    "Officials said the budget passed on Tuesday.",
    "Critics called the plan a scam; supporters called it a lifeline.",
    "Añez was sworn in as interim president.",
    "The regime's illegitimate leader fled.",
] * 3


@pytest.mark.parametrize(
    "options",
    [
        {"ngram_range": (2, 5), "sublinear_tf": True, "min_df": 2},
        {"ngram_range": (1, 3)},
        {"ngram_range": (3, 4), "norm": None, "use_idf": False},
        {"ngram_range": (2, 4), "norm": "l1", "lowercase": False},
    ],
)
def test_same_matrix_as_scikit_learn(options):
    texts = [*TRAIN, "", "   ", "Ünïcode  \t tabs\nand  double  spaces", "x", "A B C D"]
    expected = TfidfVectorizer(analyzer="char_wb", **options).fit(TRAIN).transform(texts)
    fast = CharNgramTfidf(**options).fit(TRAIN)
    assert abs(expected - fast.transform(texts)).max() < 1e-12
    assert abs(expected - fast.transform(texts)).max() < 1e-12  # warm cache
    assert list(fast.get_feature_names_out()) == list(
        TfidfVectorizer(analyzer="char_wb", **options).fit(TRAIN).get_feature_names_out()
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=5))
def test_same_matrix_on_arbitrary_text(texts):
    expected = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).fit(TRAIN).transform(texts)
    got = CharNgramTfidf(ngram_range=(2, 5)).fit(TRAIN).transform(texts)
    assert expected.shape == got.shape
    assert np.allclose(expected.toarray(), got.toarray(), atol=1e-12)


def test_pickle_drops_the_word_cache():
    fast = CharNgramTfidf().fit(TRAIN)
    fast.transform(TRAIN)
    restored = pickle.loads(pickle.dumps(fast))
    assert "_word_columns" not in restored.__dict__
    assert abs(restored.transform(TRAIN) - fast.transform(TRAIN)).max() == 0


def test_a_single_string_is_refused():
    with pytest.raises(ValueError, match="Iterable"):
        CharNgramTfidf().fit(TRAIN).transform("one text")


@pytest.mark.parametrize(
    "options",
    [
        {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2},
        {"ngram_range": (1, 1), "norm": "l1", "use_idf": False},
        {"ngram_range": (1, 3), "binary": True, "norm": None},
    ],
)
def test_tfidf_from_terms_is_the_vectorizers_transform(options):
    texts = ["", *TRAIN, "", "unseen words only", "The the THE senator senator", ""]
    vectorizer = TfidfVectorizer(**options).fit(TRAIN)
    expected = vectorizer.transform(texts)
    got = tfidf_from_terms(vectorizer, analyse_terms(vectorizer, texts))
    assert expected.shape == got.shape
    assert np.array_equal(expected.indptr, got.indptr) and np.array_equal(expected.indices, got.indices)
    assert np.array_equal(expected.data, got.data)


def test_last_batch_memo_keeps_one_batch_per_key():
    calls = []
    memo = LastBatchMemo(limit=3)

    def compute(texts):
        calls.append(list(texts))
        return [len(t) for t in texts]

    assert memo.get("k", ["a", "bb"], compute) == [1, 2]
    assert memo.get("k", ["a", "bb"], compute) == [1, 2] and len(calls) == 1
    assert memo.get("other", ["a", "bb"], compute) == [1, 2] and len(calls) == 2
    memo.get("k", ["c"], compute)
    memo.get("k", ["a", "bb"], compute)
    assert len(calls) == 4
    memo.get("k", ["a", "b", "c", "d"], compute)
    memo.get("k", ["a", "b", "c", "d"], compute)
    assert len(calls) == 6  # batches over the limit are not kept


def test_a_refit_starts_a_new_word_cache():
    fast = CharNgramTfidf().fit(TRAIN)
    fast.transform(TRAIN)
    other = ["completely different words here", "and more of them"] * 2
    expected = CharNgramTfidf().fit(other).transform(TRAIN)
    assert abs(fast.fit(other).transform(TRAIN) - expected).max() == 0


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(max_size=80), min_size=1, max_size=4),
    st.sampled_from(
        [
            {"ngram_range": (1, 2)},
            {"ngram_range": (1, 1), "lowercase": False},
            {"ngram_range": (1, 2), "token_pattern": r"(?u)\b(\w)\w*\b"},
            {"ngram_range": (1, 3)},
            {"ngram_range": (1, 2), "stop_words": "english"},
        ]
    ),
)
def test_analysed_terms_are_the_analyzers_terms_in_its_order(texts, options):
    vectorizer = TfidfVectorizer(**options)
    analyze = vectorizer.build_analyzer()
    batch = analyse_terms(vectorizer, texts)
    expected = [analyze(text) for text in texts]
    assert batch.terms == [term for terms in expected for term in terms]
    assert batch.lengths.tolist() == [len(terms) for terms in expected]
    assert batch.rows.tolist() == [row for row, terms in enumerate(expected) for _ in terms]


@pytest.mark.parametrize(
    "array",
    [
        np.array([[0.0, 1.5, 0.0], [0.0, 0.0, 0.0], [-0.0, np.nan, 2.0]]),
        np.zeros((0, 4)),
        np.zeros((3, 0)),
        np.random.default_rng(0).random((7, 5)) * (np.random.default_rng(1).random((7, 5)) > 0.5),
    ],
)
def test_csr_from_dense_is_scipys(array):
    expected, got = csr_matrix(array), csr_from_dense(array)
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data, equal_nan=True)


@pytest.mark.parametrize("index_dtype", [np.int64, np.int32])
@pytest.mark.parametrize("shape", [(3, 7), (0, 5), (2, 0)])
def test_csr_is_scipys_construction_attribute_by_attribute(index_dtype, shape):
    rng = np.random.default_rng(0)
    dense = rng.random(shape) * (rng.random(shape) > 0.5)
    rows, columns = np.nonzero(dense)
    indptr = np.concatenate(([0], np.cumsum((dense != 0).sum(axis=1)))).astype(index_dtype)
    arrays = (dense[rows, columns], columns.astype(index_dtype), indptr)
    expected, got = csr_matrix(arrays, shape=shape), csr(*arrays, shape)
    assert type(got) is type(expected) and set(vars(got)) == set(vars(expected))
    for name, value in vars(expected).items():
        if isinstance(value, np.ndarray):
            assert getattr(got, name).dtype == value.dtype and np.array_equal(getattr(got, name), value)
        else:
            assert getattr(got, name) == value
    assert np.array_equal((got @ np.ones((shape[1], 2))), (expected @ np.ones((shape[1], 2))))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=40))
def test_hashed_vocabulary_finds_what_the_dict_finds(terms):
    vocabulary = TfidfVectorizer(ngram_range=(1, 2)).fit(TRAIN).vocabulary_
    queries = [*terms, *list(vocabulary)[::3]]
    expected = [vocabulary.get(term, -1) for term in queries]
    assert HashedVocabulary(vocabulary).columns(queries).tolist() == expected
    assert HashedVocabulary({}).columns(queries).tolist() == [-1] * len(queries)
    batch = Terms(queries, [len(terms), len(queries) - len(terms)])
    rows, columns = HashedVocabulary(vocabulary).entries(batch)
    found = sorted(
        (row, column) for row, column in zip(batch.rows.tolist(), expected, strict=True) if column >= 0
    )
    assert sorted(zip(rows.tolist(), columns.tolist(), strict=True)) == found


class _SameHash(str):
    """A string whose hash collides with every other _SameHash."""

    def __hash__(self) -> int:
        return 7


def test_hashed_vocabulary_falls_back_to_the_dict_when_terms_share_a_hash():
    vocabulary = {_SameHash("radical"): 0, _SameHash("reckless"): 1}
    table = HashedVocabulary(vocabulary)
    assert not table.distinct
    assert table.columns([_SameHash("reckless"), _SameHash("calm")]).tolist() == [1, -1]
    rows, columns = table.entries(
        Terms([_SameHash("calm"), _SameHash("radical"), _SameHash("reckless")], [1, 2])
    )
    assert rows.tolist() == [1, 1] and columns.tolist() == [0, 1]


def test_hashed_vocabulary_is_rebuilt_after_a_refit_and_left_out_of_pickles():
    vectorizer = TfidfVectorizer().fit(TRAIN[:2])
    first = hashed_vocabulary(vectorizer)
    assert hashed_vocabulary(vectorizer) is first
    vectorizer.fit(TRAIN)
    assert hashed_vocabulary(vectorizer) is not first
    assert hashed_vocabulary(vectorizer).vocabulary is vectorizer.vocabulary_
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert not any(isinstance(value, HashedVocabulary) for value in vars(restored).values())
    assert hashed_vocabulary(restored).columns(["radical", "zzz"]).tolist() == [
        vectorizer.vocabulary_["radical"],
        -1,
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"sublinear_tf": True},
        {"norm": "l1", "use_idf": False},
        {"norm": None, "binary": True},
    ],
)
def test_joined_tfidf_is_the_hstack_of_each_vectorizers_rows(options):
    texts = ["", *TRAIN, "unseen words only", "The the THE senator senator", " "]
    char_options = {k: v for k, v in options.items() if k != "binary"}
    vectorizers = [
        TfidfVectorizer(ngram_range=(1, 2), **options).fit(TRAIN),
        CharNgramTfidf(ngram_range=(2, 4), **char_options).fit(TRAIN),
        TfidfVectorizer(**options).fit(TRAIN[:4]),
    ]
    if "binary" in options:
        vectorizers = [vectorizers[0], vectorizers[2]]
    inputs = [texts, [t.upper() for t in texts], texts[::-1]][: len(vectorizers)]
    expected = hstack([v.transform(docs) for v, docs in zip(vectorizers, inputs, strict=True)], format="csr")
    found = [occurrences(v, docs) for v, docs in zip(vectorizers, inputs, strict=True)]
    got = joined_tfidf(vectorizers, found, len(texts))
    assert got.shape == expected.shape and got.has_sorted_indices
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
    assert joined_tfidf(vectorizers[:1], [occurrences(vectorizers[0], [])], 0).shape == (
        0,
        len(vectorizers[0].vocabulary_),
    )


def _split_lazily(text):
    return (word for word in text.split())


def test_an_analyzer_returning_a_generator_is_read_as_scikit_learn_reads_it():
    vectorizer = TfidfVectorizer(analyzer=_split_lazily).fit(TRAIN)
    texts = ["", *TRAIN[:3], "unseen words only"]
    batch = analyse_terms(vectorizer, texts)
    assert batch.lengths.tolist() == [len(t.split()) for t in texts]
    got = tfidf_from_terms(vectorizer, batch)
    expected = vectorizer.transform(texts)
    assert np.array_equal(got.indices, expected.indices) and np.array_equal(got.data, expected.data)
