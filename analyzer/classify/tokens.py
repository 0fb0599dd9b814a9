"""Word-level features for the loaded-word detector, read from an already parsed spaCy Doc.

A *candidate* is a content word: a token tagged ADJ, ADV, NOUN or VERB that is alphabetic and not
part of a named entity (names are who a sentence is about, not how it is worded; BABE's annotators
rarely mark them); every word a lexicon hit covers is a candidate too, so that the model judges
every lexicon hit (a scare-quoted name, the "far" of "far right"). Every candidate gets a dict of
named features a researcher can inspect (``DictVectorizer`` turns them into columns):

- identity: lower-cased form ``w=``, lemma ``l=`` and the lemma's last 3/4 letters ``suf3=``/``suf4=``
  (so unseen "-ist"/"-ous" words share evidence with seen ones);
- lexicon: ``lex`` and ``lexcat=<category>``/``lexpol=<polarity>`` when a ``framing_v1`` hit covers the
  token, ``lexword`` when its lemma is a lexicon word the matcher did not take (e.g. inside a name);
- grammar: part of speech ``pos=``, fine tag ``tag=`` (JJR/JJS/RBS carry degree), dependency role
  ``dep=``, the head's part of speech and role ``hpos=``/``hdep=``, ``headlex`` when the head is a
  lexicon hit;
- subjectivity cues: ``intens`` when an intensifier or lexicon hit modifies the token, ``neg`` when it
  is negated, ``quoted`` inside quotation marks, ``cap`` for a capitalised word mid-sentence;
- context window: lemmas and parts of speech of the previous and next word (``pl=``/``nl=``,
  ``pp=``/``np=``) and the number of lexicon hits in the sentence (``sent_lex``);
- position: ``first`` for the sentence's first word, ``rel`` its relative position.

The sentence-level signal (the probability that the sentence is biased) is not here: it comes from
a model learned from labels, so it is added by :mod:`analyzer.classify.words`, out of fold in training.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

CANDIDATE_POS = frozenset({"ADJ", "ADV", "NOUN", "VERB"})
INTENSIFIERS = frozenset(
    {
        "very",
        "so",
        "too",
        "extremely",
        "really",
        "truly",
        "utterly",
        "totally",
        "completely",
        "most",
        "deeply",
    }
)
NEGATIONS = frozenset({"not", "n't", "never", "no"})


@dataclass
class SentenceTokens:
    """One sentence's candidates and labels, ready for the word model.

    ``features``, ``candidates``, ``pos``, ``words`` (lower-cased forms) and ``lemmas`` are aligned
    (token offsets within the sentence). ``gold`` and ``lexicon`` hold the offsets of annotated and
    lexicon-covered word tokens (any part of speech); ``hits`` the word-token offsets of each lexicon
    hit (set for evaluation by :mod:`analyzer.classify.wordsdata`, see :func:`lexicon_hits`). ``biased`` is the sentence label (used only for the sentence-level signal).
    """

    text: str
    group: str
    candidates: list[int]
    features: list[dict[str, float]]
    pos: list[str]
    gold: set[int] = field(default_factory=set)
    lexicon: set[int] = field(default_factory=set)
    biased: bool = False
    lemmas: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    hits: list[tuple[int, ...]] = field(default_factory=list)


def is_word(doc: Doc, i: int) -> bool:
    """Tokens that count in the evaluation: not punctuation, space or symbol-only."""
    token = doc[i]
    return not (token.is_punct or token.is_space) and any(c.isalnum() for c in token.text)


def lexicon_categories(doc: Doc) -> dict[int, tuple[str, int]]:
    """``token offset -> (category, polarity)`` for the tokens that ``analyzer_framing`` hits cover."""
    covered: dict[int, tuple[str, int]] = {}
    for hit in doc._.az_framing or []:
        for k in range(hit["start"], hit["end"]):
            covered[k] = (hit["category"], int(hit["polarity"]))
    return covered


def lexicon_hits(doc: Doc, start: int, end: int) -> list[tuple[int, ...]]:
    """Word-token offsets (relative to ``start``) of each ``analyzer_framing`` hit in ``doc[start:end]``."""
    return [
        found
        for hit in doc._.az_framing or []
        if start <= hit["start"] < end
        and (found := tuple(k - start for k in range(hit["start"], min(hit["end"], end)) if is_word(doc, k)))
    ]


def gold_tokens(
    doc: Doc,
    start: int,
    end: int,
    biased_words: Iterable[str],
    tokenize: Callable[[str], Iterable[Token]],
) -> set[int]:
    """Offsets (relative to ``start``) of the word tokens of ``doc[start:end]`` that belong to an
    annotated entry: each entry is tokenized with ``tokenize`` (the pipeline's tokenizer, so
    "pro-abortion" splits as in the sentence) and matched case-insensitively wherever its words occur
    in sequence; punctuation inside an entry is matched but not counted."""
    lowered = [doc[k].lower_ for k in range(start, end)]
    found: set[int] = set()
    for entry in biased_words:
        words = [t.lower_ for t in tokenize(str(entry).strip()) if not t.is_space]
        if not words:
            continue
        n = len(words)
        for k in range(len(lowered) - n + 1):
            if lowered[k : k + n] == words:
                found.update(j for j in range(k, k + n) if is_word(doc, start + j))
    return found


def candidate_positions(
    doc: Doc, start: int, end: int, lexicon: dict[int, tuple[str, int]] | None = None
) -> list[int]:
    """Token offsets (absolute) of the candidates in ``doc[start:end]``: content words outside
    named entities, and every word a lexicon hit covers (so the model judges every lexicon hit)."""
    covered = lexicon or {}
    return [
        k
        for k in range(start, end)
        if (doc[k].pos_ in CANDIDATE_POS and doc[k].is_alpha and not doc[k].ent_type_)
        or (k in covered and is_word(doc, k))
    ]


def token_features(
    doc: Doc,
    i: int,
    start: int,
    end: int,
    lexicon: dict[int, tuple[str, int]],
    lexicon_words: frozenset[str],
    quoted: Sequence[str] | None,
) -> dict[str, float]:
    """The named features of token ``i`` in the sentence ``doc[start:end]`` (see the module doc)."""
    token = doc[i]
    lemma = token.lemma_.lower()
    head = token.head
    f: dict[str, float] = {
        "w=" + token.lower_: 1.0,
        "l=" + lemma: 1.0,
        "suf3=" + lemma[-3:]: 1.0,
        "suf4=" + lemma[-4:]: 1.0,
        "pos=" + token.pos_: 1.0,
        "tag=" + token.tag_: 1.0,
        "dep=" + token.dep_: 1.0,
        "hpos=" + head.pos_: 1.0,
        "hdep=" + head.dep_: 1.0,
        "rel": (i - start) / max(1, end - start),
    }
    if i in lexicon:
        category, polarity = lexicon[i]
        f["lex"] = 1.0
        f["lexcat=" + category] = 1.0
        f[f"lexpol={polarity}"] = 1.0
    elif lemma in lexicon_words or token.lower_ in lexicon_words:
        f["lexword"] = 1.0
    if head.i != i and head.i in lexicon:
        f["headlex"] = 1.0
    for child in token.children:
        if child.lower_ in INTENSIFIERS or (child.i in lexicon and lexicon[child.i][0] == "intensifier"):
            f["intens"] = 1.0
        if child.dep_ == "neg" or child.lower_ in NEGATIONS:
            f["neg"] = 1.0
    if quoted is not None and quoted[i] == "quoted":
        f["quoted"] = 1.0
    if i == start:
        f["first"] = 1.0
    elif token.text[:1].isupper():
        f["cap"] = 1.0
    if i > start:
        f["pl=" + doc[i - 1].lemma_.lower()] = 1.0
        f["pp=" + doc[i - 1].pos_] = 1.0
    if i + 1 < end:
        f["nl=" + doc[i + 1].lemma_.lower()] = 1.0
        f["np=" + doc[i + 1].pos_] = 1.0
    return f


def sentence_tokens(
    doc: Doc,
    start: int,
    end: int,
    lexicon: dict[int, tuple[str, int]],
    lexicon_words: frozenset[str],
) -> SentenceTokens:
    """Candidates and features of the sentence ``doc[start:end]`` (labels left empty)."""
    quoted = doc._.az_voice if doc.has_extension("az_voice") else None
    positions = candidate_positions(doc, start, end, lexicon)
    n_lex = sum(1 for k in range(start, end) if k in lexicon)
    features = []
    for i in positions:
        f = token_features(doc, i, start, end, lexicon, lexicon_words, quoted)
        f["sent_lex"] = float(min(n_lex, 5))
        features.append(f)
    return SentenceTokens(
        text=doc[start:end].text,
        group="",
        candidates=[i - start for i in positions],
        features=features,
        pos=[doc[i].pos_ for i in positions],
        lexicon={k - start for k in range(start, end) if k in lexicon and is_word(doc, k)},
        lemmas=[doc[i].lemma_.lower() for i in positions],
        words=[doc[i].lower_ for i in positions],
    )
