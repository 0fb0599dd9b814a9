"""The bundled sample corpus and the demo job that runs on it."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from analyzer.demo import run_demo
from tests.conftest import SAMPLE


def test_sample_corpus_shape():
    rows = list(csv.DictReader((SAMPLE / "metadata.csv").open(encoding="utf-8")))
    files = sorted(p.name for p in SAMPLE.glob("*.txt"))
    assert sorted(r["file"] for r in rows) == files
    assert len(files) >= 40
    assert len(Counter(r["outlet"] for r in rows)) >= 5
    assert len(Counter(r["event"] for r in rows)) >= 3 and "bolivia_2019" in {r["event"] for r in rows}
    assert all(r["date"] and r["title"] and r["outlet"] for r in rows)


@pytest.mark.model
def test_demo_writes_results_and_summary(tmp_path, analyzer_full):
    written = run_demo(SAMPLE, tmp_path, progress=False)
    names = sorted(p.name for p in written)
    assert names == ["articles.jsonl", "entities.csv", "framing.csv", "summary.html"]
    records = [json.loads(line) for line in (tmp_path / "articles.jsonl").open(encoding="utf-8")]
    assert len(records) == len(list(SAMPLE.glob("*.txt")))
    by_outlet = Counter()
    tokens = Counter()
    for r in records:
        by_outlet[r["outlet"]] += sum(1 for h in r["framing"] if h["voice"] == "author")
        tokens[r["outlet"]] += r["n_tokens"]
    rate = {o: by_outlet[o] / tokens[o] for o in tokens}
    assert rate["The Red Lantern"] > rate["Civic Wire"] and rate["The Liberty Sentinel"] > rate["Civic Wire"]
    with (tmp_path / "entities.csv").open(encoding="utf-8", newline="") as handle:
        entities = list(csv.DictReader(handle))
    assert entities and all(e["stance"] in {"against", "neutral", "favor"} for e in entities)
    html = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert "Framing by outlet" in html and "The Red Lantern" in html and 'class="entities"' in html
