"""Feature transformers (scikit-learn estimator contract: ``__init__`` stores, ``fit`` learns).

- :class:`WordBiasRates`: for every word, how often annotators marked it as biased where it
  occurs, learned from the training rows' ``biased_words`` (BABE's word-level annotations);
  a sentence gets the maximum, sum and counts above thresholds of its words' rates. During
  ``fit_transform`` the training rows get out-of-fold values (cross-fitting), so the classifier
  is trained on the same kind of evidence it sees on new text.
- :class:`LexiconCategoryCounts`: per framing-lexicon category, the share of a text's words that
  are lexicon terms (single-word terms, matched on lower-cased words and simple inflections).
- :func:`scrub_house_style`: drops an article's boilerplate paragraphs and normalises house-style
  conventions (honorifics, datelines, "%"), which identify an outlet rather than a leaning.
- :class:`OutOfFoldProbability`: a model's cross-fitted probability as one feature (stacking).
- :class:`TargetContext`: a sentence and target span as text columns (masked sentence, windows).
- :class:`OutletContrastTfidf`: TF-IDF over scrubbed text, restricted to widely used terms whose
  usage separates the labels *across outlets* (one observation per outlet and label).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold
from sklearn.pipeline import Pipeline

from .columns import Columns
from .newsstats import WordStats
from .vectorize import (
    CharNgramTfidf,
    Derived,
    LastBatchMemo,
    Terms,
    analyse_terms,
    csr,
    csr_from_dense,
    normalize_rows,
    tfidf_from_terms,
)
from .wordprior import NewsWordPrior

WORD = re.compile(r"[a-z][a-z'\-]*")
TOKEN = re.compile(r"\w+|[^\w\s]")
BOUNDARY = re.compile(r"[,;:()\"\u201c\u201d\u2014]| -- | - ")


def _tokens_before(text: str, end: int, count: int) -> list[str]:
    """``TOKEN.findall(text[:end])[-count:]``, read from a tail of the prefix, not all of it.

    Exact: the pattern looks neither behind nor ahead of a token, so each token a tail finds after
    its first (which may be a cut word) is a token of the whole prefix. A tail finding more than
    ``count`` tokens ends in the right ones; one finding no more than that is widened.
    """
    width = 16 * count + 16
    while True:
        cut = max(end - width, 0)
        found = TOKEN.findall(text, cut, end)
        if (len(found) > count > 0) or cut == 0:
            return found[-count:]
        width *= 4


def _tokens_after(text: str, start: int, count: int) -> list[str]:
    """``TOKEN.findall(text[start:])[:count]``, read from a head of the suffix (exact for the same
    reason as :func:`_tokens_before`: only a head's last token may be cut)."""
    width = 16 * count + 16
    while True:
        cut = min(start + width, len(text))
        found = TOKEN.findall(text, start, cut)
        if (len(found) > count > 0) or cut == len(text):
            return found[:count]
        width *= 4


SUFFIXES = ("s", "es", "ed", "d", "ing", "ly")
PRIOR_MEMO_LIMIT = 200_000


def words(text: str) -> list[str]:
    """Lower-cased word tokens (a light tokenizer: fast enough for training on large sets)."""
    return WORD.findall(text.lower())


def _texts(X: object) -> Sequence[str]:
    """The ``text`` column (or the items) as a list of str; a column that already holds only str
    is listed as it is (``astype(str)`` would first copy it into a new string array)."""
    if isinstance(X, pd.DataFrame):
        values = X["text"].tolist()
        return values if all(type(v) is str for v in values) else X["text"].astype(str).tolist()
    if isinstance(X, Columns):
        values = X["text"]
        return values if all(type(v) is str for v in values) else [str(v) for v in values]
    return [str(x) for x in X]  # type: ignore[union-attr]


class _TextTransformer(TransformerMixin, BaseEstimator):
    """Base for transformers of raw text: declares string input to scikit-learn's checks."""

    reads_columns: ClassVar[bool] = False
    """True where ``transform`` takes :class:`~.columns.Columns` as well as a DataFrame (the fast
    inference path then hands them over without building a DataFrame)."""

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


def _rows(X: object, index: np.ndarray) -> object:
    if isinstance(X, pd.DataFrame):
        return X.iloc[index]
    return np.asarray(X, dtype=object)[index]


def _top_mean(values: np.ndarray, lengths: np.ndarray, k: int = 3) -> np.ndarray:
    """Per run of ``lengths`` consecutive values, ``np.sort(run)[-k:].mean()`` for all runs at once:
    the same floats (the same values added in the same order, ascending, then divided by their
    number), including runs shorter than ``k``."""
    runs = np.repeat(np.arange(len(lengths)), lengths)
    ordered = values[np.lexsort((values, runs))]
    ends = np.cumsum(lengths)
    top = np.minimum(lengths, k)
    total = np.zeros(len(lengths))
    for place in range(k, 0, -1):
        has = np.flatnonzero(top >= place)
        total[has] += ordered[ends[has] - place]
    return total / top


class WordBiasRates(_TextTransformer):
    """Sentence features from word-level bias annotations (see the module docstring).

    With ``prior_weight > 0`` a word's rate is shrunk towards a prior learned from its spelling:
    a logistic regression over the character n-grams of the training vocabulary, each word weighted
    by how often it was and was not marked, so that unseen or rare words ("demagoguery",
    "-ists") get a rate from the words they resemble. The rate is then
    ``(marked + prior_weight * prior) / (seen + prior_weight)``.

    With ``news`` (an AllSides folder or :class:`~analyzer.classify.newsstats.WordStats`) the prior
    also sees each word's news statistics (:class:`~analyzer.classify.wordprior.NewsWordPrior`,
    context vectors times ``vector_scale``): words BABE rarely shows then borrow the evidence of
    the words used like them in news, not only of the words spelt like them.
    """

    reads_columns = True

    news: str | WordStats | None = None
    vector_scale: float = 3.0
    """Class defaults, for models pickled before the parameters existed."""

    def __init__(
        self,
        smoothing: float = 2.0,
        folds: int = 5,
        random_state: int = 0,
        prior_weight: float = 0.0,
        prior_C: float = 1.0,
        news: str | WordStats | None = None,
        vector_scale: float = 3.0,
    ) -> None:
        self.smoothing = smoothing
        self.folds = folds
        self.random_state = random_state
        self.prior_weight = prior_weight
        self.prior_C = prior_C
        self.news = news
        self.vector_scale = vector_scale

    def fit(self, X: pd.DataFrame, y: object = None) -> WordBiasRates:
        texts = _texts(X)
        marked = (
            X["biased_words"].tolist()
            if isinstance(X, pd.DataFrame) and "biased_words" in X
            else [[]] * len(texts)
        )
        seen: dict[str, int] = {}
        biased: dict[str, int] = {}
        for text, annotated in zip(texts, marked, strict=True):
            flagged = {w.lower() for w in (annotated or [])}
            for word in set(words(text)):
                seen[word] = seen.get(word, 0) + 1
                if word in flagged:
                    biased[word] = biased.get(word, 0) + 1
        self.rates_ = {w: biased[w] / (seen[w] + self.smoothing) for w in biased}
        self.counts_ = {w: (biased.get(w, 0), n) for w, n in seen.items()}
        self.prior_ = self._fit_prior(seen, biased) if self.prior_weight > 0 and biased else None
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def _fit_prior(self, seen: dict[str, int], biased: dict[str, int]) -> Pipeline | NewsWordPrior:
        vocabulary = list(seen)
        marked = np.array([biased.get(w, 0) for w in vocabulary], dtype=float)
        unmarked = np.array([seen[w] for w in vocabulary], dtype=float) - marked
        weights = np.concatenate([marked, unmarked])
        keep = weights > 0
        texts = np.asarray(vocabulary * 2, dtype=object)[keep]
        labels = np.concatenate([np.ones(len(vocabulary)), np.zeros(len(vocabulary))])[keep]
        if self.news is not None:
            news_prior = NewsWordPrior(self.news, C=self.prior_C, vector_scale=self.vector_scale)
            return news_prior.fit(texts, labels, sample_weight=weights[keep])
        prior = Pipeline(
            [
                ("chars", CharNgramTfidf(ngram_range=(2, 5), sublinear_tf=True)),
                ("model", LogisticRegression(C=self.prior_C, max_iter=3000)),
            ]
        )
        return prior.fit(texts, labels, model__sample_weight=weights[keep])

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_prior_memo", None)
        return state

    def _word_values(self, vocabulary: set[str]) -> tuple[dict[str, int], np.ndarray]:
        """Each word's shrunk rate and spelling prior, remembered across calls: a dict from word to
        row and an array of rows (rate, prior).

        Both depend on the word alone, so each word is predicted once per process, not once per
        batch it occurs in, and a sentence's words cost one look-up each. The memo belongs to the
        fitted ``prior_`` (a refit starts a new one) and starts over past ``PRIOR_MEMO_LIMIT``
        words, so a long run stays bounded. New words go through the fast inference path.
        """
        from .inference import predict_proba

        prior, rows, values = self.__dict__.get("_prior_memo", (None, {}, None))
        if prior is not self.prior_ or values is None or len(rows) > PRIOR_MEMO_LIMIT:
            rows, values = {"": 0}, np.zeros((1024, 2))
        new = sorted(vocabulary.difference(rows))
        if new:
            first = len(rows)
            while first + len(new) > len(values):
                values = np.concatenate([values, np.zeros_like(values)])
            p = predict_proba(self.prior_, new)[:, 1]
            counts = np.array([self.counts_.get(word, (0, 0)) for word in new], dtype=float).reshape(-1, 2)
            weight = self.prior_weight
            values[first : first + len(new), 0] = (counts[:, 0] + weight * p) / (counts[:, 1] + weight)
            values[first : first + len(new), 1] = p
            rows.update(zip(new, range(first, first + len(new)), strict=True))
        self.__dict__["_prior_memo"] = (self.prior_, rows, values)
        return rows, values

    def _word_rates(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every word's (shrunk) rate and spelling prior, the texts' words end to end, and each
        text's number of words; a text without words counts as one word of rate and prior 0."""
        tokens = [words(text) or [""] for text in texts]
        lengths = np.array([len(ws) for ws in tokens], dtype=np.int64)
        flat = list(chain.from_iterable(tokens))
        if self.prior_ is None:
            rates = np.array([self.rates_.get(w, 0.0) for w in flat], dtype=float)
            return rates, rates, lengths
        memo = self.__dict__.get("_prior_memo")
        if memo is not None and memo[0] is self.prior_:
            try:  # usually every word is remembered already: no set of the batch's words needed
                pairs = memo[2][np.fromiter(map(memo[1].__getitem__, flat), dtype=np.int64, count=len(flat))]
                return pairs[:, 0], pairs[:, 1], lengths
            except KeyError:
                pass
        rows, values = self._word_values(set(flat))
        pairs = values[np.fromiter(map(rows.__getitem__, flat), dtype=np.int64, count=len(flat))]
        return pairs[:, 0], pairs[:, 1], lengths

    def transform(self, X: object) -> csr_matrix:
        rates, priors, lengths = self._word_rates(_texts(X))
        if not len(lengths):
            return csr_matrix((0, len(self.get_feature_names_out())))
        starts = np.cumsum(lengths) - lengths
        # The sum adds in another order than the per-sentence ``sum`` the shipped model was fitted
        # with (last-bit differences: P(biased) moved by at most 2.2e-16 on the sample corpus).
        columns = [
            np.maximum.reduceat(rates, starts),
            np.add.reduceat(rates, starts),
            np.add.reduceat((rates > 0.3).astype(np.int64), starts),
            np.add.reduceat((rates > 0.1).astype(np.int64), starts),
        ]
        if self.prior_weight > 0:
            top = _top_mean(np.concatenate([rates, priors]), np.concatenate([lengths, lengths]))
            columns += [top[: len(lengths)], np.maximum.reduceat(priors, starts), top[len(lengths) :]]
        return csr_from_dense(np.column_stack(columns).astype(float))

    def fit_transform(self, X: pd.DataFrame, y: object = None, **fit_params: object) -> csr_matrix:
        n = len(_texts(X))
        if n < 2 * self.folds:
            return self.fit(X).transform(X)
        out = np.zeros((n, len(self.get_feature_names_out())))
        for train, held in KFold(self.folds, shuffle=True, random_state=self.random_state).split(
            np.arange(n)
        ):
            part = clone(self).fit(_rows(X, train))
            out[held] = part.transform(_rows(X, held)).toarray()
        self.fit(X)
        return csr_matrix(out)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        names = ["wordbias_max", "wordbias_sum", "wordbias_n_over_0.3", "wordbias_n_over_0.1"]
        if self.prior_weight > 0:
            names += ["wordbias_top3_mean", "wordbias_prior_max", "wordbias_prior_top3_mean"]
        return np.array(names)


def cross_fit_splits(X: Any, y: np.ndarray, folds: int, random_state: int) -> Any:
    """The folds a stacked input is cross-fitted on: grouped by ``X["group"]`` (e.g. article)
    when there are at least ``folds`` groups, else shuffled and stratified by ``y``."""
    groups = X["group"].astype(str).to_numpy() if isinstance(X, pd.DataFrame) and "group" in X else None
    if groups is not None and len(set(groups)) >= folds:
        return GroupKFold(folds, shuffle=True, random_state=random_state).split(X, y, groups)
    return StratifiedKFold(folds, shuffle=True, random_state=random_state).split(X, y)


class OutOfFoldProbability(_TextTransformer):
    """The positive-class probability of ``estimator`` as a single feature, for stacking.

    ``fit_transform`` returns cross-fitted probabilities (folds grouped by ``X["group"]`` when
    present), so that the next model learns how far to trust the text model on text it has not
    seen; ``transform`` uses the model fitted on all rows.
    """

    def __init__(self, estimator: Any = None, folds: int = 5, random_state: int = 0) -> None:
        self.estimator = estimator
        self.folds = folds
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: Any = None) -> OutOfFoldProbability:
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.n_features_out_ = 1
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        return self.estimator_.predict_proba(X)[:, 1:2]

    def fit_transform(self, X: pd.DataFrame, y: Any = None, **fit_params: object) -> np.ndarray:
        y = np.asarray(y)
        out = np.zeros((len(y), 1))
        for train, held in cross_fit_splits(X, y, self.folds, self.random_state):
            model = clone(self.estimator).fit(_rows(X, train), y[train])
            out[held] = model.predict_proba(_rows(X, held))[:, 1:2]
        self.fit(X, y)
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["oof_probability"])


class LexiconCategoryCounts(_TextTransformer):
    """Share of a text's words in each framing-lexicon category (see the module docstring)."""

    reads_columns = True

    def __init__(self, lexicon_path: str | None = None) -> None:
        self.lexicon_path = lexicon_path

    def fit(self, X: object, y: object = None) -> LexiconCategoryCounts:
        from ..lexicons import default_lexicon_path, load_lexicon

        lexicon = load_lexicon(self.lexicon_path or default_lexicon_path())
        self.categories_ = sorted({e.category for e in lexicon.entries})
        index = {c: i for i, c in enumerate(self.categories_)}
        self.terms_ = {e.term: index[e.category] for e in lexicon.entries if " " not in e.term}
        self.n_features_out_ = len(self.categories_)
        return self

    def _lookup(self, word: str) -> int | None:
        if word in self.terms_:
            return self.terms_[word]
        for suffix in SUFFIXES:
            if word.endswith(suffix) and word[: -len(suffix)] in self.terms_:
                return self.terms_[word[: -len(suffix)]]
        return None

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_memo", None)
        return state

    def transform(self, X: object) -> csr_matrix:
        memo: dict[str, int | None] = self.__dict__.setdefault("_memo", {})
        if len(memo) > 200_000:
            memo.clear()
        rows = np.zeros((len(_texts(X)), len(self.categories_)))
        for r, text in enumerate(_texts(X)):
            tokens = words(text)
            for word in tokens:
                category = memo[word] if word in memo else memo.setdefault(word, self._lookup(word))
                if category is not None:
                    rows[r, category] += 1
            rows[r] /= max(len(tokens), 1) ** 0.5
        return csr_from_dense(rows)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"lexicon_{c}" for c in self.categories_])


class TargetContext(_TextTransformer):
    """Rewrite each (sentence, target span) row as text columns around the target.

    ``masked``: the sentence with the target replaced by ``TGT`` (so the model learns how targets
    are talked about, not which names are liked); ``left``/``right``: the ``window`` words before
    and after the target; ``clause``: the stretch between the punctuation marks (commas, quotes,
    semicolons, brackets, dashes) around the target, target masked: a cheap stand-in for the
    target's clause that needs no parse; ``text``: both windows together (for lexicon features).
    """

    reads_columns = True

    def __init__(self, window: int = 6) -> None:
        self.window = window

    def fit(self, X: pd.DataFrame, y: object = None) -> TargetContext:
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X: pd.DataFrame | Columns) -> pd.DataFrame | Columns:
        masked, left, right, clause = [], [], [], []
        window = self.window
        for text, start, end in zip(X["text"], X["target_start"], X["target_end"], strict=True):
            start, end = int(start), int(end)
            masked.append(f"{text[:start]} TGT {text[end:]}")
            left.append(" ".join(_tokens_before(text, start, window)))
            right.append(" ".join(_tokens_after(text, end, window)))
            after = BOUNDARY.search(text, end)
            before = BOUNDARY.split(text[:start])[-1]
            clause.append(f"{before} TGT {text[end : after.start()] if after else text[end:]}")
        around = [f"{a} {b}" for a, b in zip(left, right, strict=True)]
        out = {"masked": masked, "left": left, "right": right, "clause": clause, "text": around}
        return Columns(out) if isinstance(X, Columns) else pd.DataFrame(out, dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["masked", "left", "right", "clause", "text"])


BOILERPLATE_TEXT = (
    "sign up", "newsletter", "subscri", "advertisement", "continue reading", "copyright", "click here",
    "reprint", "privacy policy", "follow @", "getty images", "toggle caption", "contributed to this report",
    "read more", "all rights reserved", "photo", "image", "associated press", "reuters", "@", "http://",
    "https://", "www.",
)  # fmt: skip
"""Lower-case text whose presence in a paragraph marks it as boilerplate (see :func:`is_boilerplate`)."""
BOILERPLATE_START = re.compile(r"\W*(?:by|via|source|credit)\b", re.IGNORECASE)
BOILERPLATE_DOMAIN = re.compile(r"\.com\b", re.IGNORECASE)
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Sgt|Capt|Col)\.\s*")
DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,]{0,40}\((?:[A-Z][A-Za-z. ]{1,20})\)\s*[-\u2014\u2013]*\s*", re.MULTILINE
)
PERCENT = re.compile(r"\s?%|\bper cent\b")
QUOTES = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'))


def is_boilerplate(paragraph: str) -> bool:
    """Whether ``paragraph`` looks like boilerplate: it contains one of :data:`BOILERPLATE_TEXT`
    (any case), a ".com" domain, or starts with a credit ("By", "Via", "Source", "Credit").

    Substring tests on the lower-cased paragraph, not one case-insensitive regular expression of
    all the alternatives: that expression tried every alternative at every position and took
    0.8 ms per article, most of the leaning model's text preparation. Same answers on the 751,950
    paragraphs of the AllSides media train and valid files; they differ only on the letters "ſ",
    "ı" and "İ", which the expression matched as "s" and "i" and ``lower`` keeps as they are."""
    lowered = paragraph.lower()
    return (
        any(marker in lowered for marker in BOILERPLATE_TEXT)
        or BOILERPLATE_START.match(paragraph) is not None
        or (".com" in lowered and BOILERPLATE_DOMAIN.search(paragraph) is not None)
    )


def scrub_house_style(text: str, min_words: int = 8) -> str:
    """``text`` without what marks its outlet rather than its leaning.

    The first line (the title) is kept; later paragraphs are dropped when shorter than
    ``min_words`` words (captions, section labels, "Advertisement") or when they look like
    boilerplate (newsletter and subscription prompts, copyright and credit lines, links, wire-service
    credits). Then house-style conventions are normalised: honorifics before names ("Mr.", "Sen."),
    datelines such as "WASHINGTON (CNN) --", "%" / "per cent" -> "percent", and curly quotes.
    """
    kept = []
    for number, paragraph in enumerate(text.split("\n")):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if number == 0 or (len(paragraph.split()) >= min_words and not is_boilerplate(paragraph)):
            kept.append(paragraph)
    cleaned = "\n".join(kept)
    cleaned = HONORIFIC.sub("", cleaned)
    cleaned = DATELINE.sub("", cleaned)
    if "%" in cleaned or "per cent" in cleaned:
        cleaned = PERCENT.sub(" percent", cleaned)
    for curly, straight in QUOTES:
        cleaned = cleaned.replace(curly, straight)
    return cleaned


def _group_membership(groups: pd.Series) -> csr_matrix:
    """Rows: the distinct values of ``groups``; columns: the samples; 1 where a sample is in a group."""
    codes, uniques = pd.factorize(groups.astype(str))
    return csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(uniques), len(codes)))


ANALYZED_BATCH = LastBatchMemo()
"""The last batch's scrubbed terms, shared by the :class:`OutletContrastTfidf` instances."""
ANALYSIS_SETTINGS = (
    "input", "encoding", "decode_error", "strip_accents", "lowercase", "preprocessor", "tokenizer",
    "analyzer", "stop_words", "token_pattern", "ngram_range",
)  # fmt: skip
"""The ``TfidfVectorizer`` settings that decide a text's terms: instances equal on these share terms."""
_analysis_settings: Callable[[OutletContrastTfidf], tuple[str, ...]] = Derived(
    "vectorizer_", lambda vectorizer: tuple(repr(getattr(vectorizer, name)) for name in ANALYSIS_SETTINGS)
)
"""A fitted instance's :data:`ANALYSIS_SETTINGS` as text, read once per fitted vectorizer."""


def _restricted(vectorizer: TfidfVectorizer, columns: np.ndarray) -> TfidfVectorizer:
    """A fitted copy of ``vectorizer`` whose vocabulary is only its terms at ``columns`` (same
    analysis settings and idf weights): its rows are normalised over those terms alone."""
    restricted = clone(vectorizer)
    terms = vectorizer.get_feature_names_out()[columns]
    restricted.set_params(vocabulary={term: i for i, term in enumerate(terms)}, max_features=None, min_df=1)
    restricted.vocabulary_ = dict(restricted.vocabulary)
    restricted.fixed_vocabulary_ = True
    restricted.idf_ = vectorizer.idf_[columns]
    return restricted


class OutletContrastTfidf(_TextTransformer):
    """TF-IDF over house-style-scrubbed text, keeping terms that separate labels across outlets.

    ``fit`` (which needs ``y``) keeps the terms used by at least ``min_groups`` groups (outlets,
    ``X["group"]``), then scores each by an ANOVA F statistic computed on one observation per
    (outlet, label) pair with at least ``min_unit_docs`` articles: the pair's mean TF-IDF weight of
    the term. The ``k`` best are kept. A term that only one prolific outlet uses scores low even
    when that outlet is large, because it counts as one observation, not thousands of articles.

    With ``chosen_norm`` the kept terms' TF-IDF rows are normalised over the kept terms only, and
    the fitted vectorizer keeps only them (``k`` terms instead of up to ``max_features``): each
    article is then looked up in a vocabulary of ``k`` terms instead of 300,000, which is most of
    this transformer's cost once the spaCy pipeline has run (its look-ups miss the processor's
    caches). Without it, rows are normalised over every vocabulary term, as fitted before.
    """

    reads_columns = True
    chosen_norm: bool = False
    """Class default, for models pickled before the parameter existed."""

    def __init__(
        self,
        k: int = 5000,
        min_groups: int = 10,
        min_unit_docs: int = 10,
        ngram_range: tuple[int, int] = (1, 2),
        max_features: int = 300_000,
        scrub: bool = True,
        chosen_norm: bool = False,
    ) -> None:
        self.k = k
        self.min_groups = min_groups
        self.min_unit_docs = min_unit_docs
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.scrub = scrub
        self.chosen_norm = chosen_norm

    def _prepare(self, X: object) -> list[str]:
        texts = _texts(X)
        return [scrub_house_style(t) for t in texts] if self.scrub else list(texts)

    def fit(self, X: pd.DataFrame, y: object = None) -> OutletContrastTfidf:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: pd.DataFrame, y: object = None, **fit_params: object) -> csr_matrix:
        if y is None:
            raise ValueError("OutletContrastTfidf needs labels (y) to choose its terms")
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=self.ngram_range, min_df=3, max_features=self.max_features, sublinear_tf=True
        )
        matrix = self.vectorizer_.fit_transform(self._prepare(X))
        groups = X["group"].astype(str).reset_index(drop=True)
        spread = np.asarray(((_group_membership(groups) @ (matrix > 0).astype(np.float32)) > 0).sum(axis=0))
        candidates = np.flatnonzero(spread.ravel() >= self.min_groups)
        labels = pd.Series(np.asarray(y)).astype(str)
        units = _group_membership(groups + "\x1f" + labels)
        sizes = np.asarray(units.sum(axis=1)).ravel()
        unit_labels = pd.Series(pd.factorize(groups + "\x1f" + labels)[1]).str.split("\x1f").str[1]
        usable = sizes >= self.min_unit_docs
        if unit_labels[usable].nunique() < 2:
            usable = sizes > 0
        means = (units[usable] @ matrix[:, candidates]).toarray() / sizes[usable, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.nan_to_num(f_classif(means, unit_labels[usable].to_numpy())[0], posinf=np.inf)
        order = np.argsort(-scores, kind="stable")[: self.k]
        self.columns_ = np.sort(candidates[order])
        self.n_features_out_ = len(self.columns_)
        chosen = matrix[:, self.columns_]
        if not self.chosen_norm:
            return chosen
        self.vectorizer_ = _restricted(self.vectorizer_, self.columns_)
        self.columns_ = np.arange(len(self.columns_))
        return normalize_rows(chosen.astype(np.float64), "l2")

    def transform(self, X: object) -> csr_matrix:
        """``vectorizer_.transform`` of the scrubbed texts, restricted to the chosen terms.

        The scrubbed texts' terms come from :data:`ANALYZED_BATCH` when another instance with the
        same settings has just analysed the same texts: the fold models of an ensemble (three for
        leaning) then scrub, tokenise, hash and sort each article's terms once instead of three times.
        """
        key = (self.scrub, *_analysis_settings(self))
        batch = ANALYZED_BATCH.get(key, list(_texts(X)), self._analyse_terms)
        return self._chosen(tfidf_from_terms(self.vectorizer_, batch))

    def _chosen(self, matrix: csr_matrix) -> csr_matrix:
        """``matrix`` itself when every column is kept (``chosen_norm``), else
        ``matrix[:, self.columns_]`` (same entries, same order) through a position table kept on
        the instance: scipy's column indexing builds that table over the whole vocabulary (300,000
        terms for leaning) on every call, which cost more than the TF-IDF itself for one article."""
        if len(self.columns_) == matrix.shape[1]:
            return matrix
        position = self.__dict__.get("_position")
        if position is None or len(position) != matrix.shape[1]:
            position = np.full(matrix.shape[1], -1, dtype=np.int64)
            position[self.columns_] = np.arange(len(self.columns_))
            self.__dict__["_position"] = position
        columns = position[matrix.indices]
        kept = columns >= 0
        indptr = np.concatenate(([0], np.cumsum(kept)))[matrix.indptr]
        chosen = csr(matrix.data[kept], columns[kept], indptr, (matrix.shape[0], len(self.columns_)))
        chosen.has_sorted_indices = matrix.has_sorted_indices
        return chosen

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_position", None)
        return state

    def _analyse_terms(self, texts: list[str]) -> Terms:
        return analyse_terms(self.vectorizer_, self._prepare(texts))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()[self.columns_]
