"""The framing figures of issue 20 on basil_dev, with the default analysis (about a minute)."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED

BASIL_DEV = SHARED / "data" / "basil_dev" / "basil_dev.jsonl"

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not BASIL_DEV.is_file(), reason=f"BASIL dev data not found at {BASIL_DEV}"),
]


def test_default_analysis_meets_the_framing_figures():
    from analyzer.evaluation import evaluate_basil

    result = evaluate_basil(BASIL_DEV, boot=200)
    figures = result.figures
    assert result.counts["articles"] == 135 and result.n_events == 45
    assert figures["recall"] >= 0.60
    assert figures["hits_per_1k_words"] <= 30
    assert figures["quote_agreement"] >= 0.92
    assert figures["target_agreement"] >= 0.50
    assert 0 < figures["target_given"] <= 1
    low, high = result.intervals["recall"]
    assert low <= figures["recall"] <= high
