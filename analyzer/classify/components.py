"""The learned loaded-word detector as a spaCy component: ``analyzer_loaded_words``.

It runs after ``analyzer_framing`` and before ``analyzer_context`` and reuses the Doc as parsed
(parts of speech, dependencies, lemmas, the lexicon hits): nothing is parsed again. Every
candidate word (see :mod:`analyzer.classify.tokens`) is scored by the shipped
``loaded_words`` model; those outside lexicon hits whose calibrated probability reaches the
model's threshold (chosen by cross-validation at training time, stored in its sidecar and the
model) become framing hits with ``source: "model"`` and ``score`` = that probability. ``analyzer_context`` then gives them
target, negation and hedge like any lexicon hit. Lexicon hits stay as they are, but their ``score``
becomes the model's probability for their most loaded candidate word (1.0 stays for a hit without
one): hits with ``score`` at or above the threshold are the *combined* loaded-word detection that
``analyzer evaluate --task loaded_words`` scores.

Category: the *nearest lexicon category*, i.e. the category of the lexicon word most similar to the
hit's lemma by the Dice coefficient of their letter trigrams (word boundaries included), when that
similarity is at least :data:`NEAREST_MIN` ("demonizing" -> "demonize", moral_judgement); otherwise
``uncategorized``. Polarity is the nearest entry's, or 0 when uncategorized.
"""

from __future__ import annotations

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..lexicons import Lexicon, default_lexicon_path, load_lexicon
from ..nlp.sentences import sentence_bounds
from .artifacts.words import LoadedWordScorer, hit_score
from .candidates import may_be_loaded, merge_adjacent
from .model import load_word_scorer
from .tokens import lexicon_categories, sentence_tokens

UNCATEGORIZED = "uncategorized"
NEAREST_MIN = 0.5


def trigrams(word: str) -> frozenset[str]:
    """Letter trigrams of ``word`` with boundary marks (``"coup"`` -> ``{"#co", "cou", "oup", "up#"}``)."""
    padded = f"#{word}#"
    return frozenset(padded[k : k + 3] for k in range(max(1, len(padded) - 2)))


class NearestCategory:
    """Category and polarity of the lexicon word nearest to a lemma (see the module docstring)."""

    def __init__(self, lexicons: list[Lexicon], minimum: float = NEAREST_MIN) -> None:
        self.minimum = minimum
        self.entries = [
            (trigrams(e.term), e.category, e.polarity)
            for lexicon in lexicons
            for e in lexicon.entries
            if " " not in e.term
        ]
        self._cache: dict[str, tuple[str, int]] = {}

    def __call__(self, lemma: str) -> tuple[str, int]:
        found = self._cache.get(lemma)
        if found is None:
            grams = trigrams(lemma)
            best, found = self.minimum, (UNCATEGORIZED, 0)
            for other, category, polarity in self.entries:
                dice = 2 * len(grams & other) / (len(grams) + len(other))
                if dice >= best:
                    best, found = dice, (category, polarity)
            self._cache[lemma] = found
        return found


class LoadedWords:
    """The ``analyzer_loaded_words`` component (see the module docstring)."""

    def __init__(
        self,
        model: LoadedWordScorer,
        words: frozenset[str],
        nearest: NearestCategory,
        threshold: float,
        metadata: dict | None = None,
    ) -> None:
        self.model = model
        self.words = words
        self.nearest = nearest
        self.threshold = threshold
        self.metadata = metadata or {}

    @property
    def label(self) -> dict:
        """What results record under ``versions.models.loaded_words``."""
        return {
            "sha256": self.model.sha256[:16],
            "data": self.metadata.get("training_data", {}).get("dataset"),
            "threshold": self.threshold,
        }

    def __call__(self, doc: Doc) -> Doc:
        hits = list(doc._.az_framing or [])
        if len(doc) == 0:
            return doc
        lexicon = lexicon_categories(doc)
        bounds = sorted(set(sentence_bounds(doc)))
        features, pos, words, lemmas, rows, texts = [], [], [], [], [], []
        for number, (start, end) in enumerate(bounds):
            sentence = sentence_tokens(doc, start, end, lexicon, self.words)
            features += sentence.features
            pos += sentence.pos
            words += sentence.words
            lemmas += sentence.lemmas
            rows += [(number, start + offset) for offset in sentence.candidates]
            texts.append(sentence.text)
        if not rows:
            return doc
        used = sorted({number for number, _ in rows})
        p_sentence = dict(zip(used, self.model.sentence_probability([texts[k] for k in used]), strict=True))
        p_rows = np.array([p_sentence[n] for n, _ in rows])
        probs = self.model.score_features(features, pos, p_rows, words, lemmas)
        scored = {i: float(p) for (_, i), p in zip(rows, probs, strict=True)}
        hits = [_rescored(hit, scored) for hit in hits]
        attributed = doc.has_extension("az_voice") and doc.has_extension("az_speaker")
        voice = (doc._.az_voice if attributed else None) or ["author"] * len(doc)
        speaker = (doc._.az_speaker if attributed else None) or [None] * len(doc)
        for i, p in scored.items():
            if p < self.threshold or i in lexicon or not may_be_loaded(doc, i):
                continue
            lemma = doc[i].lemma_.lower()
            category, polarity = self.nearest(lemma)
            hits.append(
                {
                    "start": i,
                    "end": i + 1,
                    "lemma": lemma,
                    "category": category,
                    "polarity": polarity,
                    "source": "model",
                    "score": round(p, 3),
                    "voice": voice[i],
                    "speaker": speaker[i],
                }
            )
        doc._.az_framing = merge_adjacent(doc, hits)
        return doc


def _rescored(hit: dict, scored: dict[int, float]) -> dict:
    """A lexicon hit with ``score`` = the model's probability for its most loaded candidate word
    (:func:`~analyzer.classify.artifacts.words.hit_score`; unchanged when it has none, e.g. a quoted
    name)."""
    score = hit_score(range(hit["start"], hit["end"]), scored)
    return hit if score is None else {**hit, "score": round(score, 3)}


@Language.factory(
    "analyzer_loaded_words",
    assigns=["doc._.az_framing"],
    requires=["doc._.az_framing"],
    default_config={"model": None, "threshold": None},
)
def make_loaded_words(nlp: Language, name: str, model: str | None, threshold: float | None) -> LoadedWords:
    """Factory: the model in ``model`` (default: the shipped ``loaded_words``), its own threshold
    unless ``threshold`` is given, and the nearest category from the shipped lexicon."""
    scorer, metadata = load_word_scorer(model)
    lexicon = load_lexicon(default_lexicon_path())
    words = lexicon.single_words()
    chosen = scorer.threshold if threshold is None else float(threshold)
    return LoadedWords(scorer, words, NearestCategory([lexicon]), chosen, metadata)
