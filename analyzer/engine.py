"""The :class:`Engine`: one object per configuration, analyzing articles one by one or streamed.

It runs the spaCy pipeline with the analyzer's components and the trained classifiers; the public
:class:`~analyzer.api.Analyzer` adds corpus runs (:mod:`analyzer.batch`) on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .classify import components  # noqa: F401  (registers the analyzer_loaded_words factory)
from .classify.apply import Scorer
from .config import AnalyzerConfig
from .errors import InvalidTextError, ParameterError, TextTooLongError, check_integers
from .nlp.assemble import build_record
from .nlp.pipeline import load_pipeline, pipeline_label
from .records import ArticleAnalysis, ArticleInput, content_id
from .textio import lone_surrogate, split_text


class Engine:
    """Analyze articles: entities, framing hits with voice/target/negation/hedging, sentences.

    The spaCy pipeline loads on first use (not at construction) and is shared by every Analyzer
    with the same configuration.

    """

    def __init__(self, config: AnalyzerConfig | None = None, **options: object) -> None:
        if config is not None and options:
            raise ParameterError("Analyzer(...)", "either config= or keyword options, not both", options)
        self.config = config or AnalyzerConfig(**options)  # type: ignore[arg-type]
        self._versions: dict | None = None
        self._scorer: Scorer | None = None

    @property
    def scorer(self) -> Scorer | None:
        """The trained classifiers applied to each record (None when ``classifiers`` is off)."""
        if self.config.classifiers and self._scorer is None:
            self._scorer = Scorer(
                dict(self.config.models),
                encoder=self.config.profile == "full",
                encoder_entities=self.config.encoder_entities,
            )
        return self._scorer

    @property
    def nlp(self) -> Language:
        """The loaded spaCy pipeline with the analyzer components (loaded on first access)."""
        learned = (
            self.config.loaded_words and self.config.profile == "full" and self.config.include_default_lexicon
        )
        nlp = load_pipeline(
            self.config.spacy_model,
            self.config.lexicons,
            self.config.aliases,
            self.config.include_default_lexicon,
            self.config.profile,
            (("analyzer_loaded_words", (("threshold", self.config.loaded_words_threshold),)),)
            if learned
            else (),
        )
        nlp.max_length = max(nlp.max_length, self.config.max_chunk_chars + 1)
        return nlp

    @property
    def versions(self) -> dict:
        """Versions recorded in every result."""
        if self._versions is None:
            nlp = self.nlp
            self._versions = {
                "analyzer": __version__,
                "spacy_model": pipeline_label(nlp),
                "models": self.scorer.versions() if self.scorer else {},
                "lexicon": nlp.get_pipe("analyzer_framing").lexicon_label,
            }
            if nlp.has_pipe("analyzer_loaded_words"):
                self._versions["models"]["loaded_words"] = nlp.get_pipe("analyzer_loaded_words").label
        return dict(self._versions)

    def analyze(
        self,
        text: str,
        outlet: str | None = None,
        doc_id: str | None = None,
        title: str | None = None,
        date: str | None = None,
        targets: Sequence[str] | None = None,
    ) -> ArticleAnalysis:
        """Analyze one article; offsets in the result index ``text`` exactly.

        Raises :class:`~analyzer.errors.ParameterError` (``AZ104``) for arguments of the wrong type,
        :class:`~analyzer.errors.TextTooLongError` (``AZ106``) for a text over
        ``config.max_chars`` (checked first, before any processing) and
        :class:`~analyzer.errors.InvalidTextError` (``AZ105``) for a string holding a lone
        surrogate. Any other string is analyzed: control characters, NUL, bidi marks, emoji,
        combining marks, very long words, text of only punctuation or whitespace.
        """
        if isinstance(targets, str):
            raise ParameterError("targets", "a list of str", targets)
        article = ArticleInput(text, doc_id, outlet, title, date, tuple(targets or ()))
        record = self.annotate(article)
        self.score([(article.text, record)])
        return record

    def annotate(self, article: ArticleInput) -> ArticleAnalysis:
        """The first stage of :meth:`analyze`: ``article`` checked (the errors :meth:`analyze`
        raises) and run through the spaCy pipeline, its classifier fields left empty."""
        article = validated(article, self.config.max_chars)
        return self._annotated(article)

    def _annotated(self, article: ArticleInput) -> ArticleAnalysis:
        chunks = split_text(article.text, self.config.max_chunk_chars)
        if len(chunks) == 1:
            return self._record(article, [(0, self.nlp(article.text))])
        docs = self.nlp.pipe((c for _, c in chunks), batch_size=1)
        return self._record(article, zip((o for o, _ in chunks), docs, strict=True))

    def score(self, items: list[tuple[str, ArticleAnalysis]]) -> None:
        """The second stage: fill the classifier fields of ``(text, record)`` pairs in place (all
        in one model call per task; nothing when the classifiers are off)."""
        if self.scorer is not None:
            self.scorer.score(items)

    def explain(self, text: str, result: ArticleAnalysis, top: int = 5) -> dict:
        """The features behind ``result``'s leaning, most biased sentences and entity stances
        (``text`` is the analysed text). Needs the classifiers on."""
        if self.scorer is None:
            raise ParameterError("explain", "an Analyzer with classifiers=True", False)
        return self.scorer.explain(text, result, top)

    def analyze_many(
        self, articles: Iterable[ArticleInput | str], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[ArticleAnalysis]:
        """Analyze a stream of articles with ``nlp.pipe`` batching, yielding records in order
        (the classifiers score each batch of ``batch_size`` records together). ``n_process`` > 1
        runs spaCy in that many worker processes (``nlp.pipe``'s multiprocessing). Raises the
        errors :meth:`analyze` raises, at the first article that causes one."""
        nlp = self.nlp
        limit = self.config.max_chunk_chars

        def prepared() -> Iterator[tuple[str, ArticleInput]]:
            for item in articles:
                article = item if isinstance(item, ArticleInput) else ArticleInput(item)
                article = validated(article, self.config.max_chars)
                if len(article.text) <= limit:
                    yield article.text, article
                else:
                    yield "", article

        batch: list[tuple[str, ArticleAnalysis]] = []
        check_integers(("n_process", n_process, 1))
        docs = nlp.pipe(prepared(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        for doc, article in docs:
            if len(article.text) > limit:
                record = self._annotated(article)
            else:
                record = self._record(article, [(0, doc)])
            batch.append((article.text, record))
            if len(batch) >= batch_size:
                self.score(batch)
                yield from (r for _, r in batch)
                batch = []
        self.score(batch)
        yield from (r for _, r in batch)

    def _record(self, article: ArticleInput, docs: Iterable[tuple[int, Doc]]) -> ArticleAnalysis:
        """Build the record; ``docs`` is consumed lazily so one chunk's Doc is alive at a time."""
        return build_record(
            article.text,
            docs,
            doc_id=article.doc_id or content_id(article.text),
            outlet=article.outlet,
            title=article.title,
            date=article.date,
            targets=article.targets,
            versions=self.versions,
            language=self.nlp.lang,
        )


def text_problem(text: str, max_chars: int | None) -> InvalidTextError | TextTooLongError | None:
    """Why ``text`` cannot be analyzed (too long for ``max_chars``, or a lone surrogate), or None.

    The length is checked first, so an over-long text is refused without reading it."""
    if max_chars is not None and len(text) > max_chars:
        return TextTooLongError(len(text), max_chars)
    bad = lone_surrogate(text)
    if bad >= 0:
        return InvalidTextError("text", bad, text[bad])
    return None


def validated(article: ArticleInput, max_chars: int | None = None) -> ArticleInput:
    """``article`` when it can be analyzed; else the coded error :meth:`Engine.analyze` raises."""
    if not isinstance(article.text, str):
        raise ParameterError("text", "a str", type(article.text).__name__)
    problem = text_problem(article.text, max_chars)
    if problem is not None:
        raise problem
    for name in ("doc_id", "outlet", "title", "date"):
        value = getattr(article, name)
        if value is not None and not isinstance(value, str):
            raise ParameterError(name, "a str or None", value)
    if isinstance(article.targets, str) or not all(isinstance(t, str) for t in article.targets):
        raise ParameterError("targets", "a list of str", article.targets)
    fields = [(n, getattr(article, n)) for n in ("doc_id", "outlet", "title", "date")]
    for name, value in [*fields, *(("targets", t) for t in article.targets)]:
        bad = lone_surrogate(value) if value is not None else -1
        if bad >= 0:
            raise InvalidTextError(name, bad, value[bad])
    return article
