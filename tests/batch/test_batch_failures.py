"""Batch runs that go wrong for real: repeated kill -9 and resume. Every run here is a real
``python -m analyzer batch`` subprocess; the output is checked against the uninterrupted run of the sample corpus."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analyzer.batch import TABLES
from analyzer.batch.store import LOCK, MARKERS, PartStore
from tests.conftest import ROOT, SAMPLE

SORT_KEYS = ("entity_id", "hit", "sentence", "start", "kind", "target")


def batch_command(out: Path, *extra: str) -> list[str]:
    """``python -m analyzer batch`` on the sample corpus, a part every two documents."""
    return [
        sys.executable, "-m", "analyzer", "batch", str(SAMPLE), "--out", str(out),
        "--part-size", "2", "--batch-size", "2", "--quiet", *extra,
    ]  # fmt: skip


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a batch subprocess: it imports this checkout of ``analyzer``."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def committed(out: Path) -> int:
    """How many parts of ``out`` are committed (have a marker)."""
    return len(list((out / MARKERS).glob("part-*.json")))


def assert_every_visible_part_is_whole(out: Path) -> None:
    """Each file under a final name (``TABLE/part-NNNNNN.parquet``) is a complete Parquet file,
    and no record is in two committed parts."""
    for path in out.glob("*/part-*.parquet"):
        pq.read_table(path)  # raises on a truncated file
    keys = [key for marker in PartStore(out).markers() for key in marker["keys"]]
    assert len(keys) == len(set(keys)), "a record was committed twice"


def assert_same_tables(got: Path, expected: Path) -> None:
    """Every table of ``got`` holds the rows of ``expected`` (order of parts aside), no more."""
    for name in TABLES:
        left, right = (
            PartStore(got).read_table(name).to_pandas(),
            PartStore(expected).read_table(name).to_pandas(),
        )
        key = ["doc_id"] + [c for c in SORT_KEYS if c in left]
        pd.testing.assert_frame_equal(
            left.sort_values(key).reset_index(drop=True), right.sort_values(key).reset_index(drop=True)
        )
    assert PartStore(got).read_table("documents").to_pandas()["doc_id"].is_unique


@pytest.mark.model
def test_five_kills_at_random_moments_then_resume_give_the_uninterrupted_tables(sample_run, tmp_path):
    """Five ``kill -9`` of one batch run, each followed by ``--resume``: two land at random times
    during start-up (imports, model loading, lock), three after a random number of newly committed
    parts plus a random delay, so they hit a part being analyzed or written. The seeded generator
    makes the schedule reproducible; the moments still depend on the machine's speed, which is why
    the mid-run kills wait for commits instead of sleeping a fixed time. After the last resume the
    tables equal the uninterrupted run's (no row lost, none twice)."""
    _, reference = sample_run
    out = tmp_path / "killed"
    rng = random.Random(7)
    history = []
    for attempt, moment in enumerate(["start-up", "mid-run", "start-up", "mid-run", "mid-run"]):
        before = committed(out) if out.exists() else 0
        stderr = tmp_path / f"stderr-{attempt}.txt"
        with stderr.open("wb") as err:
            resume = ["--resume"] if attempt else []
            process = subprocess.Popen(
                batch_command(out, *resume), env=child_env(), stdout=subprocess.DEVNULL, stderr=err
            )
            if moment == "start-up":
                time.sleep(rng.uniform(0.2, 3.0))
            else:
                grow, deadline = rng.randint(1, 3), time.time() + 120
                while process.poll() is None and committed(out) < before + grow and time.time() < deadline:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0.0, 0.4))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()
        assert process.returncode in (0, -signal.SIGKILL), stderr.read_text()
        history.append((moment, before, committed(out), process.returncode))
        assert committed(out) >= before
        assert_every_visible_part_is_whole(out)
    landed = [h for h in history if h[0] == "mid-run" and h[3] == -signal.SIGKILL and h[2] > h[1]]
    assert len(landed) >= 2, f"most mid-run kills should land between commits: {history}"
    finished = subprocess.run(
        batch_command(out, "--resume"), env=child_env(), capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    assert_same_tables(out, reference)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["records"] == 46 and manifest["counts"]["failures"] == 0
    assert manifest["counts"]["parts"] == committed(out) and not (out / LOCK).exists()
