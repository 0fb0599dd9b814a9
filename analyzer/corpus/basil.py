"""Reader of BASIL-format files: real news articles with expert span annotations.

BASIL (Fan et al., EMNLP 2019) annotates news events reported by three outlets (a *triplet*:
Fox News, The New York Times, HuffPost). A BASIL-format file has one JSON object per line (the
layout of ``basil_dev.jsonl``):

- ``article_id``, ``triplet-uuid`` (the event), ``source`` (outlet code, any case), ``date``,
  ``title``, ``url``, ``main-entities``, ``main-event``;
- ``body-paragraphs``: a list of paragraphs, each a list of sentences (strings);
- ``annotations.phrase-level-annotations``: spans whose ``start``/``end`` are character offsets
  *inside one sentence*, with ``txt`` (the span's text), ``id`` (``p<N>``: the N-th sentence of the
  body, counted over all paragraphs), ``bias`` (``lex`` lexical / ``inf`` informational),
  ``polarity``, ``target``, ``aim`` (``dir`` / ``ind_*``), ``quote`` and ``speaker``;
- ``annotations.article-level-annotations``: ``author_feeling_<Entity>``,
  ``author_feeling_main_event``, ``relative_stance`` and the annotator's own ``you_feeling_*``.

The article's text is built from its body: sentences of a paragraph joined by one space,
paragraphs by a blank line (so quotation marks never run across paragraphs, as in print). Each span
is placed in the sentence its ``id`` names when ``sentence[start:end] == txt`` there, otherwise in
the first sentence where it is; its offsets become character offsets into the built text. A span
found in no body sentence (annotations of the title) is kept in ``unplaced``, never dropped
silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, InputNotFoundError
from ..textio import read_text

PARAGRAPH_BREAK = "\n\n"
SENTENCE_BREAK = " "


@dataclass(frozen=True)
class BasilSpan:
    """One expert span. ``start``/``end`` index the built article text (``text[start:end] ==
    txt``); ``sentence`` is the body sentence number; the other fields are BASIL's, lower-cased
    where they are codes, ``target`` as written (underscores for spaces)."""

    start: int
    end: int
    txt: str
    sentence: int
    bias: str
    polarity: str
    target: str
    aim: str
    quote: bool
    speaker: str

    @property
    def lexical(self) -> bool:
        """An expert's *lexical* bias span (loaded word choice)."""
        return self.bias == "lex"

    @property
    def direct(self) -> bool:
        """Aimed directly at its target (``aim == "dir"``)."""
        return self.aim == "dir"


@dataclass
class BasilArticle:
    """One annotated article: the built ``text``, its sentences' character ``sentences``
    (``(start, end)`` each), the placed ``spans``, the ``unplaced`` raw annotations and the
    article-level annotations kept for later use (author feelings, relative stance)."""

    article_id: str
    triplet: str
    source: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    main_entities: list[str] = field(default_factory=list)
    main_event: str | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    spans: list[BasilSpan] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)
    author_feelings: dict[str, str] = field(default_factory=dict)
    relative_stance: str | None = None

    @property
    def lexical_spans(self) -> list[BasilSpan]:
        """The experts' lexical-bias spans."""
        return [s for s in self.spans if s.lexical]


def build_text(paragraphs: list[list[str]]) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """The article text from paragraphs of sentences, with each sentence's and each paragraph's
    ``(start, end)`` character offsets in it."""
    parts: list[str] = []
    sentences: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for number, paragraph in enumerate(paragraphs):
        if number:
            parts.append(PARAGRAPH_BREAK)
            position += len(PARAGRAPH_BREAK)
        first = position
        for k, sentence in enumerate(paragraph):
            if k:
                parts.append(SENTENCE_BREAK)
                position += len(SENTENCE_BREAK)
            sentences.append((position, position + len(sentence)))
            parts.append(sentence)
            position += len(sentence)
        spans.append((first, position))
    return "".join(parts), sentences, spans


def _sentence_number(raw: dict) -> int | None:
    identifier = str(raw.get("id", ""))
    return int(identifier[1:]) if identifier[:1] == "p" and identifier[1:].isdigit() else None


def place_span(raw: dict, sentence_texts: list[str]) -> int | None:
    """Number of the body sentence ``raw`` (a phrase-level annotation) sits in, or None."""
    try:
        start, end, txt = int(raw["start"]), int(raw["end"]), str(raw["txt"])
    except (KeyError, TypeError, ValueError):
        return None
    named = _sentence_number(raw)
    if named is not None and 0 <= named < len(sentence_texts) and sentence_texts[named][start:end] == txt:
        return named
    return next((k for k, s in enumerate(sentence_texts) if s[start:end] == txt), None)


def _code(value: Any) -> str:
    return str(value or "").strip().lower()


def parse_article(row: dict, where: str = "") -> BasilArticle:
    """One BASIL JSON object as a :class:`BasilArticle`; ``where`` (``file:line``) names it in
    errors."""
    paragraphs = row.get("body-paragraphs")
    if not isinstance(paragraphs, list) or not all(
        isinstance(p, list) and all(isinstance(s, str) for s in p) for p in paragraphs
    ):
        raise InputError(f"{where}: 'body-paragraphs' must be a list of paragraphs, each a list of sentences")
    text, sentences, paragraph_spans = build_text(paragraphs)
    sentence_texts = [s for p in paragraphs for s in p]
    annotations = row.get("annotations")
    annotations = {} if annotations is None else annotations
    if not isinstance(annotations, dict):
        raise InputError(f"{where}: 'annotations' must be an object")
    raws = annotations.get("phrase-level-annotations") or []
    if not isinstance(raws, list):
        raise InputError(f"{where}: 'phrase-level-annotations' must be a list of spans")
    placed: list[BasilSpan] = []
    unplaced: list[dict] = []
    for raw in raws:
        number = place_span(raw, sentence_texts) if isinstance(raw, dict) else None
        if number is None:
            unplaced.append(raw)
            continue
        offset = sentences[number][0]
        placed.append(
            BasilSpan(
                start=offset + int(raw["start"]),
                end=offset + int(raw["end"]),
                txt=str(raw["txt"]),
                sentence=number,
                bias=_code(raw.get("bias")),
                polarity=_code(raw.get("polarity")),
                target=str(raw.get("target") or ""),
                aim=_code(raw.get("aim")),
                quote=_code(raw.get("quote")) == "yes",
                speaker=str(raw.get("speaker") or ""),
            )
        )
    article_level = annotations.get("article-level-annotations") or {}
    feelings = {
        key[len("author_feeling_") :]: _code(value)
        for key, value in article_level.items()
        if key.startswith("author_feeling_")
    }
    return BasilArticle(
        article_id=str(row.get("article_id") or where),
        triplet=str(row.get("triplet-uuid") or row.get("article_id") or where),
        source=_code(row.get("source")),
        text=text,
        title=row.get("title"),
        date=row.get("date"),
        url=row.get("url"),
        main_entities=list(row.get("main-entities") or []),
        main_event=row.get("main-event"),
        sentences=sentences,
        paragraphs=paragraph_spans,
        spans=sorted(placed, key=lambda s: (s.start, s.end)),
        unplaced=unplaced,
        author_feelings=feelings,
        relative_stance=_code(article_level.get("relative_stance")) or None,
    )


def read_basil(path: str | Path) -> Iterator[BasilArticle]:
    """The articles of a BASIL-format JSONL file, in file order.

    Raises :class:`~analyzer.errors.InputNotFoundError` for a missing file and
    :class:`~analyzer.errors.InputError` naming the line for one that is not a BASIL article."""
    file = Path(path)
    if file.is_dir():
        found = sorted(file.glob("*.jsonl"))
        if len(found) != 1:
            raise InputError(f"{file}: expected one .jsonl file in the folder, found {len(found)}")
        file = found[0]
    if not file.is_file():
        raise InputNotFoundError(file, "BASIL file")
    for number, line in enumerate(read_text(file).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{file}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not a JSON object ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise InputError(f"{where}: not a JSON object")
        yield parse_article(row, where)


@dataclass(frozen=True)
class SentenceLabels:
    """One body sentence as word-level training data: its ``text``, its event (``group``, for
    splits that keep an event's three articles together), the character spans of the experts'
    lexical-bias annotations inside it, and whether it has any (``biased``)."""

    text: str
    group: str
    spans: tuple[tuple[int, int], ...]

    @property
    def biased(self) -> bool:
        return bool(self.spans)


def lexical_sentence_labels(articles: Iterable[BasilArticle]) -> list[SentenceLabels]:
    """Every body sentence of ``articles`` with the lexical spans inside it, offsets relative to
    the sentence: BASIL as a second source of loaded-word labels beside BABE's ``biased_words``.
    A word token is loaded when it overlaps one of the spans; the other tokens of every sentence
    are negatives (the experts read every sentence)."""
    rows = []
    for article in articles:
        for number, (start, end) in enumerate(article.sentences):
            spans = tuple(
                (s.start - start, s.end - start) for s in article.lexical_spans if s.sentence == number
            )
            rows.append(SentenceLabels(article.text[start:end], article.triplet, spans))
    return rows
