"""Model files from unknown sources are never unpickled: only shipped models, models saved here by
``train`` and folders the user trusts (``--trust-model`` / ``analyzer.trust_model``) load."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import analyzer
from analyzer.classify import load_trained, training
from analyzer.classify import trust as trust_module
from analyzer.classify.persistence import (
    ModelIntegrityError,
    UntrustedModelError,
    file_sha256,
    load_model,
    save_model,
)
from analyzer.classify.trust import TrustRegistryError, registry_path
from analyzer.cli import main

TASK = "sentence_bias"


class MakesMarker:
    """Unpickling this creates the folder ``marker``: proof that a file was (or was not) loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """An empty registry of trusted models for this test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("ANALYZER_HOME", str(folder))
    return folder


def _copy_shipped(folder: Path, model_bytes: bytes) -> Path:
    """The shipped sentence-bias sidecar with another model file, the sidecar hash made to match."""
    folder.mkdir()
    (folder / "model.joblib").write_bytes(model_bytes)
    sidecar = json.loads((training.SHIPPED / TASK / "model.json").read_text(encoding="utf-8"))
    sidecar["sha256"] = file_sha256(folder / "model.joblib")
    (folder / "model.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return folder


def _evil_copy(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "unpickled"
    joblib.dump(MakesMarker(marker), tmp_path / "evil.joblib")
    return _copy_shipped(tmp_path / "copy", (tmp_path / "evil.joblib").read_bytes()), marker


@pytest.fixture()
def data_csv(tmp_path):
    rows = [("A fair and balanced report on the vote.", "non-biased"), ("The radical mob raged.", "biased")]
    path = tmp_path / "dev.csv"
    pd.DataFrame(rows * 5, columns=["text", "label"]).to_csv(path, index=False)
    return path


def _evaluate(capsys, model: Path, data: Path, *extra: str) -> tuple[int, str, str]:
    try:
        main(
            [
                "evaluate",
                "--task",
                TASK,
                "--model",
                str(model),
                "--data",
                str(data),
                "--dataset",
                "csv",
                *extra,
            ]
        )
        status = 0
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_shipped_models_load_with_an_empty_registry(home):
    assert not registry_path().exists()
    model = load_trained(TASK)
    assert model.predict(pd.DataFrame({"text": ["The radical mob raged."]}))[0] in ("biased", "non-biased")


def test_untrusted_copy_of_a_shipped_model_is_refused_before_unpickling(home, tmp_path, data_csv, capsys):
    copy, marker = _evil_copy(tmp_path)
    with pytest.raises(UntrustedModelError) as info:
        load_trained(TASK, copy)
    assert info.value.code == "AZ402" and f"--trust-model {copy}" in str(info.value)
    assert "analyzer.trust_model" in str(info.value)
    status, _, err = _evaluate(capsys, copy, data_csv)
    assert status == 2 and "[AZ402]" in err and "--trust-model" in err
    assert not marker.exists(), "the refused file was unpickled"
    load_model(copy, trust=True)  # the same file, trusted for one call: its code does run
    assert marker.is_dir()


def test_trust_model_flag_trusts_exactly_that_file(home, tmp_path, data_csv, capsys):
    estimator, _ = load_model(training.SHIPPED / TASK)
    joblib.dump(estimator, tmp_path / "plain.joblib", compress=0)  # same model, other bytes
    copy = _copy_shipped(tmp_path / "copy", (tmp_path / "plain.joblib").read_bytes())
    assert _evaluate(capsys, copy, data_csv)[0] == 2
    status, out, err = _evaluate(capsys, copy, data_csv, "--trust-model", str(copy))
    assert status == 0, err
    assert json.loads(out)["n"] == 10
    recorded = json.loads(registry_path().read_text(encoding="utf-8"))["models"]
    assert set(recorded) == {file_sha256(copy / "model.joblib")}
    assert _evaluate(capsys, copy, data_csv)[0] == 0  # recorded for later runs
    joblib.dump(estimator, copy / "model.joblib", compress=1)  # changed: trust does not carry over
    sidecar = json.loads((copy / "model.json").read_text(encoding="utf-8"))
    (copy / "model.json").write_text(json.dumps({**sidecar, "sha256": file_sha256(copy / "model.joblib")}))
    status, _, err = _evaluate(capsys, copy, data_csv)
    assert status == 2 and "[AZ402]" in err


def test_api_trust_model_records_the_folder(home, tmp_path):
    copy, marker = _evil_copy(tmp_path)
    assert analyzer.trust_model(copy) == file_sha256(copy / "model.joblib")
    assert not marker.exists()  # trusting checks the hash, it does not load
    load_trained(TASK, copy)
    assert marker.is_dir()


def test_model_trained_here_loads_without_the_flag(home, tmp_path, monkeypatch):
    saved = save_model(
        LogisticRegression().fit(np.array([[0.0], [1.0]]), [0, 1]), tmp_path / "m", {"task": "demo"}
    )
    assert load_model(saved)[1]["task"] == "demo"
    shutil.copytree(saved, tmp_path / "elsewhere")  # same bytes: trusted by content
    assert load_model(tmp_path / "elsewhere")[1]["task"] == "demo"
    monkeypatch.setenv("ANALYZER_HOME", str(tmp_path / "other user"))
    with pytest.raises(UntrustedModelError):
        load_model(saved)


def test_cli_train_then_evaluate_without_the_flag(home, tmp_path, capsys):
    rows = [("The radical mob raged and looted.", "biased"), ("The council met on Tuesday.", "non-biased")]
    frame = pd.DataFrame(rows * 15, columns=["text", "label"])
    frame["group"] = [f"g{i % 10}" for i in range(len(frame))]
    frame.to_csv(tmp_path / "train.csv", index=False)
    out = tmp_path / "mine"
    main(["train", TASK, "--data", str(tmp_path / "train.csv"), "--dataset", "csv", "--cv", "0",
          "--group-col", "group", "--out", str(out)])  # fmt: skip
    capsys.readouterr()
    status, output, err = _evaluate(capsys, out, tmp_path / "train.csv")
    assert status == 0, err
    assert json.loads(output)["n"] == 30


def test_tampered_shipped_model_is_refused_on_the_default_path(home, tmp_path, monkeypatch):
    package = tmp_path / "models"
    shutil.copytree(training.SHIPPED / TASK, package / TASK)
    monkeypatch.setattr(training, "SHIPPED", package)
    monkeypatch.setattr(trust_module, "SHIPPED", package)
    assert load_trained(TASK).metadata["task"] == TASK  # the copied package loads by default
    blob = bytearray((package / TASK / "model.joblib").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (package / TASK / "model.joblib").write_bytes(bytes(blob))
    with pytest.raises(ModelIntegrityError) as info:
        load_trained(TASK)
    assert info.value.code == "AZ401"


def test_unreadable_registry_is_a_coded_error(home, tmp_path):
    saved = save_model(
        LogisticRegression().fit(np.array([[0.0], [1.0]]), [0, 1]), tmp_path / "m", {"task": "demo"}
    )
    registry_path().write_text("{not json", encoding="utf-8")
    with pytest.raises(TrustRegistryError, match="fix or delete") as info:
        load_model(saved)
    assert info.value.code == "AZ303"
