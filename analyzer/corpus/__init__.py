"""Corpus input: readers that turn files into :class:`~analyzer.ArticleInput` records."""
