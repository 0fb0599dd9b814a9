"""Framing detection scored against expert span annotations (BASIL format).

The analysis runs on each article's built text (:mod:`analyzer.corpus.basil`) and its framing hits
are compared with the experts' *lexical* bias spans (``bias == "lex"``; informational spans mark
what facts are chosen, not words, and are left out). Definitions of the four figures:

1. **recall**: lexical spans *found*, i.e. overlapped by at least one framing hit (a hit and a
   span overlap when they share at least one character: ``hit.start < span.end`` and
   ``span.start < hit.end``), over all lexical spans placed in the body. Spans on the title are
   not analysed and not counted (see :attr:`FramingEvaluation.n_unplaced`).
2. **hits_per_1k_words**: all framing hits of the analysis (lexicon, model and scare quotes, in any
   voice), times 1,000, over the articles' words; a word is a run of letters or digits, inner
   hyphens and apostrophes included ("duly-elected", "Bolivia's" are one word each).
3. **quote_agreement**: over found spans, the share whose *matched hit* (the overlapping hit
   sharing the most characters with the span, the first one on a tie) has voice ``quoted``
   exactly when the expert marked the span as inside a direct quotation (``quote == "yes"``).
4. **target_agreement**: over found spans aimed directly at a named entity, the share whose matched
   hit's ``target`` is that entity. A span counts as aimed directly at a named entity when its
   ``aim`` is ``dir`` and its ``target`` (underscores read as spaces) is a proper name: every word
   capitalised except the connectors "of", "and", "the", "for", and the name (or, for a name of
   several words, its last word) written so in the article. The hit's target entity matches when
   the target's normalised key (:func:`~analyzer.nlp.textnorm.name_key`; diacritics, case, dots,
   titles ignored) equals the key of the entity's name or of one of its aliases, or of what the
   alias table makes of either ("U.S." = "United States"), or when one of the two is a single word
   that is the other's last word (a surname: "Trump" = "Donald Trump"), as entities are merged;
   a target naming two people ("Sasha_and_Malia_Obama") matches either of them.
   ``target_given`` is the share of those spans whose matched hit names any target at all.

Each figure comes with a 95 % bootstrap interval over events: the triplets (an event and its three
articles) are resampled with replacement and the counts summed again, so the interval reflects how
much the figure depends on which events were annotated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import LOADED_WORDS_THRESHOLD
from ..corpus.basil import BasilArticle, BasilSpan, read_basil
from ..engine import Engine
from ..errors import check_integers
from ..nlp.aliases import AliasTable, load_alias_table
from ..nlp.textnorm import fold, name_key, strip_titles
from ..records import ArticleAnalysis, ArticleInput, Entity, FramingHit

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
CONNECTORS = frozenset({"of", "and", "the", "for"})
COUNTS = (
    "articles",
    "words",
    "hits",
    "spans",
    "found",
    "quote_agree",
    "target_spans",
    "target_found",
    "target_given",
    "target_right",
)
FIGURES = {
    "recall": ("found", "spans"),
    "hits_per_1k_words": ("hits", "words"),
    "quote_agreement": ("quote_agree", "found"),
    "target_agreement": ("target_right", "target_found"),
    "target_given": ("target_given", "target_found"),
}


def count_words(text: str) -> int:
    """Words of ``text`` as the evaluation counts them (see the module docstring)."""
    return sum(1 for _ in WORD.finditer(text))


def is_named_target(target: str, text: str) -> bool:
    """Whether a BASIL ``target`` is a proper name written in ``text`` (see the module docstring)."""
    words = target.replace("_", " ").split()
    content = [w for w in words if w.lower() not in CONNECTORS]
    if not content or not all(w[:1].isupper() or w[:1].isdigit() for w in content):
        return False
    name = " ".join(words)
    probe = name if len(words) == 1 else words[-1]
    return re.search(rf"(?<!\w){re.escape(probe)}(?!\w)", text) is not None or name in text


def _keys(name: str, aliases: AliasTable, label: str) -> set[str]:
    keys = {name_key(name), name_key(" ".join(strip_titles(name.split())))}
    canonical = aliases.lookup(name, label)
    if canonical:
        keys.add(name_key(canonical))
    return {k for k in keys if k}


def target_names(target: str) -> list[str]:
    """The names a BASIL target stands for: itself and, for a pair, each of the two
    ("Sasha_and_Malia_Obama" -> also "Sasha Obama", "Malia Obama")."""
    words = target.replace("_", " ").split()
    if "and" not in words[1:-1]:
        return [" ".join(words)]
    cut = words.index("and")
    first, second = words[:cut], words[cut + 1 :]
    if len(first) == 1 and len(second) >= 2:
        first = [*first, second[-1]]
    return [" ".join(words), " ".join(first), " ".join(second)]


def names_match(target: str, entity: Entity, aliases: AliasTable) -> bool:
    """Whether the BASIL ``target`` names ``entity`` (see the module docstring)."""
    return any(_name_matches(name, entity, aliases) for name in target_names(target))


def _name_matches(name: str, entity: Entity, aliases: AliasTable) -> bool:
    wanted = _keys(name, aliases, entity.label)
    have: set[str] = set()
    for form in (entity.name, *entity.aliases):
        have |= _keys(form, aliases, entity.label)
    if wanted & have:
        return True
    for a in wanted:
        for b in have:
            short, long = sorted((a, b), key=lambda k: len(k.split()))
            if len(short.split()) == 1 and len(long.split()) > 1 and fold(long.split()[-1]) == short:
                return True
    return False


def matched_hit(span: BasilSpan, hits: Sequence[FramingHit]) -> FramingHit | None:
    """The hit sharing the most characters with ``span`` (the first on a tie), or None."""
    best, most = None, 0
    for hit in hits:
        shared = min(hit.end, span.end) - max(hit.start, span.start)
        if shared > most:
            best, most = hit, shared
    return best


@dataclass
class SpanOutcome:
    """How one lexical span fared: what the matched hit said against what the expert said."""

    article_id: str
    span: BasilSpan
    hit: FramingHit | None
    named_target: bool
    target_name: str | None
    target_right: bool

    def to_dict(self) -> dict[str, Any]:
        hit = self.hit
        return {
            "article_id": self.article_id,
            "span": self.span.txt,
            "start": self.span.start,
            "quote": self.span.quote,
            "target": self.span.target,
            "aim": self.span.aim,
            "hit": hit.text if hit else None,
            "source": hit.source if hit else None,
            "voice": hit.voice if hit else None,
            "hit_target": self.target_name,
            "named_target": self.named_target,
            "target_right": self.target_right,
        }


def score_article(
    article: BasilArticle, result: ArticleAnalysis, aliases: AliasTable
) -> tuple[dict[str, int], list[SpanOutcome]]:
    """The counts behind the figures for one article, and one outcome per lexical span."""
    counts = dict.fromkeys(COUNTS, 0)
    counts["articles"] = 1
    counts["words"] = count_words(article.text)
    counts["hits"] = len(result.framing)
    entities = {e.id: e for e in result.entities}
    outcomes = []
    for span in article.lexical_spans:
        hits = [h for h in result.framing if h.start < span.end and span.start < h.end]
        hit = matched_hit(span, hits)
        named = span.direct and is_named_target(span.target, article.text)
        entity = entities.get(hit.target) if hit is not None and hit.target else None
        right = bool(named and entity is not None and names_match(span.target, entity, aliases))
        counts["spans"] += 1
        counts["target_spans"] += named
        if hit is not None:
            counts["found"] += 1
            counts["quote_agree"] += (hit.voice == "quoted") == span.quote
            counts["target_found"] += named
            counts["target_given"] += named and entity is not None
            counts["target_right"] += right
        outcomes.append(
            SpanOutcome(article.article_id, span, hit, named, entity.name if entity else None, right)
        )
    return counts, outcomes


def _ratio(counts: dict[str, float], numerator: str, denominator: str) -> float | None:
    if not counts[denominator]:
        return None
    scale = 1000 if numerator == "hits" else 1
    return scale * counts[numerator] / counts[denominator]


def figures_of(counts: dict[str, float]) -> dict[str, float | None]:
    """The figures (see the module docstring) from summed counts."""
    return {name: _ratio(counts, *pair) for name, pair in FIGURES.items()}


def bootstrap_intervals(
    by_event: Sequence[dict[str, int]], boot: int = 1000, seed: int = 0
) -> dict[str, tuple[float, float] | None]:
    """95 % percentile intervals of every figure, resampling events (rows of per-event summed
    counts) with replacement ``boot`` times."""
    if not by_event or boot < 1:
        return dict.fromkeys(FIGURES)
    table = np.array([[row[c] for c in COUNTS] for row in by_event], dtype=float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(table), size=(boot, len(table)))
    sums = table[picks].sum(axis=1)
    column = {c: k for k, c in enumerate(COUNTS)}
    out: dict[str, tuple[float, float] | None] = {}
    for name, (numerator, denominator) in FIGURES.items():
        den = sums[:, column[denominator]]
        ok = den > 0
        if not ok.any():
            out[name] = None
            continue
        values = sums[ok, column[numerator]] / den[ok] * (1000 if numerator == "hits" else 1)
        low, high = np.percentile(values, [2.5, 97.5])
        out[name] = (float(low), float(high))
    return out


@dataclass
class FramingEvaluation:
    """Counts, figures and intervals of one evaluation run, with every span's outcome."""

    counts: dict[str, int]
    figures: dict[str, float | None]
    intervals: dict[str, tuple[float, float] | None]
    n_events: int
    n_unplaced: int
    config: dict[str, Any] = field(default_factory=dict)
    by_source: dict[str, dict[str, float | None]] = field(default_factory=dict)
    outcomes: list[SpanOutcome] = field(default_factory=list)

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        """JSON-ready summary; ``details`` adds one row per lexical span."""
        data: dict[str, Any] = {
            "task": "framing",
            "dataset": "basil",
            "unit": "expert lexical-bias span (bias == lex) vs framing hits of the analysis",
            "figures": {k: None if v is None else round(v, 4) for k, v in self.figures.items()},
            "intervals_95": {
                k: None if v is None else [round(v[0], 4), round(v[1], 4)] for k, v in self.intervals.items()
            },
            "interval_method": f"bootstrap over {self.n_events} events (triplets), percentile",
            "counts": self.counts,
            "unplaced_spans": self.n_unplaced,
            "by_source": {
                source: {k: None if v is None else round(v, 4) for k, v in figures.items()}
                for source, figures in sorted(self.by_source.items())
            },
            "config": self.config,
        }
        if details:
            data["spans"] = [o.to_dict() for o in self.outcomes]
        return data


def evaluate_framing(
    articles: Iterable[BasilArticle],
    analyzer: Engine | None = None,
    boot: int = 1000,
    seed: int = 0,
    batch_size: int = 8,
) -> FramingEvaluation:
    """Analyze every article with ``analyzer`` (default: ``Engine(classifiers=False)``, since
    the figures use no classifier) and score its framing hits (see the module docstring)."""
    analyzer = analyzer or Engine(classifiers=False)
    items = list(articles)
    inputs = (ArticleInput(a.text, doc_id=a.article_id, outlet=a.source, title=a.title) for a in items)
    aliases = load_alias_table(analyzer.config.aliases)
    totals = dict.fromkeys(COUNTS, 0)
    events: dict[str, dict[str, int]] = {}
    sources: dict[str, dict[str, int]] = {}
    outcomes: list[SpanOutcome] = []
    unplaced = 0
    results = analyzer.analyze_many(inputs, batch_size=batch_size)
    for article, result in zip(items, results, strict=True):
        counts, spans = score_article(article, result, aliases)
        outcomes += spans
        unplaced += sum(1 for raw in article.unplaced if isinstance(raw, dict) and raw.get("bias") == "lex")
        event = events.setdefault(article.triplet, dict.fromkeys(COUNTS, 0))
        source = sources.setdefault(article.source, dict.fromkeys(COUNTS, 0))
        for bucket in (totals, event, source):
            for key, value in counts.items():
                bucket[key] += value
    config = analyzer.config
    return FramingEvaluation(
        counts=totals,
        figures=figures_of(totals),
        intervals=bootstrap_intervals(list(events.values()), boot, seed),
        n_events=len(events),
        n_unplaced=unplaced,
        config={
            "profile": config.profile,
            "loaded_words": config.loaded_words and config.profile == "full",
            "loaded_words_threshold": config.loaded_words_threshold,
        },
        by_source={source: figures_of(c) for source, c in sources.items()},
        outcomes=outcomes,
    )


def evaluate_basil(
    path: str | Path,
    profile: str = "full",
    loaded_words: bool | None = None,
    spacy_model: str | None = None,
    boot: int = 1000,
    seed: int = 0,
    loaded_words_threshold: float | None = LOADED_WORDS_THRESHOLD,
) -> FramingEvaluation:
    """:func:`evaluate_framing` on the BASIL-format file ``path`` with an analysis of the given
    ``profile`` (``loaded_words`` None: the configuration's default; ``loaded_words_threshold``
    None: the model's own), classifiers off."""
    check_integers(("boot", boot, 1), ("seed", seed, 0))
    options: dict[str, Any] = {
        "classifiers": False,
        "profile": profile,
        "spacy_model": spacy_model,
        "loaded_words_threshold": loaded_words_threshold,
    }
    if loaded_words is not None:
        options["loaded_words"] = loaded_words
    return evaluate_framing(read_basil(path), Engine(**options), boot=boot, seed=seed)
