"""The bundled sample corpus and the demo job that runs on it."""

from __future__ import annotations

import csv
import json
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from analyzer.demo import run_demo
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow


def test_sample_corpus_shape():
    rows = list(csv.DictReader((SAMPLE / "metadata.csv").open(encoding="utf-8")))
    files = sorted(p.name for p in SAMPLE.glob("*.txt"))
    assert sorted(r["file"] for r in rows) == files
    assert len(files) >= 40
    assert len(Counter(r["outlet"] for r in rows)) >= 5
    assert len(Counter(r["event"] for r in rows)) >= 3 and "bolivia_2019" in {r["event"] for r in rows}
    assert all(r["date"] and r["title"] and r["outlet"] for r in rows)


@pytest.mark.model
def test_demo_writes_tables_and_report(tmp_path, analyzer_full):
    results, html, exported = run_demo(SAMPLE, tmp_path, progress=False)
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["documents"] == len(list(SAMPLE.glob("*.txt")))
    rates = pd.read_csv(exported / "framing_rates.csv").query("level == 'all' and voice == 'author'")
    rate = rates.set_index("group")["per_1k"]
    assert rate["The Red Lantern"] > rate["Civic Wire"] and rate["The Liberty Sentinel"] > rate["Civic Wire"]
    stance = pd.read_csv(exported / "stance.csv")
    assert set(stance["kind"]) == {"entity"} and np.isfinite(stance["score"]).all()
    page = html.read_text(encoding="utf-8")
    assert all(f'id="{s}"' in page for s in ("overview", "framing", "terms", "stance", "evidence", "methods"))
    assert "The Red Lantern" in page and "data:image/png;base64," in page
    again = run_demo(SAMPLE, tmp_path, progress=False)
    assert again[0] == results
