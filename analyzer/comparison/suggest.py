"""Lexicon discovery: candidate loaded terms from a processed corpus, for a researcher to review.

``suggest_terms(results, by="outlet")`` reads the stored texts of a batch run and proposes words
that are

1. **distinctive of a group** (outlet, leaning, any metadata column): the log-odds ratio with
   informative Dirichlet prior of the group's word counts against all other groups pooled (Monroe,
   Colaresi & Quinn 2008; the same statistic as ``distinctive_terms`` in ``docs/statistics.md``),
   z ≥ ``min_z`` and Benjamini–Hochberg q < 0.05 within the group's comparison, used in at least
   ``min_articles`` of the group's articles; and
2. **scored by the loaded-word model** (the shipped ``loaded_words`` model unless another is given):
   its calibrated P(loaded) for the word in each quoted example sentence, averaged.

Words considered: alphabetic words (hyphens inside allowed, a possessive 's removed,
contractions left out) of at least three letters, outside sentences repeated verbatim in three or
more of a group's articles (bylines, captions, player notices), that occur ``min_count`` times or
more, written lower-case in at least half of their occurrences (which leaves out names and
sentence-initial capitals), not an English stop word, not a word of an entity name found in the
corpus, not a single-word term of the shipped lexicon and not a word the run's lexicons already
matched. Each suggestion carries its counts, its z-score and q-value, the model's score, the
nearest lexicon category by spelling (``uncategorized`` when none is close) and example contexts.
:meth:`Suggestions.write_lexicon` writes them as a lexicon file (``analyzer lexicon check`` passes it)
that the researcher edits — keeps, drops, recategorizes — and passes back with ``--lexicon``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS

from ..classify.components import UNCATEGORIZED, NearestCategory
from ..classify.model import load_word_scorer
from ..classify.tokens import lexicon_categories, sentence_tokens
from ..errors import OutputError, ParameterError, check_integers
from ..lexicons import default_lexicon_path, load_lexicon
from ..nlp.pipeline import load_pipeline
from ..stats import adjust, log_odds_dirichlet
from .data import load_tables

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?]\s|\n")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
REPEATED = 3
CONTEXT_CHARS = 240
MIN_LENGTH = 3
Q_MAX = 0.05


@dataclass
class Suggestions:
    """The suggested terms (``table``: one row per term and group it is distinctive of) and the
    parameters that produced them."""

    table: pd.DataFrame
    parameters: dict[str, Any] = field(default_factory=dict)

    def terms(self) -> pd.DataFrame:
        """One row per term: the group where it is most distinctive, with that row's numbers and
        every group it is distinctive of."""
        if self.table.empty:
            return self.table
        best = self.table.sort_values("z", ascending=False).drop_duplicates("term")
        groups = self.table.groupby("term")["group"].agg(lambda g: ", ".join(sorted(g)))
        return best.assign(groups=best["term"].map(groups)).reset_index(drop=True)

    def write_lexicon(
        self, path: str | Path, name: str = "suggested", version: str = "0.1.0", force: bool = False
    ) -> Path:
        """Write the terms as a lexicon file (category: nearest by spelling; polarity: that entry's;
        note: why it was suggested and one example). An existing file is kept unless ``force``."""
        path = Path(path)
        if path.exists() and not force:
            raise OutputError(f"{path} exists; pass force=True (CLI: --force) to replace it")
        by = self.parameters.get("by", "group")
        lines = [
            f"# name: {name}",
            f"# version: {version}",
            f"# description: Candidate loaded terms suggested by analyzer lexicon suggest (by {by}); "
            "review every entry before use.",
            "term\tcategory\tpolarity\tnote",
        ]
        for row in self.terms().itertuples(index=False):
            score = "n/a" if pd.isna(row.model_score) else f"{row.model_score:.2f}"
            example = _one_line(row.contexts[0]) if row.contexts else ""
            note = (
                f"suggested: distinctive of {row.groups} (z {row.z:.1f}, {row.count} uses in "
                f"{row.articles} articles); model P(loaded) {score}; e.g. “{example}”"
            )
            lines.append(f"{row.term}\t{row.category}\t{row.polarity}\t{note}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return path


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _stop_words() -> frozenset[str]:
    return frozenset(STOP_WORDS)


def _excluded_words(ct: Any, lexicon_words: frozenset[str]) -> frozenset[str]:
    """Stop words, every word of an entity name, the shipped lexicon's single words and the
    words the run's lexicons already matched (inflected forms such as "thugs" for "thug")."""
    names = ct.table("entities")["name"].dropna().astype(str)
    name_words = {w.lower() for name in names.unique() for w in WORD.findall(name)}
    framing = ct.table("framing")
    matched = framing.loc[framing["source"].fillna("lexicon") == "lexicon", "text"].dropna().astype(str)
    matched_words = {w.lower() for text in matched.unique() for w in WORD.findall(text)}
    return _stop_words() | lexicon_words | frozenset(name_words) | frozenset(matched_words)


def _sentences(text: str) -> list[str]:
    return [piece.strip() for piece in SENTENCE_SPLIT.split(text) if piece.strip()]


def _words(sentence: str) -> list[str]:
    """The words of ``sentence`` as written, possessive ``'s`` removed, contractions left out."""
    out = []
    for word in WORD.findall(sentence):
        word = POSSESSIVE.sub("", word)
        if "'" not in word and "’" not in word:
            out.append(word)
    return out


def _boilerplate(ct: Any, group_of: dict[str, str]) -> set[tuple[str, int]]:
    """(group, sentence hash) of the sentences found verbatim in ``REPEATED`` or more articles of
    a group: bylines, captions, player notices, subscription lines."""
    seen: Counter = Counter()
    for texts in ct.iter_texts():
        for doc_id, text in texts.items():
            group = group_of[doc_id]
            seen.update({(group, hash(sentence)) for sentence in _sentences(text)})
    return {key for key, n in seen.items() if n >= REPEATED}


def _count(
    ct: Any, group_of: dict[str, str], excluded: frozenset[str]
) -> tuple[dict[str, Counter], dict[str, Counter], Counter]:
    """Per group: uses and articles of each word; over the corpus: lower-case uses of each word.
    Repeated boilerplate sentences (:func:`_boilerplate`) are not counted."""
    repeated = _boilerplate(ct, group_of)
    uses: dict[str, Counter] = defaultdict(Counter)
    articles: dict[str, Counter] = defaultdict(Counter)
    lower: Counter = Counter()
    for texts in ct.iter_texts():
        for doc_id, text in texts.items():
            group = group_of[doc_id]
            words = [
                w
                for sentence in _sentences(text)
                if (group, hash(sentence)) not in repeated
                for w in _words(sentence)
            ]
            kept = [w for w in (w.lower() for w in words) if len(w) >= MIN_LENGTH and w not in excluded]
            uses[group].update(kept)
            articles[group].update(set(kept))
            lower.update(w for w in words if w.islower())
    return uses, articles, lower


def _distinctive(
    uses: dict[str, Counter],
    articles: dict[str, Counter],
    lower: Counter,
    groups: list[str],
    min_count: int,
    min_articles: int,
    min_z: float,
    top: int,
) -> pd.DataFrame:
    """Log-odds of every eligible word, each group against the rest; the ``top`` per group that pass."""
    total: Counter = Counter()
    for counter in uses.values():
        total.update(counter)
    vocabulary = sorted(w for w, n in total.items() if n >= min_count and lower[w] * 2 >= n)
    if not vocabulary:
        return pd.DataFrame()
    counts = np.array([[uses[g][w] for g in groups] for w in vocabulary], dtype=float)
    pooled = counts.sum(axis=1)
    frames = []
    for k, group in enumerate(groups):
        result = log_odds_dirichlet(counts[:, k], pooled - counts[:, k], prior=pooled)
        frames.append(
            pd.DataFrame(
                {
                    "group": group,
                    "term": vocabulary,
                    "count": counts[:, k].astype(int),
                    "count_rest": (pooled - counts[:, k]).astype(int),
                    "articles": [articles[group][w] for w in vocabulary],
                    "delta": result.delta,
                    "z": result.z,
                    "q": adjust(result.p, "fdr_bh"),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    table = table[(table["z"] >= min_z) & (table["q"] < Q_MAX) & (table["articles"] >= min_articles)]
    return table.sort_values(["group", "z"], ascending=[True, False]).groupby("group").head(top)


def _contexts(
    ct: Any, group_of: dict[str, str], wanted: dict[str, set[str]], per_term: int
) -> dict[tuple[str, str], list[str]]:
    """Up to ``per_term`` sentences of each (group, term) of ``wanted`` (group -> terms)."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for texts in ct.iter_texts():
        for doc_id, text in texts.items():
            group = group_of[doc_id]
            terms = wanted.get(group)
            if not terms:
                continue
            for match in WORD.finditer(text):
                key = (group, match.group().lower())
                if key[1] in terms and len(found[key]) < per_term:
                    found[key].append(_sentence_around(text, match.start(), match.end()))
    return found


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``, cut to about ``CONTEXT_CHARS`` around it."""
    left = max(0, start - CONTEXT_CHARS // 2)
    before = list(SENTENCE_END.finditer(text, left, start))
    begin = before[-1].end() if before else left
    after = SENTENCE_END.search(text, end, min(len(text), end + CONTEXT_CHARS // 2))
    finish = after.start() + 1 if after else min(len(text), end + CONTEXT_CHARS // 2)
    return _one_line(text[begin:finish])


def _model_scores(contexts: dict[tuple[str, str], list[str]], model: str | None) -> dict[str, float]:
    """Mean calibrated P(loaded) of each term over its example sentences (terms the model does not
    score, e.g. a part of speech it skips, are left out)."""
    scorer, _ = load_word_scorer(model)
    nlp = load_pipeline()
    words = load_lexicon(default_lexicon_path()).single_words()
    items = [(term, sentence) for (_, term), sentences in contexts.items() for sentence in sentences]
    terms, features, pos, forms, lemmas, sentence_of, texts = [], [], [], [], [], [], []
    docs = nlp.pipe([s for _, s in items], batch_size=64)
    for (term, _), doc in zip(items, docs, strict=True):
        tokens = sentence_tokens(doc, 0, len(doc), lexicon_categories(doc), words)
        chosen = [k for k, c in enumerate(tokens.candidates) if doc[c].lower_ == term]
        if chosen:
            terms += [term] * len(chosen)
            features += [tokens.features[k] for k in chosen]
            pos += [tokens.pos[k] for k in chosen]
            forms += [tokens.words[k] for k in chosen]
            lemmas += [tokens.lemmas[k] for k in chosen]
            sentence_of += [len(texts)] * len(chosen)
            texts.append(tokens.text)
    if not terms:
        return {}
    p_sentence = scorer.sentence_probability(texts)[sentence_of]
    probs = scorer.score_features(features, pos, p_sentence, forms, lemmas)
    return pd.Series(probs).groupby(terms).mean().to_dict()


def suggest_terms(
    results: Any,
    by: str = "outlet",
    top: int = 25,
    min_count: int = 5,
    min_articles: int = 3,
    min_z: float = 1.96,
    contexts: int = 3,
    score: bool = True,
    model: str | None = None,
) -> Suggestions:
    """Candidate loaded terms of ``results`` (a batch output folder or ``BatchResult`` with texts)
    distinctive of each ``by`` group, with counts, z, q, the loaded-word model's score (``score``;
    ``model`` a model folder, default the shipped one), the nearest lexicon category and up to
    ``contexts`` example sentences per group. See the module docstring for the rules."""
    check_integers(("top", top, 1), ("min_count", min_count, 1), ("min_articles", min_articles, 1))
    ct = load_tables(results, by)
    groups = ct.groups
    if len(groups) < 2:
        raise ParameterError("by", f"a column with at least two groups ({by} has {len(groups)})", by)
    lexicon = load_lexicon(default_lexicon_path())
    group_of = dict(zip(ct.documents["doc_id"], ct.documents["group"], strict=True))
    uses, articles, lower = _count(ct, group_of, _excluded_words(ct, lexicon.single_words()))
    if not uses:
        raise ParameterError("results", "a run whose texts are stored (batch output)", "no texts")
    table = _distinctive(uses, articles, lower, groups, min_count, min_articles, min_z, top)
    parameters = {
        "by": by, "top": top, "min_count": min_count, "min_articles": min_articles, "min_z": min_z,
        "q_max": Q_MAX, "contexts": contexts, "model": model or "shipped loaded_words" if score else None,
        "articles": len(ct.documents), "groups": len(groups),
    }  # fmt: skip
    if table.empty:
        return Suggestions(table, parameters)
    wanted: dict[str, set[str]] = defaultdict(set)
    for group, term in zip(table["group"], table["term"], strict=True):
        wanted[group].add(term)
    examples = _contexts(ct, group_of, wanted, max(contexts, 1))
    scores = _model_scores(examples, model) if score else {}
    nearest = NearestCategory([lexicon])
    categories = [nearest(term) for term in table["term"]]
    table = table.assign(
        model_score=[scores.get(term, np.nan) for term in table["term"]],
        category=[c for c, _ in categories],
        polarity=[p if c != UNCATEGORIZED else 0 for c, p in categories],
        contexts=[
            examples.get((g, t), [])[:contexts] for g, t in zip(table["group"], table["term"], strict=True)
        ],
    )
    return Suggestions(table.reset_index(drop=True), parameters)
