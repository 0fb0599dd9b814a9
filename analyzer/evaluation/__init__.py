"""Evaluation of the analysis itself (not of one classifier) against expert annotations."""

from .framing import FramingEvaluation, evaluate_basil, evaluate_framing

__all__ = ["FramingEvaluation", "evaluate_basil", "evaluate_framing"]
