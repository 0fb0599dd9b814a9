"""Which features pushed a prediction: contributions of a linear model's inputs.

Every task ends in linear models, so a prediction decomposes exactly into one term per feature,
``value x weight`` toward a class. Calibration (a monotone map of that sum) and the wrappers around
the linear models (per-target models, calibration members) do not change which
features pushed the decision, so :func:`contributions` finds the linear nodes that score a row and
averages their terms over the calibration members.

A feature is named ``block: column``: the block is the training pipeline's step name (``words``,
``chars``, ``masked``, ``lexicon``, ``word_bias`` ...), the column a term, a lexicon category or a
feature name. The dimensions of a sentence embedding say nothing one by one, so their terms are
summed into one, ``embedding: sentence meaning``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .score import WORD_BIAS_NAMES, WORD_BIAS_PRIOR_NAMES, GraphScorer


class NotExplainable(TypeError):
    """The model does not end in linear models whose terms can be listed."""


def _linear_nodes(node: dict[str, Any], row: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    op = node["op"]
    if op == "linear":
        return [node]
    if op == "calibrated":
        return [found for member in node["members"] for found in _linear_nodes(member["model"], row)]
    if op == "per_target":
        model = node["models"].get(row[node["column"]][0])
        return [] if model is None else _linear_nodes(model, row)
    if op in ("constant", "encoder_stance"):
        return []  # no named features: an encoder's decision is not a sum of terms
    raise NotExplainable(f"cannot list the features of a {op!r} node")


def feature_names(scorer: GraphScorer, node: dict[str, Any]) -> list[str]:
    """The names of a feature node's columns, in order."""
    op = node["op"]
    if op == "union":
        return [name for part in node["parts"] for name in feature_names(scorer, part)]
    if op == "divide":
        return feature_names(scorer, node["input"])
    block = node.get("name", op)
    if op == "tfidf":
        columns = scorer.arrays.terms(node["vocabulary"])
    elif op == "lexicon_counts":
        columns = [f"lexicon_{category}" for category in node["categories"]]
    elif op == "word_bias":
        columns = list(WORD_BIAS_NAMES) + (list(WORD_BIAS_PRIOR_NAMES) if node["with_prior"] else [])
    elif op == "positive_scores":
        columns = list(node["columns"])
    elif op == "embedding":
        width = scorer.features(node, {node["column"]: [""]}).shape[1]
        columns = ["sentence meaning"] * width
    else:
        raise NotExplainable(f"no feature names for a {op!r} node")
    return [f"{block}: {column}" for column in columns]


def _terms(
    scorer: GraphScorer, node: dict[str, Any], row: Mapping[str, Sequence[Any]], label: str
) -> dict[str, float]:
    classes = list(node["classes"])
    if label not in classes:
        return {}
    columns: Mapping[str, Sequence[Any]] = row
    for step in node.get("prepare", ()):
        columns = scorer.prepare(step, columns)
    values = scorer.features(node["features"], columns)
    values = values.toarray()[0] if hasattr(values, "toarray") else np.asarray(values)[0]
    weights = scorer.arrays[node["weights"]]
    if weights.shape[1] == 1:
        toward = weights[:, 0] if classes.index(label) == 1 else -weights[:, 0]
    else:
        toward = weights[:, classes.index(label)] - weights.mean(axis=1)
    names = feature_names(scorer, node["features"])
    terms: dict[str, float] = defaultdict(float)
    for i in np.flatnonzero(values):
        terms[names[i]] += float(values[i] * toward[i])
    return terms


def contributions(
    scorer: GraphScorer, row: Mapping[str, Sequence[Any]], label: str, top: int | None = 10
) -> list[tuple[str, float]]:
    """The ``top`` features (all with ``None``) that pushed the one-row input ``row`` toward
    ``label`` most, with signed contributions (positive = toward ``label``), strongest first.

    For a multi-class model the weight toward a class is taken relative to the mean over classes,
    so a feature that raises every class equally contributes nothing."""
    nodes = _linear_nodes(scorer.graph, row)
    total: dict[str, float] = defaultdict(float)
    for node in nodes:
        for name, value in _terms(scorer, node, row, label).items():
            total[name] += value / len(nodes)
    ranked = sorted(total.items(), key=lambda item: -abs(item[1]))
    return [(name, round(value, 6)) for name, value in ranked[:top] if value != 0.0]
