"""The author's attitude toward an entity, from its scored mentions and the framing aimed at it.

``entities[].stance`` answers what a reader would say the article's author thinks of the entity.
The mean sentiment of every sentence that names it answers a different question: in news, most
sentences naming someone report what others said or did, and a quoted attack is the speaker's, not
the author's. The rule (:func:`author_stance`) therefore adds up evidence, in mention units:

- **mentions, weighed by voice**: the sum over the entity's mentions of P(favor) − P(against) from
  the entity-stance model, each weighed 1 in the author's own words and by
  :attr:`AuthorStanceRule.attributed` / :attr:`AuthorStanceRule.quoted` in reported speech and
  quotations. A sum, not a mean: an author's attitude shows in how much is said about an entity,
  and on BASIL the entities the experts saw an attitude toward are mentioned more often;
- **framing aimed at the entity**: the framing hits whose ``target`` is the entity, each counting
  its polarity (−1, 0, 1) times its score, weighed by the same voice weights, not at all when
  negated ("was not a dictator") and by half when hedged ("alleged fraud"), times
  :attr:`AuthorStanceRule.framing`;
- **a neutral band**: the label is ``against`` at or below −:attr:`AuthorStanceRule.against`,
  ``favor`` at or above :attr:`AuthorStanceRule.favor`, and ``neutral`` between. Most entities in
  news are neutral, so the band is wide: an entity needs several clearly one-sided mentions.

The weights and thresholds were chosen by cross-validation grouped by event on BASIL's
development half (45 events; ``docs/experiments/author_stance.md`` has the protocol and figures:
macro-F1 0.43 in CV, against 0.37 for the mean of the mention probabilities). This module needs the
records only: it is shared by the analysis (:mod:`analyzer.classify.apply`) and by the evaluation
that tunes and checks it (:mod:`analyzer.evaluation.article_stance`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..records import Entity, FramingHit

LABELS = ("against", "neutral", "favor")
VOICES = ("author", "attributed", "quoted")
HEDGED_WEIGHT = 0.5
"""A hedged framing hit ("alleged", "so-called", a modal) counts half."""


@dataclass(frozen=True)
class AuthorStanceRule:
    """Weights and thresholds of the author-stance rule (see the module docstring).

    - ``attributed``, ``quoted``: weight of a mention (and of a framing hit) in reported speech and
      inside quotation marks; the author's own words weigh 1.
    - ``framing``: what one framing hit aimed at the entity counts, in mention units.
    - ``against``, ``favor``: the neutral band: ``score <= -against`` is against, ``score >=
      favor`` is favor.
    """

    attributed: float = 1.0
    quoted: float = 0.5
    framing: float = 1.0
    against: float = 3.25
    favor: float = 3.25

    @property
    def weights(self) -> tuple[float, float, float]:
        """The weight of each of :data:`VOICES`, in that order (the author's own words 1)."""
        return (1.0, self.attributed, self.quoted)

    def voice_weight(self, voice: str) -> float:
        """Weight of words in ``voice`` (``author`` 1, as is any voice not in :data:`VOICES`)."""
        return dict(zip(VOICES, self.weights, strict=True)).get(voice, 1.0)

    def weighted(self, by_voice: Sequence[float]) -> float:
        """The sum of per-voice values (in :data:`VOICES` order) times the voices' weights."""
        return sum(w * x for w, x in zip(self.weights, by_voice, strict=True))

    def to_dict(self) -> dict[str, float]:
        """The settings as a plain dict (for evaluation output and docs)."""
        return {
            "attributed": self.attributed,
            "quoted": self.quoted,
            "framing": self.framing,
            "against": self.against,
            "favor": self.favor,
        }


DEFAULT_RULE = AuthorStanceRule()


@dataclass(frozen=True)
class Evidence:
    """What the rule reads of one entity, by voice (``author``, ``attributed``, ``quoted``):
    the summed P(favor) − P(against) of its mentions (``lean``), their number (``mentions``) and
    the signed framing aimed at it (``framing``: polarity × score, hedged hits half, negated hits
    not at all). Any rule's score is a weighted sum of these, so a grid of rules is cheap to score."""

    lean: tuple[float, float, float]
    mentions: tuple[int, int, int]
    framing: tuple[float, float, float]


def evidence(entity: Entity, framing: Iterable[FramingHit], labels: Sequence[str] = LABELS) -> Evidence:
    """The :class:`Evidence` of ``entity`` (its mentions scored) among the article's ``framing``."""
    lean = [0.0, 0.0, 0.0]
    count = [0, 0, 0]
    aimed = [0.0, 0.0, 0.0]
    for mention in entity.mentions:
        k = VOICES.index(mention.voice) if mention.voice in VOICES else 0
        probs = mention.stance or {}
        lean[k] += float(probs.get("favor", 0.0)) - float(probs.get("against", 0.0))
        count[k] += 1
    for hit in framing:
        if hit.target != entity.id or not hit.polarity or hit.negated:
            continue
        k = VOICES.index(hit.voice) if hit.voice in VOICES else 0
        aimed[k] += hit.polarity * hit.score * (HEDGED_WEIGHT if hit.hedged else 1.0)
    return Evidence(tuple(lean), tuple(count), tuple(aimed))  # type: ignore[arg-type]


def decide(score: float, rule: AuthorStanceRule = DEFAULT_RULE) -> str:
    """The label of an author-stance ``score`` under the rule's neutral band."""
    if score <= -rule.against:
        return "against"
    if score >= rule.favor:
        return "favor"
    return "neutral"


def author_score(found: Evidence, rule: AuthorStanceRule = DEFAULT_RULE) -> float:
    """The rule's score: the voice-weighted sum of the mentions' P(favor) − P(against) plus
    ``rule.framing`` times the voice-weighted framing sum."""
    return rule.weighted(found.lean) + rule.framing * rule.weighted(found.framing)


def author_stance(
    entity: Entity,
    framing: Sequence[FramingHit],
    labels: Sequence[str],
    rule: AuthorStanceRule = DEFAULT_RULE,
) -> dict[str, Any]:
    """The ``stance`` entry of ``entity`` from its mentions' ``stance`` probabilities (all scored)
    and the article's ``framing``: ``label`` (the rule's decision), ``score`` (the rule's score, in
    mention units), ``probs`` (the voice-weighted mean of the mention probabilities, for reading;
    the plain mean when every mention is quoted), ``framing`` (the voice-weighted framing sum aimed
    at it) and ``author_mentions`` (the mentions' total voice weight)."""
    found = evidence(entity, framing, labels)
    weights = np.array([rule.voice_weight(m.voice) for m in entity.mentions], dtype=float)
    probs = np.array([[(m.stance or {}).get(label, 0.0) for label in labels] for m in entity.mentions])
    total = float(weights.sum())
    mean = (weights[:, None] * probs).sum(axis=0) / total if total > 0 else probs.mean(axis=0)
    score = author_score(found, rule)
    return {
        "label": decide(score, rule),
        "score": round(score, 4),
        "probs": {label: round(float(p), 4) for label, p in zip(labels, mean, strict=True)},
        "framing": round(rule.weighted(found.framing), 4),
        "author_mentions": round(total, 4),
    }
