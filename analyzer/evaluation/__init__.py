"""Evaluation of the analysis itself (not of one classifier) against expert annotations."""
