"""Outlet comparison: rates with bootstrap intervals, distinctive terms, entity labels, stance,
sentence bias and leaning per group, and tests of difference (see ``docs/statistics.md``)."""

from .core import Comparison, compare
from .data import CorpusTables, load_tables

__all__ = ["Comparison", "CorpusTables", "compare", "load_tables"]
