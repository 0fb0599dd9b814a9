"""User-given *names* (tasks, dataset readers, formats, a sidecar's model file, task keys of a run's
manifest) never become paths outside their folders: traversal, absolute paths and NUL are refused
with a coded error, or (a manifest's task keys) never looked up."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from analyzer import AnalyzerConfig, report
from analyzer.classify import get_task, load_trained, read_dataset
from analyzer.classify.persistence import ModelIntegrityError, load_model, save_model
from analyzer.classify.training import SHIPPED
from analyzer.cli import main
from analyzer.comparison import Comparison
from analyzer.errors import ParameterError
from analyzer.reporting.methods import model_sentences

BAD_NAMES = ["../../etc/passwd", "/etc/passwd", "sentence_bias\x00", "sentence_bias/../leaning", ".."]


def _cli(capsys, *args: str) -> tuple[int, str]:
    try:
        main(list(args))
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, capsys.readouterr().err


@pytest.mark.parametrize("name", BAD_NAMES)
def test_task_and_dataset_names_are_refused(name, tmp_path):
    for call in (
        lambda: get_task(name),
        lambda: load_trained(name),
        lambda: read_dataset(name, tmp_path),
        lambda: AnalyzerConfig(models={name: str(tmp_path)}),
        lambda: report(tmp_path, tmp_path / "r.html", format=name),
        lambda: Comparison({}, {}, {}, None).save(tmp_path / "tables", format=name),
    ):
        with pytest.raises(ParameterError) as info:
            call()
        assert info.value.code == "AZ104"
    assert not (tmp_path / "tables").exists()


@pytest.mark.parametrize("name", BAD_NAMES)
def test_cli_refuses_names_with_a_coded_message(name, tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("text,label\nA sentence.,biased\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("The council met on Tuesday.", encoding="utf-8")
    for args in (
        ["evaluate", "--task", name, "--data", str(data)],
        ["train", name, "--data", str(data), "--dataset", "csv"],
        ["train", "sentence_bias", "--data", str(data), "--dataset", name],
        ["analyze", str(article), "--model", f"{name}={tmp_path}"],
        ["report", str(tmp_path), "--tables", name],
    ):
        status, err = _cli(capsys, *args)
        assert status == 2 and "[AZ104]" in err, (args, err)


@pytest.mark.parametrize(
    "file", ["/etc/passwd", "../model.joblib", "sub/model.joblib", "model.joblib\x00", "", 7]
)
def test_sidecar_file_must_be_a_plain_name_in_the_folder(file, tmp_path):
    folder = save_model(LogisticRegression().fit(np.array([[0.0], [1.0]]), [0, 1]), tmp_path / "m", {})
    sidecar = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    (folder / "model.json").write_text(json.dumps({**sidecar, "file": file}), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="must be a file name inside"):
        load_model(folder)


def test_report_methods_look_up_only_known_task_names(tmp_path):
    evil = tmp_path / "evil"
    evil.mkdir()
    metrics = [{"metric": "macro_f1", "score": 0.5, "split": "dev"}]
    (evil / "model.json").write_text(json.dumps({"metrics": metrics, "training_data": {"dataset": "x"}}))
    escaping = os.path.relpath(evil, SHIPPED)
    assert model_sentences({"models": {escaping: {}}}, {}) == []
    # the same sidecar is read when the run's configuration names it for a known task
    assert model_sentences({"models": {"sentence_bias": {}}}, {"models": {"sentence_bias": str(evil)}})
