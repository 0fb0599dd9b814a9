"""The public :class:`Analyzer`: analyze one article, a stream of articles, or a whole corpus."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .engine import Engine
from .records import ArticleInput

if TYPE_CHECKING:
    from .batch import BatchResult


class Analyzer(Engine):
    """Analyze articles: entities, framing hits with voice/target/negation/hedging, sentences and
    the classifiers' stance, bias and leaning.

    The spaCy pipeline loads on first use (not at construction) and is shared by every Analyzer
    with the same configuration.

    >>> az = Analyzer()                                        # doctest: +SKIP
    >>> az.analyze("The coup against Morales...", outlet="X").to_dict()   # doctest: +SKIP
    """

    def analyze_corpus(
        self, articles: Iterable[ArticleInput], out_dir: str, **options: object
    ) -> BatchResult:
        """Analyze a corpus into Parquet tables in ``out_dir`` (streamed, resumable); options as
        :func:`analyzer.batch.run_batch` (``n_process``, ``resume``, ``executor``, ...). Returns the
        :class:`~analyzer.batch.BatchResult` (``.table(name)`` as DataFrames, ``.manifest``)."""
        from .batch import run_batch  # imported on use: batch runs need pandas and pyarrow, analyze does not

        return run_batch(articles, out_dir, analyzer=self, **options)  # type: ignore[arg-type]
