"""Researcher reports: a self-contained HTML report (or Markdown summary) of a comparison, with
plots, tables, evidence snippets, annotated articles and a methods paragraph."""

from .evidence import EvidenceLimits
from .report import report

__all__ = ["EvidenceLimits", "report"]
