"""Batch runs for real: Parquet tables, failures in the manifest, workers, locks, kill -9 and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analyzer import Analyzer, read_corpus
from analyzer.batch import SCHEMAS, TABLES, run_batch
from analyzer.batch.store import PartStore
from analyzer.errors import OutputError
from tests.conftest import SAMPLE, shared_analyzer

pytestmark = [pytest.mark.model, pytest.mark.slow]


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    store = PartStore(folder)
    return {t: store.read_table(t).to_pandas() for t in TABLES}


def test_tables_have_their_schema_and_every_document(sample_run):
    result, out = sample_run
    assert result.manifest["counts"]["documents"] == 46 and result.manifest["counts"]["parts"] == 5
    got = tables(out)
    for name in TABLES:
        assert PartStore(out).read_table(name).schema == SCHEMAS[name]
    documents = got["documents"]
    assert documents["doc_id"].is_unique and len(documents) == 46
    assert set(got["framing"]["doc_id"]) <= set(documents["doc_id"])
    assert (
        documents["bias"].between(0, 1).all() and documents["leaning"].isin(["left", "center", "right"]).all()
    )
    assert sorted(documents["outlet"].unique())[:2] == ["Civic Wire", "Heartland Courier"]
    text = (SAMPLE / "civic_wire_01.txt").read_text(encoding="utf-8")
    hits = got["framing"][got["framing"]["doc_id"] == "civic_wire_01"]
    assert all(text[s:e] == t for s, e, t in zip(hits["start"], hits["end"], hits["text"], strict=True))
    assert result.table("stance")["kind"].eq("entity").all()
    reprints = documents[documents["dup_group"] != documents["doc_id"]]
    assert reprints[["doc_id", "dup_group"]].values.tolist() == [["heartland_courier_10", "civic_wire_05"]]


def test_problems_and_failing_documents_are_listed_not_dropped(tmp_path):
    corpus = tmp_path / "corpus.csv"
    pd.DataFrame(
        {
            "id": ["a", "b", "a", "c", "d", "e"],
            "text": [
                "The coup failed.",
                "",
                "Repeated id.",
                "Officials met.",
                "This one breaks the pipeline.",
                "El golpe contra el presidente fue condenado por los sindicatos del país.",
            ],
        }
    ).to_csv(corpus, index=False)

    class Breaking(Analyzer):
        def _record(self, article, docs):
            if "breaks" in article.text:
                raise RuntimeError("component failed")
            return super()._record(article, docs)

    result = run_batch(read_corpus(corpus), tmp_path / "out", analyzer=Breaking(), quiet=True)
    reasons = {f["source"]: f["reason"] for f in result.failures}
    assert reasons == {
        "corpus.csv:row 2": "no text",
        "corpus.csv:row 3": "duplicate id 'a' (first at corpus.csv:row 1)",
        "corpus.csv:row 5": "RuntimeError: component failed",
        "corpus.csv:row 6": "language es (the pipeline is en; pass --spacy-model with a es pipeline to analyze it)",
    }
    assert result.manifest["counts"] == {
        **result.manifest["counts"], "records": 6, "documents": 2, "failures": 4,
    }  # fmt: skip
    assert list(result.table("documents")["doc_id"]) == ["a", "c"]


def test_two_worker_processes_give_the_same_tables(sample_run, tmp_path):
    _, out = sample_run
    articles = list(read_corpus(SAMPLE))[:12]
    run_batch(articles, tmp_path / "two", analyzer=shared_analyzer(), n_process=2, part_size=5, quiet=True)
    one, two = tables(out), tables(tmp_path / "two")
    ids = [a.doc_id for a in articles]
    for name in TABLES:
        expected = one[name][one[name]["doc_id"].isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(two[name], expected)


def test_a_second_run_is_refused_while_the_folder_is_locked_or_finished(sample_run, tmp_path):
    _, out = sample_run
    with pytest.raises(OutputError, match="--resume"):
        run_batch(read_corpus(SAMPLE), out, analyzer=shared_analyzer(), quiet=True)
    locked = tmp_path / "locked"
    holder = PartStore(locked)
    holder.lock()
    try:
        with pytest.raises(OutputError, match=f"in use by another run \\(pid {os.getpid()} on host"):
            run_batch(read_corpus(SAMPLE), locked, analyzer=shared_analyzer(), quiet=True)
    finally:
        holder.unlock()


def test_kill_9_then_resume_gives_every_document_once(sample_run, tmp_path):
    _, reference = sample_run
    out = tmp_path / "killed"
    command = [
        sys.executable,
        "-m",
        "analyzer",
        "batch",
        str(SAMPLE),
        "--out",
        str(out),
        "--part-size",
        "4",
        "--quiet",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while time.time() < deadline and len(list((out / "_parts").glob("part-*.json"))) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    committed = len(list((out / "_parts").glob("part-*.json")))
    assert 2 <= committed < 12, "the run was killed part-way"
    refused = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "--resume" in refused.stderr
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    got, expected = tables(out), tables(reference)
    assert got["documents"]["doc_id"].is_unique
    for name in TABLES:
        key = ["doc_id"] + [
            c for c in ("entity_id", "hit", "sentence", "start", "kind", "target") if c in got[name]
        ]
        left = got[name].sort_values(key).reset_index(drop=True)
        right = expected[name].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["records"] == 46 and manifest["counts"]["failures"] == 0


def test_a_dask_local_cluster_writes_the_same_tables(sample_run, tmp_path):
    _, out = sample_run
    articles = list(read_corpus(SAMPLE))[:12]
    result = run_batch(
        articles, tmp_path / "dask", analyzer=shared_analyzer(), n_process=2, part_size=3,
        executor="dask", quiet=True,
    )  # fmt: skip
    assert result.manifest["config"]["executor"] == "dask" and result.manifest["config"]["workers"] == 2
    one, cluster = tables(out), tables(tmp_path / "dask")
    ids = [a.doc_id for a in articles]
    for name in TABLES:
        expected = one[name][one[name]["doc_id"].isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(cluster[name], expected)
