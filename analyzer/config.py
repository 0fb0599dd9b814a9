"""Typed configuration of an :class:`~analyzer.Analyzer`."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ParameterError

DEFAULT_MAX_CHUNK_CHARS = 200_000
DEFAULT_MAX_CHARS = 10_000_000
MIN_TERM_HITS = 2
"""Comparison tables report a framing term on its own from this many hits (``--min-term-hits``)."""
MAX_TERMS = 300
"""Comparison tables list at most this many terms on their own, the most frequent (``--max-terms``)."""
CLASSIFIER_TASKS = ("sentence_bias", "entity_stance", "leaning", "topic_stance")
ENCODER_STANCE = "entity_stance_encoder"
"""The fine-tuned encoder for entity stance: a model folder of task ``entity_stance``, used by the
``full`` profile for entities with enough mentions (``models={"entity_stance_encoder": folder}``
replaces the shipped one)."""
PROFILES = ("full", "fast")
LOADED_WORDS_THRESHOLD = 0.15
ENCODER_ENTITIES = 3
"""The ``full`` profile scores the mentions of this many entities per article with the fine-tuned
encoder, the most mentioned first (besides those named in ``targets``)."""


@dataclass(frozen=True)
class AnalyzerConfig:
    """Options of the analysis; every field has a command-line flag (see docs/cli.md).

    - ``spacy_model``: installed pipeline name or path; None = en_core_web_sm 3.8.0.
    - ``lexicons``: extra framing lexicon files (format in ``analyzer/lexicons/README.md``).
    - ``include_default_lexicon``: also use the shipped ``framing_v1.tsv``.
    - ``aliases``: extra alias files merging names (format in ``analyzer/nlp/aliases.py``).
    - ``max_chunk_chars``: texts longer than this are analyzed in chunks split at paragraph or
      sentence breaks (spaCy's parser needs memory in proportion to the text); offsets stay exact.
    - ``max_chars``: longer texts are refused with :class:`~analyzer.errors.TextTooLongError`
      (``AZ106``) before any processing; in a batch run such a document is a failure with reason
      ``too long`` and the run goes on. ``None`` (CLI ``--max-chars 0``) means no limit. The default,
      10,000,000 characters (about 1.7 million words, several minutes of analysis on one core), is
      far above any article and stops a whole dump pasted into one field from stalling a run; the
      record of a text holds every sentence and hit, so memory grows with the text even when
      chunked.
    - ``classifiers``: fill stance, sentence bias, leaning and targets with the trained models
      (False: those fields stay null and analysis is a little faster).
    - ``models``: ``{task: model folder}`` replacing a shipped model (a folder written by
      ``analyzer train --out``; its files are checked against their sidecar before they are read);
      ``entity_stance_encoder`` names the fine-tuned encoder's folder.
    - ``loaded_words``: add the learned loaded-word detector's hits (``source: "model"``, with
      the model's probability as ``score``) to the lexicon's (see :mod:`analyzer.classify.components`). On
      by default; it needs the dependency parse, so the ``fast`` profile never runs it, and it
      runs only with the shipped lexicon (``include_default_lexicon``), whose words it was
      trained beside.
    - ``loaded_words_threshold``: the probability from which a scored word becomes a hit.
      The default, :data:`LOADED_WORDS_THRESHOLD`, was chosen on news (the BASIL development
      half: recall of the experts' lexical-bias spans within 30 framing hits per 1,000 words;
      ``analyzer evaluate --task framing --dataset basil``); ``None`` uses the model's own
      threshold, chosen for word-level F1 on BABE (denser sentences, fewer but surer hits).
    - ``profile``: ``"full"`` runs spaCy's dependency parser; ``"fast"`` leaves it out (sentences
      from the pipeline's trained ``senter``, or the rule-based sentencizer) and so changes what
      the parse-based rules can see: voice comes from quotation marks only (no reported speech, no
      speakers), and a framing hit's target, negation and hedge come from word windows (see
      :mod:`analyzer.nlp.context`). Entity stance: ``full`` scores the mentions of the entities
      named in ``targets`` and of the ``encoder_entities`` most mentioned entities (named at least
      twice) with the fine-tuned encoder, the rest with the linear model; ``fast`` uses the linear
      model for all.
    - ``encoder_entities``: how many of an article's most mentioned entities get the encoder's
      stance in the ``full`` profile (None, CLI ``0``: all named at least twice). The encoder is
      the analysis' largest cost, about 6 ms per mention on one core; the default, 3, keeps the
      default profile at about half the speed of bare spaCy (docs/performance.md), and covers the
      main entities of most news articles (the BASIL figures are in docs/performance.md).
    """

    spacy_model: str | None = None
    lexicons: tuple[str, ...] = field(default_factory=tuple)
    include_default_lexicon: bool = True
    aliases: tuple[str, ...] = field(default_factory=tuple)
    max_chunk_chars: int = DEFAULT_MAX_CHUNK_CHARS
    max_chars: int | None = DEFAULT_MAX_CHARS
    classifiers: bool = True
    models: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    profile: str = "full"
    loaded_words: bool = True
    loaded_words_threshold: float | None = LOADED_WORDS_THRESHOLD
    encoder_entities: int | None = ENCODER_ENTITIES

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ParameterError("profile", " or ".join(PROFILES), self.profile)
        count = self.encoder_entities
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise ParameterError("encoder_entities", "an integer >= 1 or None (all)", count)
        if not isinstance(self.max_chunk_chars, int) or self.max_chunk_chars < 1000:
            raise ParameterError("max_chunk_chars", "an integer >= 1000", self.max_chunk_chars)
        threshold = self.loaded_words_threshold
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1
        ):
            raise ParameterError("loaded_words_threshold", "a number in (0, 1] or None", threshold)
        if self.max_chars is not None and (
            isinstance(self.max_chars, bool) or not isinstance(self.max_chars, int) or self.max_chars < 1
        ):
            raise ParameterError("max_chars", "an integer >= 1 or None (no limit)", self.max_chars)
        object.__setattr__(self, "lexicons", tuple(str(p) for p in self.lexicons))
        object.__setattr__(self, "aliases", tuple(str(p) for p in self.aliases))
        pairs = self.models.items() if isinstance(self.models, dict) else self.models
        try:
            models = tuple(sorted((str(task), str(path)) for task, path in pairs))
        except (TypeError, ValueError) as exc:
            raise ParameterError("models", "a mapping of task name to model folder", self.models) from exc
        for task, _ in models:
            if task not in (*CLASSIFIER_TASKS, ENCODER_STANCE):
                raise ParameterError(
                    "models", f"task names among {', '.join((*CLASSIFIER_TASKS, ENCODER_STANCE))}", task
                )
        object.__setattr__(self, "models", models)
