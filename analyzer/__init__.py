"""analyzer: media-bias and stance analysis of news and opinion articles.

Public API (imported lazily, so ``import analyzer`` is cheap and loads no model)::

    import analyzer
    az = analyzer.Analyzer()
    result = az.analyze(text, outlet="...", doc_id="...")   # -> ArticleAnalysis
    result.to_dict()                                         # schema "analyzer.article/1"
    model = analyzer.train("sentence_bias", "../shared/data/babe", out="models/bias")
    analyzer.evaluate("sentence_bias", "dev.csv", dataset="csv")  # the shipped model
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Analyzer": "analyzer.api",
    "ArticleInput": "analyzer.records",
    "AnalyzerConfig": "analyzer.config",
    "ArticleAnalysis": "analyzer.records",
    "Entity": "analyzer.records",
    "FramingHit": "analyzer.records",
    "Mention": "analyzer.records",
    "Sentence": "analyzer.records",
    "AnalyzerError": "analyzer.errors",
    "load_lexicon": "analyzer.lexicons",
    "check_lexicon": "analyzer.lexicons",
    "read_corpus": "analyzer.corpus.readers",
    "train": "analyzer.classify.training.train",
    "evaluate": "analyzer.classify.training.train",
    "load_trained": "analyzer.classify.training.train",
    "read_dataset": "analyzer.classify.data.datasets",
    "compare": "analyzer.comparison",
    "Comparison": "analyzer.comparison",
    "report": "analyzer.reporting",
    "suggest_terms": "analyzer.comparison.suggest",
}

__all__ = [
    "Analyzer",
    "AnalyzerConfig",
    "AnalyzerError",
    "ArticleAnalysis",
    "ArticleInput",
    "Comparison",
    "Entity",
    "FramingHit",
    "Mention",
    "Sentence",
    "__version__",
    "check_lexicon",
    "compare",
    "evaluate",
    "load_lexicon",
    "load_trained",
    "read_corpus",
    "read_dataset",
    "report",
    "suggest_terms",
    "train",
]

if TYPE_CHECKING:
    from .api import Analyzer
    from .classify.data.datasets import read_dataset
    from .classify.training.train import evaluate, load_trained, train
    from .comparison import Comparison, compare
    from .comparison.suggest import suggest_terms
    from .config import AnalyzerConfig
    from .corpus.readers import read_corpus
    from .errors import AnalyzerError
    from .lexicons import check_lexicon, load_lexicon
    from .records import ArticleAnalysis, ArticleInput, Entity, FramingHit, Mention, Sentence
    from .reporting import report


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
