"""The shipped models: present, hash-checked, carded, packaged in a wheel, and their recorded
dev numbers reproducible from the public data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

import analyzer
from analyzer import load_trained
from analyzer.classify.artifacts.files import read_sidecar, sha256_bytes
from analyzer.classify.model import shipped_folder
from analyzer.config import CLASSIFIER_TASKS
from tests.conftest import ROOT, SHARED

CARD_SECTIONS = (
    "## Training data",
    "licence of the data",
    "## Metrics",
    "Published anchor",
    "## Known limits",
)

DATA = SHARED / "data"


@pytest.mark.parametrize("task", CLASSIFIER_TASKS)
def test_shipped_model_has_checked_sidecar_and_card(task):
    folder = shipped_folder(task)
    sidecar = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    hashes = read_sidecar(folder)
    assert sidecar["task"] == task
    assert all(
        hashes[name] == sha256_bytes((folder / name).read_bytes()) for name in ("model.json", "model.npz")
    )
    assert sidecar["metrics"], "a shipped model records how it was measured"
    card = (folder / "README.md").read_text(encoding="utf-8")
    for section in CARD_SECTIONS:
        assert section in card, section
    assert f"analyzer train {task} " in card and sidecar["command"] in card
    for metric in sidecar["metrics"]:
        assert f"{metric['score']:.3f}" in card


@pytest.mark.slow
@pytest.mark.parametrize(
    ("task", "dataset", "path"),
    [
        ("entity_stance", "newsmtsc", "newsmtsc/paper_dev_test_split/rw/dev.jsonl"),
        ("entity_stance", "newsmtsc", "newsmtsc/paper_dev_test_split/mt/dev.jsonl"),
    ],
)
def test_recorded_dev_scores_are_reproduced(task, dataset, path):
    file = DATA / path
    if not file.is_file():
        pytest.skip(f"{file} not found (../shared/data is not part of the repository)")
    recorded = {m["split"]: m for m in load_trained(task).metadata["metrics"]}
    split = f"dev: {file.parent.name}/{file.name}"
    if split not in recorded:
        pytest.skip(f"the shipped {task} model records no {split} score")
    again = analyzer.evaluate(task, str(file), dataset=dataset)
    assert again.score == pytest.approx(recorded[split]["score"], abs=1e-9)
    assert again.n == recorded[split]["n"]


@pytest.mark.slow
def test_models_are_found_in_a_built_wheel(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "out", "build", "*.egg-info")
    )
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(source)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    wheel = next(wheel_dir.glob("analyzer-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    files = ("model.json", "model.npz", "model.sha256", "README.md")
    for task in (*CLASSIFIER_TASKS, "loaded_words"):
        assert {f"analyzer/models/{task}/{f}" for f in files} <= names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "from analyzer.classify.model import load_model, shipped_folder; "
        "m = load_model('sentence_bias'); print(shipped_folder('sentence_bias')); print(m.predict({'text': ['x']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert str(target) in out.stdout
