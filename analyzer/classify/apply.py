"""Fill an analysed article's classifier fields from the trained models.

The models see what they were trained on, cut from the record and the exact input text:

- ``sentence_bias``: each sentence's text → ``sentences[].bias`` = P(biased); ``scores.bias`` is
  the mean over the article's sentences.
- ``entity_stance``: each mention with its sentence (target offsets inside the sentence) →
  against / neutral / favor (``mentions[].stance``); ``entities[].stance`` is the author's
  attitude toward the entity (:mod:`analyzer.classify.author`): the mentions weighed by their voice,
  plus the framing aimed at the entity, against a neutral band; ``model`` names the model that
  scored the mentions. With the encoder on (the ``full``
  profile), the mentions of the entities named in the article's ``targets`` and of its
  ``encoder_entities`` (:data:`~analyzer.config.ENCODER_ENTITIES`) most mentioned entities (named
  at least :data:`MIN_ENCODER_MENTIONS` times) are scored by the fine-tuned encoder, up to
  :data:`MAX_ENCODER_MENTIONS` mentions per article; the others keep the linear model, whose cost
  is negligible. ``truncated`` counts the mentions whose encoder input was cut at its length limit
  (present when not 0).
- ``leaning``: title + ". " + the first 6,000 characters (as in training) → left / center / right.
- ``targets`` (user-given): a target naming one of the article's entities (same matching key as
  the entity merger: "the OAS" = "OAS") gets that entity's stance; one of the five SemEval topics
  gets the topic model over the sentences that name the topic (the whole text when none does);
  any other target is scored with the entity-stance model at its literal occurrences. Labels use
  the topic vocabulary (against / none / favor; the entity model's "neutral" reads as "none"), and
  a target that does not occur gets ``label: None`` with ``mentions: 0``, not a guess.

Records are scored in batches (one model call per task per batch); the models run from their
arrays (:mod:`analyzer.classify.model`), without scikit-learn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..config import CLASSIFIER_TASKS, ENCODER_ENTITIES, ENCODER_STANCE
from ..nlp.textnorm import fold, name_key
from ..records import ArticleAnalysis, Entity
from .author import author_stance
from .model import Model, load_model, model_label, shipped_folder
from .text import ARTICLE_CHARS, article_text

TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "atheism": ("Atheism", ("atheis", "god", "religio", "faith")),
    "climate change": ("Climate Change is a Real Concern", ("climate", "global warming")),
    "climate change is a real concern": ("Climate Change is a Real Concern", ("climate", "global warming")),
    "feminism": ("Feminist Movement", ("feminis", "women")),
    "feminist movement": ("Feminist Movement", ("feminis", "women")),
    "hillary clinton": ("Hillary Clinton", ("hillary", "clinton")),
    "abortion": ("Legalization of Abortion", ("abortion", "pro-life", "pro-choice", "roe")),
    "legalization of abortion": ("Legalization of Abortion", ("abortion", "pro-life", "pro-choice", "roe")),
}
TOPIC_LABELS = {"against": "against", "neutral": "none", "none": "none", "favor": "favor"}
MIN_ENCODER_MENTIONS = 2
"""Entities named at least this often (or named in ``targets``) get the encoder's stance."""
MAX_ENCODER_MENTIONS = 400
"""The encoder scores at most this many mentions per article (a news article has a few dozen):
entities named in ``targets`` first, then the most mentioned, each whole or not at all; the rest
keep the linear model. This bounds the cost of very long texts (a book-length text names its
protagonist thousands of times, each a forward pass of the encoder)."""
LINEAR_STANCE = "entity_stance"


def _probs(labels: Sequence[str], row: np.ndarray) -> dict[str, float]:
    return {label: round(float(p), 4) for label, p in zip(labels, row, strict=True)}


def _leaning_text(text: str, record: ArticleAnalysis) -> str:
    """What the leaning model reads, as in training (:func:`~.text.article_text`)."""
    return article_text(record.title, text)


def _target_stance(labels: Sequence[str], probs: np.ndarray, source: str, mentions: int) -> dict[str, Any]:
    """A user target's entry: mean probabilities in the topic vocabulary, the model, the count."""
    stance = _stance(labels, probs, topic_vocabulary=True)
    return {"label": stance["label"], "probs": stance["probs"], "source": source, "mentions": mentions}


def _stance(labels: Sequence[str], probs: np.ndarray, topic_vocabulary: bool = False) -> dict[str, Any]:
    mean = probs.mean(axis=0)
    named = _probs(labels, mean)
    if topic_vocabulary:
        named = {TOPIC_LABELS[k]: v for k, v in named.items()}
    label = max(named, key=named.__getitem__)
    score = named.get("favor", 0.0) - named.get("against", 0.0)
    return {"label": label, "score": round(score, 4), "probs": named}


class Scorer:
    """Applies the trained models (shipped defaults, or folders given per task) to records."""

    def __init__(
        self,
        models: Mapping[str, str] | None = None,
        encoder: bool = True,
        encoder_entities: int | None = ENCODER_ENTITIES,
    ) -> None:
        self.paths = dict(models or {})
        self.encoder = encoder
        self.encoder_entities = encoder_entities

    def model(self, task: str) -> Model:
        """The model for ``task`` (read once per process, checked against its sidecar)."""
        return load_model(task, self.paths.get(task))

    def _encoder_folder(self) -> Path | None:
        """The encoder's model folder: the one given, else the shipped one if any (None when the
        encoder is off or none is shipped)."""
        if not self.encoder:
            return None
        given = self.paths.get(ENCODER_STANCE)
        if given:
            return Path(given)
        shipped = shipped_folder(ENCODER_STANCE)
        return shipped if shipped.is_dir() else None

    def encoder_model(self) -> Model | None:
        """The fine-tuned encoder for entity stance, or None (see :meth:`_encoder_folder`)."""
        folder = self._encoder_folder()
        return None if folder is None else load_model(LINEAR_STANCE, str(folder))

    def versions(self) -> dict[str, Any]:
        """Per task: the model's arrays' sha256 prefix and its training data, for ``versions.models``
        (read from each model's description: a model no article needs is not loaded for this)."""
        found = {task: model_label(self.paths.get(task) or shipped_folder(task)) for task in CLASSIFIER_TASKS}
        folder = self._encoder_folder()
        if folder is not None:
            found[ENCODER_STANCE] = model_label(folder)
        return found

    def score(self, items: Sequence[tuple[str, ArticleAnalysis]]) -> None:
        """Fill the classifier fields of each ``(text, record)`` in place."""
        if not items:
            return
        self._sentence_bias(items)
        self._entity_stance(items)
        self._leaning(items)
        self._targets(items)

    def _sentence_bias(self, items: Sequence[tuple[str, ArticleAnalysis]]) -> None:
        texts = [text[s.start : s.end] for text, record in items for s in record.sentences]
        model = self.model("sentence_bias")
        column = model.labels.index("biased")
        probs = model.predict_proba({"text": texts})[:, column] if texts else []
        position = 0
        for _, record in items:
            values = probs[position : position + len(record.sentences)]
            position += len(record.sentences)
            for sentence, value in zip(record.sentences, values, strict=True):
                sentence.bias = round(float(value), 4)
            record.scores["bias"] = round(float(np.mean(values)), 4) if len(values) else None

    @staticmethod
    def _mentions(
        text: str, record: ArticleAnalysis, spans: Sequence[tuple[int, int, int]]
    ) -> dict[str, list]:
        """The entity-stance model's input columns for ``(start, end, sentence index)`` spans: the
        sentence text and the target's offsets inside it (columns, not row dicts: a frame built
        from row dicts cost three times as much)."""
        columns: dict[str, list] = {"text": [], "target_start": [], "target_end": []}
        for start, end, sentence_index in spans:
            sentence = record.sentences[sentence_index]
            columns["text"].append(text[sentence.start : sentence.end])
            columns["target_start"].append(start - sentence.start)
            columns["target_end"].append(end - sentence.start)
        return columns

    def _entity_stance(self, items: Sequence[tuple[str, ArticleAnalysis]]) -> None:
        encoder = self.encoder_model()
        linear: list[tuple[str, ArticleAnalysis, Entity]] = []
        for text, record in items:
            named = {name_key(target) for target in record.targets}
            wanted = []
            for entity in record.entities:
                if not entity.mentions:
                    continue
                is_named = bool(named & {name_key(a) for a in (entity.name, *entity.aliases)})
                if encoder is not None and (len(entity.mentions) >= MIN_ENCODER_MENTIONS or is_named):
                    wanted.append((not is_named, -len(entity.mentions), entity))
                else:
                    linear.append((text, record, entity))
            # named targets first, then the most mentioned; only the latter count toward encoder_entities
            chosen, budget, ranked = [], MAX_ENCODER_MENTIONS, 0
            for unnamed, _, entity in sorted(wanted, key=lambda item: item[:2]):
                ranked += unnamed
                in_rank = not unnamed or self.encoder_entities is None or ranked <= self.encoder_entities
                fits = in_rank and len(entity.mentions) <= budget
                budget -= len(entity.mentions) if fits else 0
                (chosen if fits else linear).append((text, record, entity))
            if chosen and encoder is not None:  # one call per article: its mentions in one batch
                self._score_entities(encoder, ENCODER_STANCE, chosen)
        if linear:
            self._score_entities(self.model(LINEAR_STANCE), LINEAR_STANCE, linear)

    def _score_entities(
        self, model: Model, name: str, entities: Sequence[tuple[str, ArticleAnalysis, Entity]]
    ) -> None:
        """Score every mention of ``entities`` with ``model`` in one call; fill each mention's and
        entity's ``stance`` (``model``: ``name``)."""
        columns: dict[str, list] = {"text": [], "target_start": [], "target_end": []}
        for text, record, entity in entities:
            spans = [(m.start, m.end, m.sentence) for m in entity.mentions]
            for column, values in self._mentions(text, record, spans).items():
                columns[column].extend(values)
        probs = model.predict_proba(columns)
        cut = model.scorer.truncated(columns)
        position = 0
        for _, record, entity in entities:
            rows = slice(position, position + len(entity.mentions))
            position += len(entity.mentions)
            for mention, row in zip(entity.mentions, probs[rows], strict=True):
                mention.stance = _probs(model.labels, row)
            entity.stance = {**author_stance(entity, record.framing, model.labels), "model": name}
            if any(cut[rows]):
                entity.stance["truncated"] = int(sum(cut[rows]))

    def _leaning(self, items: Sequence[tuple[str, ArticleAnalysis]]) -> None:
        texts = [_leaning_text(text, record) for text, record in items]
        model = self.model("leaning")
        probs = model.predict_proba({"text": texts})
        for (_, record), row in zip(items, probs, strict=True):
            named = _probs(model.labels, row)
            record.scores["leaning"] = {"label": max(named, key=named.__getitem__), "probs": named}

    def _targets(self, items: Sequence[tuple[str, ArticleAnalysis]]) -> None:
        for text, record in items:
            for target in record.targets:
                record.targets[target] = self._target(text, record, target)

    def _target(self, text: str, record: ArticleAnalysis, target: str) -> dict[str, Any]:
        key = name_key(target)
        for entity in record.entities:
            if entity.stance and key in {name_key(a) for a in (entity.name, *entity.aliases)}:
                named = {TOPIC_LABELS[k]: v for k, v in entity.stance["probs"].items()}
                return {
                    "label": TOPIC_LABELS[entity.stance["label"]],
                    "probs": named,
                    "source": LINEAR_STANCE,
                    "model": entity.stance.get("model", LINEAR_STANCE),
                    "entity": entity.id,
                    "mentions": entity.count,
                }
        topic = TOPICS.get(fold(target).strip())
        if topic is not None:
            return self._topic(text, record, *topic)
        spans = (
            [
                (m.start(), m.end(), self._sentence_of(record, m.start()))
                for m in re.finditer(rf"(?<!\w){re.escape(target.strip())}(?!\w)", text, re.IGNORECASE)
            ]
            if target.strip()
            else []
        )
        if not spans:
            return {"label": None, "probs": None, "source": None, "mentions": 0}
        encoder = self.encoder_model()
        model = encoder or self.model(LINEAR_STANCE)
        probs = model.predict_proba(self._mentions(text, record, spans))
        found = _target_stance(model.labels, probs, LINEAR_STANCE, len(spans))
        return {**found, "model": ENCODER_STANCE if encoder else LINEAR_STANCE}

    @staticmethod
    def _sentence_of(record: ArticleAnalysis, offset: int) -> int:
        starts = [s.start for s in record.sentences]
        return max(int(np.searchsorted(starts, offset, side="right")) - 1, 0)

    def _topic(
        self, text: str, record: ArticleAnalysis, topic: str, keywords: tuple[str, ...]
    ) -> dict[str, Any]:
        sentences = [text[s.start : s.end] for s in record.sentences]
        naming = [s for s in sentences if any(k in fold(s) for k in keywords)]
        chosen = naming or [text[:ARTICLE_CHARS]]
        model = self.model("topic_stance")
        probs = model.predict_proba({"text": chosen, "target": [topic] * len(chosen)})
        return _target_stance(model.labels, probs, "topic_stance", len(naming))

    def explain(self, text: str, record: ArticleAnalysis, top: int = 5, sentences: int = 3) -> dict[str, Any]:
        """The features behind a scored record's predictions: the leaning, the ``sentences`` most
        biased sentences, and each entity's stance (through its most confident mention). The
        encoder has no named features: an entity it scored is explained by the linear model's
        features toward the entity's label, at the mention where that model gives the label the
        highest probability."""
        out: dict[str, Any] = {"leaning": [], "sentences": [], "entities": {}}
        leaning = self.model("leaning")
        lean_text = _leaning_text(text, record)
        out["leaning"] = leaning.predictions({"text": [lean_text]})[0].explain(top)
        ranked = sorted(range(len(record.sentences)), key=lambda i: -(record.sentences[i].bias or 0.0))
        bias = self.model("sentence_bias")
        for index in ranked[:sentences]:
            sentence = record.sentences[index]
            prediction = bias.predictions({"text": [text[sentence.start : sentence.end]]})[0]
            out["sentences"].append(
                {"sentence": index, "bias": sentence.bias, "features": prediction.explain(top, "biased")}
            )
        stance = self.model("entity_stance")
        for entity in record.entities:
            if not entity.stance:
                continue
            spans = [(m.start, m.end, m.sentence) for m in entity.mentions]
            predictions = stance.predictions(self._mentions(text, record, spans))
            label = entity.stance["label"]
            best = max(range(len(predictions)), key=lambda i: predictions[i].probs[label])
            out["entities"][entity.id] = {
                "name": entity.name,
                "label": label,
                "mention": entity.mentions[best].text,
                "features": predictions[best].explain(top, label),
            }
        return out
