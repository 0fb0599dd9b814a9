"""User-given *names* (tasks, dataset readers, formats, the files a sidecar lists, task keys of a
run's manifest) never become paths outside their folders: traversal, absolute paths and NUL are refused
with a coded error, or (a manifest's task keys) never looked up."""

from __future__ import annotations

import os

import pytest

from analyzer import AnalyzerConfig, load_trained, read_dataset, report
from analyzer.classify.artifacts.files import ModelIntegrityError, read_model, write_model
from analyzer.classify.model import shipped_folder
from analyzer.classify.tasks import get_task
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


@pytest.mark.parametrize("file", ["/etc/passwd", "../model.npz", "sub/model.npz", "model.npz\x00", ""])
def test_a_sidecar_lists_only_the_model_files_of_its_folder(file, tmp_path):
    folder = write_model(tmp_path / "m", {"task": "x"}, {})
    lines = (folder / "model.sha256").read_text(encoding="utf-8").splitlines()
    digest = lines[1].split()[0]
    (folder / "model.sha256").write_text(f"{lines[0]}\n{digest}  {file}\n", encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match=r"model\.sha256"):
        read_model(folder)


def test_report_methods_look_up_only_known_task_names(tmp_path):
    evil = tmp_path / "evil"
    evil.mkdir()
    metrics = [{"metric": "macro_f1", "score": 0.5, "split": "dev"}]
    write_model(evil, {"metrics": metrics, "training_data": {"dataset": "x"}}, {})
    escaping = os.path.relpath(evil, shipped_folder("sentence_bias"))
    assert model_sentences({"models": {escaping: {}}}, {}) == []
    # the same sidecar is read when the run's configuration names it for a known task
    assert model_sentences({"models": {"sentence_bias": {}}}, {"models": {"sentence_bias": str(evil)}})
