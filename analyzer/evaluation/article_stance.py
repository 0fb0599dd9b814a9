"""The author's attitude toward each main entity, checked against BASIL's expert labels.

BASIL (:mod:`analyzer.corpus.basil`) labels, for each article, the author's feeling toward each of
the event's main entities (``author_feeling_<Entity>``: ``str-neg``/``neg`` → against, ``neu`` →
neutral, ``pos``/``str-pos`` → favor). This module:

- analyses the articles once (:func:`analyse_articles`) and can rebuild the records from their JSON
  (:func:`record_from_dict`), so rules are re-scored without re-running the pipeline;
- matches each BASIL entity (``Donald_Trump``, ``House_Democrats``) to the analysis' entities by
  folded names, surnames and party stems (:func:`match_entity`); a main entity the analysis does not
  find counts as predicted ``neutral`` and is reported in ``coverage``;
- scores a rule (:class:`~analyzer.classify.author.AuthorStanceRule`) with macro-F1 over
  against / neutral / favor and a bootstrap interval that resamples events (an event's three
  articles share entities and facts, so they are not independent), beside two baselines: the mean
  of the mention probabilities' most probable class (the aggregate before the author rule) and
  always ``neutral``;
- chooses a rule by cross-validation grouped by event (:func:`grouped_cv`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from ..api import Analyzer
from ..classify.author import DEFAULT_RULE, LABELS, AuthorStanceRule, Evidence, author_score, decide, evidence
from ..corpus.basil import BasilArticle, read_basil
from ..nlp.textnorm import fold
from ..records import ArticleAnalysis, ArticleInput, Entity, FramingHit, Mention, Sentence

BASIL_LABELS = {"str-neg": "against", "neg": "against", "neu": "neutral", "pos": "favor", "str-pos": "favor"}
"""BASIL's five author feelings as the three stance labels."""
STANCE_LABELS = ("against", "neutral", "favor")
GENERIC = (
    "the",
    "of",
    "and",
    "for",
    "a",
    "an",
    "house",
    "senate",
    "state",
    "states",
    "department",
    "federal",
    "national",
    "law",
    "enforcement",
    "authorities",
    "officials",
    "members",
    "committee",
    "lawmakers",
    "administration",
    "party",
    "bill",
    "act",
    "programs",
    "program",
    "agency",
    "security",
    "rule",
    "couples",
    "tax",
    "joint",
    "presidential",
    "candidates",
    "companies",
    "internet",
    "fiscal",
    "social",
    "citizenship",
    "birthright",
    "religious",
    "freedom",
    "restoration",
)
"""Words of a BASIL entity name too common to match an entity on their own."""
PARTY_STEMS = {"democrat": "democrat", "republican": "republican", "gop": "republican"}


def _words(name: str) -> list[str]:
    """Folded words of a name, plural ``s`` dropped and party adjectives at their stem."""
    out = []
    for word in fold(name.replace("_", " ").replace("/", " ")).replace(".", " ").replace("'s", " ").split():
        word = word.strip("'’,")
        stem = next((v for k, v in PARTY_STEMS.items() if word.startswith(k)), None)
        if stem is None and len(word) > 3 and word.endswith("s"):
            word = word[:-1]
        out.append(stem or word)
    return [w for w in out if w]


GENERIC_WORDS = frozenset(w for word in GENERIC for w in _words(word))


def _contains(words: list[str], part: list[str]) -> bool:
    """Whether ``part`` occurs as a contiguous run of ``words``."""
    return any(words[k : k + len(part)] == part for k in range(len(words) - len(part) + 1))


def _match_score(wanted: list[str], entity: Entity) -> int:
    """How well ``entity`` answers a BASIL name's folded words ``wanted``: 3 the same name; 2 every
    distinctive word (first name and surname), or a name of the entity of two or more words inside
    it ("National Security Agency" in ``National_Security_Agency_programs``); 1 the surname or party
    stem alone, or a one-word name of the entity inside it ("Obama" in ``Obama_administration``); 0
    no match. A person whose first name starts otherwise ("Elizabeth Cheney" for ``Mary_Cheney``)
    never matches on the surname; "Joseph" does for ``Joe``."""
    distinctive = [w for w in wanted if w not in GENERIC_WORDS]
    full = _words(entity.name)
    other_first = len(full) >= 2 and len(distinctive) >= 2 and full[0][:2] != distinctive[0][:2]
    best = 0
    for alias in (entity.name, *entity.aliases):
        words = _words(alias)
        if not words:
            continue
        if words == wanted:
            return 3
        if distinctive and all(any(w.startswith(d) or d.startswith(w) for w in words) for d in distinctive):
            best = max(best, 2)
            continue
        if len(words) >= 2 and _contains(wanted, words):
            best = max(best, 2)
            continue
        last = distinctive[-1] if distinctive else None
        if last is None or len(last) < 3:
            continue
        surname_hit = any(w == last or (len(last) >= 5 and w.startswith(last)) for w in words)
        inside = len(words) == 1 and words[0] not in GENERIC_WORDS and words[0] in wanted
        if (surname_hit or inside) and not other_first:
            best = max(best, 1)
    return best


def match_entity(name: str, entities: Sequence[Entity]) -> Entity | None:
    """The analysis entity that a BASIL main entity ``name`` (underscored) refers to: the best
    :func:`_match_score`, ties to the entity with more mentions; None when nothing matches."""
    wanted = _words(name)
    if not wanted:
        return None
    scored = [(_match_score(wanted, e), e.count, -k, e) for k, e in enumerate(entities)]
    scored = [s for s in scored if s[0] > 0]
    return max(scored, key=lambda s: s[:3])[3] if scored else None


def analyse_articles(
    articles: Iterable[BasilArticle], analyzer: Analyzer | None = None
) -> list[ArticleAnalysis]:
    """The analysis of each article (its built text, outlet and title), as a user would run it."""
    engine = analyzer or Analyzer()
    inputs = [
        ArticleInput(a.text, doc_id=a.article_id, outlet=a.source, title=a.title, date=a.date)
        for a in articles
    ]
    return list(engine.analyze_many(inputs))


def record_from_dict(data: dict[str, Any]) -> ArticleAnalysis:
    """An :class:`~analyzer.records.ArticleAnalysis` rebuilt from its ``to_dict()`` (a cached run)."""
    entities = [
        Entity(**{**e, "mentions": [Mention(**m) for m in e["mentions"]]}) for e in data.get("entities", [])
    ]
    fields = {k: v for k, v in data.items() if k not in ("schema", "entities", "framing", "sentences")}
    return ArticleAnalysis(
        **fields,
        entities=entities,
        framing=[FramingHit(**h) for h in data.get("framing", [])],
        sentences=[Sentence(**s) for s in data.get("sentences", [])],
    )


@dataclass
class EntityCase:
    """One (article, BASIL main entity) pair: the expert's ``gold`` label, the matched ``entity``
    of the analysis (None when not found) and the article's ``framing``."""

    event: str
    article_id: str
    outlet: str
    name: str
    gold: str
    entity: Entity | None
    framing: list[FramingHit] = field(default_factory=list)


def entity_cases(articles: Sequence[BasilArticle], records: Sequence[ArticleAnalysis]) -> list[EntityCase]:
    """Every labelled main entity of every article, matched to the article's record (same order)."""
    cases = []
    for article, record in zip(articles, records, strict=True):
        for name, feeling in article.author_feelings.items():
            if name == "main_event" or feeling not in BASIL_LABELS:
                continue
            cases.append(
                EntityCase(
                    article.triplet,
                    article.article_id,
                    article.source,
                    name,
                    BASIL_LABELS[feeling],
                    match_entity(name, record.entities),
                    record.framing,
                )
            )
    return cases


Predictor = Callable[[EntityCase], str]


def case_evidence(case: EntityCase) -> Evidence | None:
    """The rule's evidence for a case, None when the entity was not found or not scored."""
    entity = case.entity
    if entity is None or not entity.mentions or entity.mentions[0].stance is None:
        return None
    return evidence(entity, case.framing, LABELS)


def rule_predictor(rule: AuthorStanceRule = DEFAULT_RULE) -> Predictor:
    """Predict with the author-stance rule (the analysis' ``entities[].stance`` label); an unmatched
    or unscored entity is ``neutral``."""

    def predict(case: EntityCase) -> str:
        found = case_evidence(case)
        return "neutral" if found is None else decide(author_score(found, rule), rule)

    return predict


def mean_argmax(case: EntityCase) -> str:
    """The aggregate before the author rule: the most probable class of the mean of the entity's
    mention probabilities (``neutral`` when not found)."""
    entity = case.entity
    if entity is None or not entity.mentions or entity.mentions[0].stance is None:
        return "neutral"
    mean = np.array([[m.stance[label] for label in LABELS] for m in entity.mentions]).mean(axis=0)
    return LABELS[int(np.argmax(mean))]


def always_neutral(case: EntityCase) -> str:
    """The majority-class baseline."""
    return "neutral"


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-F1 over against / neutral / favor (a class never predicted scores 0)."""
    _, _, f1, _ = precision_recall_fscore_support(
        gold, predicted, labels=list(STANCE_LABELS), average="macro", zero_division=0
    )
    return float(f1)


def per_class(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1, gold count and predicted count of each class."""
    p, r, f, n = precision_recall_fscore_support(gold, predicted, labels=list(STANCE_LABELS), zero_division=0)
    return {
        label: {
            "precision": round(float(p[k]), 4),
            "recall": round(float(r[k]), 4),
            "f1": round(float(f[k]), 4),
            "gold": int(n[k]),
            "predicted": int(sum(1 for x in predicted if x == label)),
        }
        for k, label in enumerate(STANCE_LABELS)
    }


def event_bootstrap(
    gold: Sequence[str], predicted: Sequence[str], events: Sequence[str], resamples: int = 1000, seed: int = 0
) -> list[float]:
    """A 95 % percentile interval of macro-F1, resampling whole events."""
    truth, guess = np.asarray(gold), np.asarray(predicted)
    names, index = np.unique(np.asarray(events), return_inverse=True)
    members = [np.flatnonzero(index == k) for k in range(len(names))]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        rows = np.concatenate([members[k] for k in rng.integers(0, len(members), len(members))])
        values.append(macro_f1(truth[rows], guess[rows]))
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def summary(
    cases: Sequence[EntityCase], predicted: Sequence[str], resamples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """Macro-F1 with its event-bootstrap interval and the per-class figures of ``predicted``."""
    gold = [c.gold for c in cases]
    return {
        "macro_f1": round(macro_f1(gold, predicted), 4),
        "macro_f1_ci95_events": event_bootstrap(gold, predicted, [c.event for c in cases], resamples, seed),
        "per_class": per_class(gold, predicted),
    }


def coverage(cases: Sequence[EntityCase]) -> dict[str, Any]:
    """How many labelled main entities the analysis found, overall and by gold label, and the
    names it did not find."""
    found = [c for c in cases if c.entity is not None]
    by_label = {
        label: f"{sum(1 for c in found if c.gold == label)}/{sum(1 for c in cases if c.gold == label)}"
        for label in STANCE_LABELS
    }
    missing = sorted({c.name for c in cases if c.entity is None})
    return {
        "pairs": len(cases),
        "found": len(found),
        "share": round(len(found) / len(cases), 4) if cases else 0.0,
        "found_by_gold_label": by_label,
        "not_found": missing,
    }


def event_folds(events: Sequence[str], folds: int, seed: int = 0) -> list[np.ndarray]:
    """Case indices of each fold: the distinct events shuffled with ``seed`` and dealt round-robin
    into ``folds`` groups (an event's cases stay together)."""
    names = np.unique(np.asarray(events))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[k]: rank % folds for rank, k in enumerate(order)}
    assignment = np.array([fold_of[e] for e in events])
    return [np.flatnonzero(assignment == f) for f in range(folds)]


def grid_predictions(cases: Sequence[EntityCase], grid: Sequence[AuthorStanceRule]) -> np.ndarray:
    """Label codes (0 against, 1 neutral, 2 favor) of every rule of ``grid`` (rows) on every case
    (columns), computed from each case's evidence at once (the same arithmetic as
    :func:`~analyzer.classify.author.author_score`)."""
    found = [case_evidence(c) for c in cases]
    lean = np.array([f.lean if f else (0.0, 0.0, 0.0) for f in found])
    aimed = np.array([f.framing if f else (0.0, 0.0, 0.0) for f in found])
    weights = np.array([(1.0, r.attributed, r.quoted) for r in grid])
    framing = np.array([r.framing for r in grid])
    scores = weights @ lean.T + (framing[:, None] * weights) @ aimed.T
    against = np.array([r.against for r in grid])[:, None]
    favor = np.array([r.favor for r in grid])[:, None]
    codes = np.where(scores <= -against, 0, np.where(scores >= favor, 2, 1))
    codes[:, [f is None for f in found]] = 1
    return codes


def macro_f1_rows(gold: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Macro-F1 over the three classes of each row of label codes against ``gold`` codes (the
    same figure as :func:`macro_f1`, for many predictions at once)."""
    values = []
    for label in range(len(STANCE_LABELS)):
        predicted = codes == label
        actual = (gold == label)[None, :]
        tp = (predicted & actual).sum(axis=1)
        denominator = predicted.sum(axis=1) + actual.sum()
        values.append(np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0))
    return np.mean(values, axis=0)


def fold_choices(
    cases: Sequence[EntityCase], codes: np.ndarray, folds: int = 9, seed: int = 0
) -> tuple[list[str], list[tuple[int, float]]]:
    """Cross-validation grouped by event over candidate predictions ``codes`` (rows: candidates,
    columns: cases, values: label codes): in each fold the row with the best training macro-F1
    (ties: the earlier row) predicts the held-out events. Returns the pooled held-out labels (in
    case order) and each fold's chosen row with its training macro-F1."""
    gold = np.array([STANCE_LABELS.index(c.gold) for c in cases])
    predicted = [""] * len(cases)
    chosen = []
    for held in event_folds([c.event for c in cases], folds, seed):
        train = np.setdiff1d(np.arange(len(cases)), held)
        scores = macro_f1_rows(gold[train], codes[:, train])
        best = int(np.argmax(scores))
        chosen.append((best, float(scores[best])))
        for i in held:
            predicted[i] = STANCE_LABELS[codes[best, i]]
    return predicted, chosen


def grouped_cv(
    cases: Sequence[EntityCase], grid: Sequence[AuthorStanceRule], folds: int = 9, seed: int = 0
) -> dict[str, Any]:
    """:func:`fold_choices` over the rules of ``grid``. Returns the pooled held-out ``predicted``
    labels (in case order) and each fold's chosen rule."""
    predicted, chosen = fold_choices(cases, grid_predictions(cases, grid), folds, seed)
    return {
        "predicted": predicted,
        "chosen": [{**grid[k].to_dict(), "train_macro_f1": round(f1, 4)} for k, f1 in chosen],
    }


def best_rule(
    cases: Sequence[EntityCase], grid: Sequence[AuthorStanceRule]
) -> tuple[AuthorStanceRule, float]:
    """The grid point with the best macro-F1 on all ``cases`` (ties: the earlier point)."""
    gold = np.array([STANCE_LABELS.index(c.gold) for c in cases])
    scores = macro_f1_rows(gold, grid_predictions(cases, grid))
    best = int(np.argmax(scores))
    return grid[best], float(scores[best])


def evaluate_article_stance(
    path: str | Path,
    rule: AuthorStanceRule = DEFAULT_RULE,
    resamples: int = 1000,
    seed: int = 0,
    analyzer: Analyzer | None = None,
) -> dict[str, Any]:
    """``analyzer evaluate --task article_stance``: analyse a BASIL-format file and score the
    author-stance labels of its main entities (rule, mean-argmax and always-neutral baselines,
    coverage)."""
    articles = list(read_basil(path))
    records = analyse_articles(articles, analyzer)
    return score_cases(entity_cases(articles, records), rule, resamples, seed)


def score_cases(
    cases: Sequence[EntityCase], rule: AuthorStanceRule = DEFAULT_RULE, resamples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """The figures of :func:`evaluate_article_stance` for already matched ``cases``."""
    predictors: dict[str, Predictor] = {
        "author_rule": rule_predictor(rule),
        "mean_argmax": mean_argmax,
        "always_neutral": always_neutral,
    }
    out: dict[str, Any] = {"task": "article_stance", "articles": len({c.article_id for c in cases})}
    out["events"] = len({c.event for c in cases})
    out["rule"] = rule.to_dict()
    for name, predict in predictors.items():
        out[name] = summary(cases, [predict(c) for c in cases], resamples, seed)
    out["coverage"] = coverage(cases)
    return out
