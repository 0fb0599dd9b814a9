"""The loaded-word model: which content words of a sentence an expert would mark as biased.

Trained on BABE's word annotations (``biased_words``), one row per candidate token (see
:mod:`analyzer.classify.tokens`). Three learned parts, each fitted only on the rows it is
given, so nothing learned from labels reaches a held-out fold:

1. a *sentence model* (word 1-2-gram TF-IDF + logistic regression) for P(sentence is biased); the
   token model is trained on its out-of-fold probabilities (grouped by article), so it learns how
   much to trust the same kind of estimate it will see on new text, where the probability is
   added as ``sp`` and ``sp:<POS>``;
2. a *token model*: logistic regression over the named features, the sentence probability and,
   when the model is given news statistics (:mod:`analyzer.classify.newsstats`), each word's news
   frequency, partisanship, slant and context vector (the vector times ``vector_scale``, so that
   one penalty suits both the one-hot and the dense columns);
3. a *calibrator and threshold*: the token model's out-of-fold scores on the training rows (again
   grouped by article) are mapped to probabilities with a sigmoid (Platt scaling) and the threshold
   is the one that maximises the F1 of combined detection on those rows (see :func:`combined_sets`).

Detection is scored four ways (:func:`detector_sets`): ``lexicon`` (the words of the lexicon hits),
``model`` (candidates at or above the threshold) and ``combined``: the model's words plus the words
of every lexicon hit the model scores at or above the threshold, a hit's score being that of its
most loaded candidate (a hit without any candidate, such as a quoted name, is kept). ``union``
(every lexicon word and every model word) is reported too: it is what a lexicon that ignores the
model adds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from ..artifacts.words import hit_score, sentence_block
from ..tokens import CANDIDATE_POS, SentenceTokens
from ..wordstats import WordStats

POS_ORDER = tuple(sorted(CANDIDATE_POS))
DETECTORS = ("lexicon", "model", "combined", "union")
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def _sentence_model(C: float) -> Pipeline:
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            ("lr", LogisticRegression(C=C, class_weight="balanced", max_iter=3000)),
        ]
    )


def group_splits(sentences: Sequence[SentenceTokens], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    groups = np.array([s.group or f"row-{k}" for k, s in enumerate(sentences)])
    n = min(folds, len(set(groups)))
    return list(GroupKFold(n).split(np.zeros(len(groups)), groups=groups))


def _subset(sentences: Sequence[SentenceTokens], index: np.ndarray) -> list[SentenceTokens]:
    return [sentences[k] for k in index]


def _candidate_block(sentences: Sequence[SentenceTokens], probs: np.ndarray) -> np.ndarray:
    """:func:`~analyzer.classify.artifacts.words.sentence_block` for every candidate of ``sentences`` (``probs``: one per sentence)."""
    pos = [p for s in sentences for p in s.pos]
    return sentence_block(pos, np.repeat(probs, [len(s.pos) for s in sentences]), POS_ORDER)


def _int32(X: csr_matrix) -> csr_matrix:
    """liblinear takes 32-bit sparse indices only (``hstack`` may give 64-bit ones)."""
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    return X


def _token_labels(sentences: Sequence[SentenceTokens]) -> np.ndarray:
    return np.array([int(c in s.gold) for s in sentences for c in s.candidates], dtype=int)


class LoadedWordModel(BaseEstimator):
    """Sentence model + token model + calibrated threshold (see the module docstring).

    ``fit`` takes a list of :class:`SentenceTokens` with ``gold``, ``biased`` and ``group`` set;
    ``predict_proba`` returns one array of calibrated probabilities per sentence, aligned with its
    candidates. ``threshold`` fixes the decision threshold; None chooses it by inner CV. ``news``
    (optional) adds the news-statistics columns.
    """

    def __init__(
        self,
        C: float = 1.0,
        sentence_C: float = 1.0,
        folds: int = 5,
        threshold_folds: int = 3,
        threshold: float | None = None,
        news: WordStats | None = None,
        vector_scale: float = 3.0,
    ) -> None:
        self.C = C
        self.sentence_C = sentence_C
        self.folds = folds
        self.threshold_folds = threshold_folds
        self.threshold = threshold
        self.news = news
        self.vector_scale = vector_scale

    def _columns(
        self, vectorizer: DictVectorizer, sentences: Sequence[SentenceTokens], sentence_block: np.ndarray
    ) -> csr_matrix:
        """The token model's input for every candidate of ``sentences``: named features, sentence
        block, news block (when given)."""
        blocks = [
            vectorizer.transform([f for s in sentences for f in s.features]),
            csr_matrix(sentence_block),
        ]
        if self.news is not None:
            words = [w for s in sentences for w in (s.words or s.lemmas)]
            lemmas = [lemma for s in sentences for lemma in s.lemmas]
            blocks.append(csr_matrix(self.news.block(words, lemmas, self.vector_scale)))
        return _int32(hstack(blocks).tocsr())

    def _fit_core(self, sentences: Sequence[SentenceTokens]) -> tuple[Pipeline, DictVectorizer, Any]:
        """Sentence model, vectorizer and token model fitted on ``sentences`` only."""
        texts = [s.text for s in sentences]
        labels = np.array([int(s.biased) for s in sentences])
        oof = np.zeros(len(sentences))
        for train, test in group_splits(sentences, self.folds):
            model = _sentence_model(self.sentence_C).fit([texts[k] for k in train], labels[train])
            oof[test] = model.predict_proba([texts[k] for k in test])[:, 1]
        sentence_model = _sentence_model(self.sentence_C).fit(texts, labels)
        vectorizer = DictVectorizer().fit([f for s in sentences for f in s.features])
        X = self._columns(vectorizer, sentences, _candidate_block(sentences, oof))
        token_model = LogisticRegression(C=self.C, solver="liblinear").fit(X, _token_labels(sentences))
        return sentence_model, vectorizer, token_model

    def _raw(
        self, core: tuple[Pipeline, DictVectorizer, Any], sentences: Sequence[SentenceTokens]
    ) -> np.ndarray:
        sentence_model, vectorizer, token_model = core
        with_candidates = [s for s in sentences if s.candidates]
        if not with_candidates:
            return np.zeros(0)
        probs = sentence_model.predict_proba([s.text for s in with_candidates])[:, 1]
        X = self._columns(vectorizer, with_candidates, _candidate_block(with_candidates, probs))
        return token_model.decision_function(X)

    def fit(self, sentences: Sequence[SentenceTokens], y: object = None) -> LoadedWordModel:
        sentences = list(sentences)
        oof = np.zeros(sum(len(s.candidates) for s in sentences))
        starts = np.cumsum([0] + [len(s.candidates) for s in sentences])
        for train, test in group_splits(sentences, self.threshold_folds):
            core = self._fit_core(_subset(sentences, train))
            scores = self._raw(core, _subset(sentences, test))
            positions = np.concatenate([np.arange(starts[k], starts[k + 1]) for k in test])
            oof[positions] = scores
        labels = _token_labels(sentences)
        self.calibrator_ = LogisticRegression(C=1e4).fit(oof.reshape(-1, 1), labels)
        calibrated = self.calibrator_.predict_proba(oof.reshape(-1, 1))[:, 1]
        self.threshold_curve_ = threshold_curve(sentences, calibrated)
        if self.threshold is None:
            best = max(self.threshold_curve_, key=lambda row: (row["f1"], row["threshold"]))
            self.threshold_ = float(best["threshold"])
        else:
            self.threshold_ = float(self.threshold)
        self.core_ = self._fit_core(sentences)
        return self

    def predict_proba(self, sentences: Sequence[SentenceTokens]) -> list[np.ndarray]:
        """Calibrated P(loaded) per candidate, one array per sentence."""
        raw = self._raw(self.core_, sentences)
        probs = self.calibrator_.predict_proba(raw.reshape(-1, 1))[:, 1] if len(raw) else raw
        out, k = [], 0
        for sentence in sentences:
            n = len(sentence.candidates)
            out.append(probs[k : k + n] if n else np.zeros(0))
            k += n
        return out

    def sentence_probability(self, texts: Sequence[str]) -> np.ndarray:
        """P(biased) of each sentence from the sentence model."""
        return self.core_[0].predict_proba(list(texts))[:, 1]

    def feature_names(self) -> list[str]:
        """Names of the token model's columns, in order."""
        names = list(self.core_[1].get_feature_names_out()) + ["sp"] + [f"sp:{p}" for p in POS_ORDER]
        return names + (self.news.feature_names() if self.news is not None else [])

    def top_features(self, n: int = 25) -> list[tuple[str, float]]:
        """The ``n`` named features with the largest positive weights (for the model card; the
        context-vector dimensions have no meaning one by one and are left out)."""
        weights = self.core_[2].coef_[0]
        named = [
            (name, w)
            for name, w in zip(self.feature_names(), weights, strict=True)
            if not name.startswith("news_vec")
        ]
        named.sort(key=lambda item: -item[1])
        return [(name, round(float(w), 3)) for name, w in named[:n]]


def counts(sentences: Sequence[SentenceTokens], predicted: Sequence[set[int]]) -> dict[str, int]:
    """True positives, false positives and false negatives of token sets against ``gold``."""
    tp = fp = fn = 0
    for sentence, tokens in zip(sentences, predicted, strict=True):
        tp += len(tokens & sentence.gold)
        fp += len(tokens - sentence.gold)
        fn += len(sentence.gold - tokens)
    return {"tp": tp, "fp": fp, "fn": fn}


def prf(tally: dict[str, int]) -> dict[str, float]:
    """Precision, recall and F1 from :func:`counts` (0 where undefined)."""
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, **tally}


def model_sets(
    sentences: Sequence[SentenceTokens], probs: Sequence[np.ndarray], threshold: float
) -> list[set[int]]:
    """Candidate offsets whose probability reaches ``threshold``, per sentence."""
    return [
        {c for c, p in zip(s.candidates, ps, strict=True) if p >= threshold}
        for s, ps in zip(sentences, probs, strict=True)
    ]


def activation(sentence: SentenceTokens, probs: np.ndarray) -> dict[int, float]:
    """The highest threshold at which each token is detected by combined detection: its own
    probability if it is a candidate, and the score of every lexicon hit it belongs to (the hit's
    most loaded candidate, or 1.0 for a hit without candidates), whichever is highest."""
    scored = dict(zip(sentence.candidates, (float(p) for p in probs), strict=True))
    level = dict(scored)
    for hit in sentence.hits:
        score = hit_score(hit, scored)
        score = 1.0 if score is None else score
        for k in hit:
            level[k] = max(level.get(k, 0.0), score)
    return level


def combined_sets(
    sentences: Sequence[SentenceTokens], probs: Sequence[np.ndarray], threshold: float
) -> list[set[int]]:
    """Tokens of combined detection (see the module docstring), per sentence."""
    return [
        {k for k, level in activation(s, ps).items() if level >= threshold}
        for s, ps in zip(sentences, probs, strict=True)
    ]


def detector_sets(
    sentences: Sequence[SentenceTokens], probs: Sequence[np.ndarray], threshold: float
) -> dict[str, list[set[int]]]:
    """Token sets of the ``lexicon``, ``model``, ``combined`` and ``union`` detectors."""
    model = model_sets(sentences, probs, threshold)
    return {
        "lexicon": [s.lexicon for s in sentences],
        "model": model,
        "combined": combined_sets(sentences, probs, threshold),
        "union": [m | s.lexicon for m, s in zip(model, sentences, strict=True)],
    }


def threshold_curve(sentences: Sequence[SentenceTokens], flat_probs: np.ndarray) -> list[dict[str, float]]:
    """Combined-detection F1 (and P, R) at every threshold of :data:`THRESHOLD_GRID`."""
    gold_total = sum(len(s.gold) for s in sentences)
    levels, is_gold, k = [], [], 0
    for sentence in sentences:
        n = len(sentence.candidates)
        for token, level in activation(sentence, flat_probs[k : k + n]).items():
            levels.append(level)
            is_gold.append(token in sentence.gold)
        k += n
    level_array, gold_array = np.array(levels), np.array(is_gold, dtype=bool)
    rows = []
    for t in THRESHOLD_GRID:
        chosen = level_array >= t
        tp = int((chosen & gold_array).sum())
        scored = prf({"tp": tp, "fp": int(chosen.sum()) - tp, "fn": gold_total - tp})
        rows.append({"threshold": float(t), **{k: round(v, 4) for k, v in scored.items()}})
    return rows
