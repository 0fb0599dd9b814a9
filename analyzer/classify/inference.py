"""Fast inference: a fitted model's ``predict_proba`` without scikit-learn's per-call overhead.

Why. ``Analyzer.analyze`` scores one article at a time: a few dozen sentences and mentions. For
inputs that small, what costs is not arithmetic but scikit-learn's per-call machinery, run again in
every step of every nested estimator: input validation, output-container wrapping, the joblib
dispatch of ``FeatureUnion`` and ``ColumnTransformer``, a new ``LabelEncoder`` per calibrated
classifier. Across the three default models that was about 25 ms per article, a third of the time
of the spaCy pipeline itself.

How. :func:`predict_proba`, :func:`decision_function` and :func:`transform` dispatch on the fitted
estimator's type. Every step type the shipped models use has a handler doing the same arithmetic in
the same order as scikit-learn (Pipeline, ColumnTransformer, FeatureUnion, TfidfVectorizer,
MaxAbsScaler, StandardScaler, LogisticRegression, sigmoid-calibrated ``CalibratedClassifierCV``, and
this package's wrappers and stacked inputs, :class:`~.stacking.OutOfFoldScores` scoring its one
featurization with each of its classifiers, in one product when all are two-class logistic
regressions, and a ``ColumnTransformer`` of TF-IDF vectorizers with the same weighting building all
their blocks in one pass), and skips the checks: the inputs are frames built by
this package from fitted models it loaded. Any other type, or a setting a handler does not cover, falls back to the
estimator's own method, so a model with other steps gives the same answers, just without the speed-up.
``tests/classify/test_inference.py`` pins the equality with ``predict_proba`` for every shipped
model on real data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

try:
    from scipy.sparse._sparsetools import csr_hstack as _csr_hstack
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # a scipy without these private kernels: its public functions are used
    _csr_hstack = _csr_matvecs = None
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler

from .columns import Columns, as_frame
from .features import OutOfFoldProbability
from .stacking import NBLogisticRegression, OutOfFoldScores
from .tasks import GroupCalibrated, GroupWeighted, PerTargetClassifier
from .vectorize import (
    INT32_LIMIT,
    WEIGHTING,
    CharNgramTfidf,
    Derived,
    analyse_terms,
    csr,
    csr_from_dense,
    joined_tfidf,
    occurrences,
    tfidf_from_terms,
)

Matrix = Any
"""A 2-D numpy array or scipy sparse matrix, as scikit-learn transformers return."""


@singledispatch
def transform(step: Any, X: Any) -> Any:
    """``step.transform(X)``: the estimator's own method unless a handler below covers its type.
    :class:`~.columns.Columns` reach the transformers of this package that read them
    (``reads_columns``) as they are, any other estimator as a DataFrame."""
    return step.transform(X if getattr(step, "reads_columns", False) else as_frame(X))


@singledispatch
def predict_proba(model: Any, X: Any) -> np.ndarray:
    """``model.predict_proba(X)``, through the handlers below where they cover the model."""
    return model.predict_proba(as_frame(X))


@singledispatch
def decision_function(model: Any, X: Any) -> np.ndarray:
    """``model.decision_function(X)``, through the handlers below where they cover the model."""
    return model.decision_function(as_frame(X))


def _is_skipped(step: Any) -> bool:
    return step is None or (isinstance(step, str) and step == "passthrough")


def _through(pipeline: Pipeline, X: Any) -> Any:
    """``X`` through every step of ``pipeline`` but the last."""
    for _, step in pipeline.steps[:-1]:
        if not _is_skipped(step):
            X = transform(step, X)
    return X


@transform.register
def _(pipeline: Pipeline, X: Any) -> Any:
    last = pipeline.steps[-1][1]
    X = _through(pipeline, X)
    return X if _is_skipped(last) else transform(last, X)


@predict_proba.register
def _(pipeline: Pipeline, X: Any) -> np.ndarray:
    return predict_proba(pipeline.steps[-1][1], _through(pipeline, X))


@decision_function.register
def _(pipeline: Pipeline, X: Any) -> np.ndarray:
    return decision_function(pipeline.steps[-1][1], _through(pipeline, X))


@transform.register
def _(columns: ColumnTransformer, X: Any) -> Matrix:
    if columns.transformer_weights or not isinstance(X, pd.DataFrame | Columns):
        return columns.transform(as_frame(X))
    steps = []
    for _, step, selection in columns.transformers_:
        if isinstance(step, str) and step == "drop":
            continue
        if isinstance(step, str) or (isinstance(X, Columns) and not isinstance(selection, str)):
            return columns.transform(as_frame(X))
        steps.append((step, selection))
    vectorizers = [step for step, _ in steps]
    if columns.sparse_output_ and _joinable(vectorizers):
        texts = [list(X[selection]) for _, selection in steps]
        if all(len(column) == len(X) for column in texts):
            found = [occurrences(step, column) for step, column in zip(vectorizers, texts, strict=True)]
            return joined_tfidf(vectorizers, found, len(X))
    parts = [transform(step, X[selection]) for step, selection in steps]
    if columns.sparse_output_:
        return _hstack(parts)
    return np.hstack([part.toarray() if sparse.issparse(part) else part for part in parts])


@transform.register
def _(union: FeatureUnion, X: Any) -> Matrix:
    weights = union.transformer_weights or {}
    parts = []
    for name, step in union.transformer_list:
        if isinstance(step, str):
            if step == "drop":
                continue
            return union.transform(as_frame(X))
        part = transform(step, X)
        parts.append(part if weights.get(name) is None else part * weights[name])
    if any(sparse.issparse(part) for part in parts):
        return _hstack(parts)
    return np.hstack(parts)


def _hstack(parts: list[Matrix]) -> sparse.csr_matrix:
    """``scipy.sparse.hstack(parts).tocsr()`` for CSR parts with sorted indices (what the
    vectorizers here return) and dense 2-D parts; other parts are left to scipy. Each row holds
    the first part's entries of that row, then the second's, ... (explicit zeros of dense parts
    dropped, as scipy does). The rows are joined by scipy's compiled kernel for CSR blocks, called
    with the arguments scipy's own ``hstack`` gives it, without the Python around it (about 0.2 ms
    per call once the spaCy pipeline has evicted it from the caches)."""
    if not all(
        (sparse.isspmatrix_csr(part) and part.has_sorted_indices) or isinstance(part, np.ndarray)
        for part in parts
    ):
        return sparse.hstack(parts).tocsr()
    parts = [part if sparse.issparse(part) else csr_from_dense(part) for part in parts]
    rows = parts[0].shape[0]
    width = sum(part.shape[1] for part in parts)
    data = np.concatenate([part.data for part in parts])
    if _csr_hstack is None or not len(data) or max(width, len(data)) >= INT32_LIMIT:
        return sparse.hstack(parts, format="csr")
    widths = np.array([part.shape[1] for part in parts], dtype=np.int32)
    indices = np.concatenate([part.indices for part in parts], dtype=np.int32)
    indptr = np.empty(rows + 1, dtype=np.int32)
    joined_indices, joined_data = np.empty_like(indices), np.empty_like(data)
    _csr_hstack(
        len(parts),
        rows,
        widths,
        np.concatenate([part.indptr for part in parts], dtype=np.int32),
        indices,
        data,
        indptr,
        joined_indices,
        joined_data,
    )
    return csr(joined_data, joined_indices, indptr, (rows, width))


def _joinable(steps: list[Any]) -> bool:
    """Whether the ``steps`` are TF-IDF vectorizers whose rows :func:`~.vectorize.joined_tfidf`
    builds together: this package's character n-grams and scikit-learn's own class (a subclass
    may transform differently), equal on the weighting settings."""
    if not steps or not all(type(step) in (TfidfVectorizer, CharNgramTfidf) for step in steps):
        return False
    return all(getattr(step, name) == getattr(steps[0], name) for step in steps for name in WEIGHTING)


@transform.register
def _(vectorizer: TfidfVectorizer, X: Any) -> Matrix:
    if isinstance(X, str | Columns):
        return vectorizer.transform(as_frame(X))
    return tfidf_from_terms(vectorizer, analyse_terms(vectorizer, X))


@transform.register
def _(vectorizer: CharNgramTfidf, X: Any) -> Matrix:
    return vectorizer.transform(as_frame(X))


def _float_copy(X: Matrix) -> Matrix:
    """A copy of ``X`` as floats (what the scalers' input validation makes with ``copy=True``).
    A CSR matrix is copied array by array into :func:`~.vectorize.csr` (scipy's ``copy`` runs its
    constructor's checks again: about 0.1 ms per article once the spaCy pipeline has run)."""
    if X.dtype.kind != "f":
        return X.astype(np.float64)
    if type(X) is sparse.csr_matrix:
        return csr(X.data.copy(), X.indices.copy(), X.indptr.copy(), X.shape)
    return X.copy()


@transform.register
def _(scaler: MaxAbsScaler, X: Matrix) -> Matrix:
    if scaler.clip:
        return scaler.transform(X)
    X = _float_copy(X)
    if sparse.issparse(X):
        X.data *= (1.0 / scaler.scale_).take(X.indices, mode="clip")
    else:
        X /= scaler.scale_
    return X


@transform.register
def _(scaler: StandardScaler, X: Matrix) -> Matrix:
    if sparse.issparse(X) and scaler.with_mean:
        return scaler.transform(X)
    X = _float_copy(X)
    if sparse.issparse(X):
        if scaler.scale_ is not None:
            X.data *= (1 / scaler.scale_).take(X.indices, mode="clip")
        return X
    if scaler.with_mean:
        X -= scaler.mean_.astype(X.dtype)
    if scaler.with_std:
        X /= scaler.scale_.astype(X.dtype)
    return X


_weights: Callable[[LogisticRegression], np.ndarray] = Derived(
    "coef_", lambda coef: np.ascontiguousarray(coef.T)
)
"""``model.coef_.T`` as a C-contiguous array, made once per fitted model (again after a refit).

Why. ``coef_.T`` is a column-major view; scipy's sparse-times-dense product flattens its dense
operand with ``ravel``, which copies a view like that on every call: 5 MB for the entity-stance
model's three rows of 210,000 weights, about 1 ms per article plus the caches it evicts. The
row-major copy gives the same products (same values, same order of additions).
"""


def _product(X: Matrix, weights: np.ndarray) -> np.ndarray:
    """``X @ weights`` for a dense, C-contiguous ``weights``. For a CSR matrix of floats this calls
    scipy's compiled kernel directly, with the same arguments scipy's ``@`` passes it (so the same
    sums in the same order), skipping the Python dispatch around it; anything else goes through
    ``@``."""
    if (
        _csr_matvecs is None
        or type(X) is not sparse.csr_matrix
        or X.dtype != np.float64
        or weights.dtype != np.float64
        or weights.ndim != 2
        or X.shape[1] != weights.shape[0]
        or not weights.flags.c_contiguous
    ):
        return X @ weights
    result = np.zeros((X.shape[0], weights.shape[1]))
    _csr_matvecs(
        X.shape[0], X.shape[1], weights.shape[1], X.indptr, X.indices, X.data, weights.ravel(), result.ravel()
    )
    return result


@decision_function.register
def _(model: LogisticRegression, X: Matrix) -> np.ndarray:
    scores = _product(X, _weights(model)) + model.intercept_
    return scores.reshape(-1) if scores.shape[1] == 1 else scores


def _softmax(scores: np.ndarray) -> np.ndarray:
    """scikit-learn's ``softmax(scores, copy=False)`` for a numpy array, step for step (row maximum
    subtracted, exponentiated in place, divided by the row sums), without its array-namespace
    look-up, which cost more than the arithmetic on one article's rows."""
    scores -= scores.max(axis=1).reshape(-1, 1)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1).reshape(-1, 1)
    return scores


@predict_proba.register
def _(model: LogisticRegression, X: Matrix) -> np.ndarray:
    scores = decision_function(model, X)
    if len(model.classes_) > 2:
        return _softmax(scores)
    positive = expit(scores)
    return np.stack([1 - positive, positive], axis=1)


@transform.register
def _(feature: OutOfFoldProbability, X: Any) -> np.ndarray:
    return predict_proba(feature.estimator_, X)[:, 1:2]


def _binary_linear(model: Any) -> LogisticRegression | None:
    """The two-class logistic regression whose probabilities ``model`` gives (itself, or the
    one an :class:`~.stacking.NBLogisticRegression` scores with), else None."""
    if isinstance(model, NBLogisticRegression):
        model = model.model_
    if type(model) is LogisticRegression and len(model.classes_) == 2:
        return model
    return None


def _stack(classifiers: list[Any]) -> tuple[np.ndarray, np.ndarray] | None:
    linear = [_binary_linear(model) for model in classifiers]
    if not linear or any(model is None for model in linear):
        return None
    weights = np.ascontiguousarray(np.column_stack([model.coef_.ravel() for model in linear]))
    return weights, np.concatenate([model.intercept_ for model in linear])


_stacked: Callable[[OutOfFoldScores], tuple[np.ndarray, np.ndarray] | None] = Derived("classifiers_", _stack)
"""For classifiers that are all two-class logistic regressions, their weights side by side (one
column each, row-major) and their intercepts; None otherwise. One product then scores the shared
featurization with all of them: the same sums as one product per classifier (scipy's kernel adds
each column's terms in the same order), in one pass over the matrix and its weights."""


@transform.register
def _(feature: OutOfFoldScores, X: Any) -> np.ndarray:
    matrix = transform(feature.features_, X)
    stacked = _stacked(feature)
    if stacked is not None and type(matrix) is sparse.csr_matrix:
        weights, intercepts = stacked
        return expit(_product(matrix, weights) + intercepts)
    return np.column_stack([predict_proba(model, matrix)[:, 1] for model in feature.classifiers_])


@predict_proba.register
def _(model: NBLogisticRegression, X: Matrix) -> np.ndarray:
    return predict_proba(model.model_, X)


@decision_function.register
def _(model: NBLogisticRegression, X: Matrix) -> np.ndarray:
    return decision_function(model.model_, X)


def _scores(estimator: Any, X: Any) -> np.ndarray:
    """What ``CalibratedClassifierCV`` calibrates: the decision function where the estimator has
    one, else its probabilities (for two classes, of the second), as a 2-D array."""
    if hasattr(estimator, "decision_function"):
        scores = decision_function(estimator, X)
    else:
        scores = predict_proba(estimator, X)
        if scores.shape[1] == 2:
            scores = scores[:, 1]
    return scores.reshape(-1, 1) if scores.ndim == 1 else scores


def _calibrated(member: Any, X: Any) -> np.ndarray:
    """One fold's calibrated probabilities (scikit-learn's ``_CalibratedClassifier``)."""
    if member.method != "sigmoid":
        return member.predict_proba(as_frame(X))
    scores = _scores(member.estimator, X)
    classes = member.classes
    proba = np.zeros((scores.shape[0], len(classes)))
    columns = np.searchsorted(classes, member.estimator.classes_)
    for column, values, calibrator in zip(columns, scores.T, member.calibrators, strict=False):
        if len(classes) == 2:
            column += 1
        if isinstance(calibrator, _SigmoidCalibration):
            proba[:, column] = expit(-(calibrator.a_ * values + calibrator.b_))
        else:
            proba[:, column] = calibrator.predict(values)
    if len(classes) == 2:
        proba[:, 0] = 1.0 - proba[:, 1]
    else:
        total = np.sum(proba, axis=1)[:, np.newaxis]
        proba = np.divide(proba, total, out=np.full_like(proba, 1 / len(classes)), where=total != 0)
    proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba


@predict_proba.register
def _(model: CalibratedClassifierCV, X: Any) -> np.ndarray:
    total = np.zeros((X.shape[0] if sparse.issparse(X) else len(X), len(model.classes_)))
    for member in model.calibrated_classifiers_:
        total += _calibrated(member, X)
    total /= len(model.calibrated_classifiers_)
    return total


@predict_proba.register
def _(model: GroupCalibrated, X: Any) -> np.ndarray:
    return model.decision_probabilities(predict_proba(model.calibrated_, X))


@predict_proba.register
def _(model: GroupWeighted, X: Any) -> np.ndarray:
    return predict_proba(model.estimator_, X)


@predict_proba.register
def _(model: PerTargetClassifier, X: Any) -> np.ndarray:
    return model.combine(as_frame(X), predict_proba)
