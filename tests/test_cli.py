"""The command line, run for real in subprocesses (python -m analyzer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ARTICLE = "Morales declared the evolving situation a coup. The OAS, which alleged fraud, disagreed.\n"


def run(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_output_matches_the_api(article, analyzer_full):
    proc = run("analyze", str(article), "--format", "json", "--doc-id", "a1", "--outlet", "X")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    expected = analyzer_full.analyze(ARTICLE, outlet="X", doc_id="a1").to_dict()
    assert data == expected
    for hit in data["framing"]:
        assert ARTICLE[hit["start"] : hit["end"]] == hit["text"]


def test_stdin_and_table(article):
    proc = run("analyze", "-", stdin=ARTICLE.encode(), env={"COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "Entities" in out and "Framing hits" in out and "coup" in out and "attributed" in out


def test_invalid_utf8_names_file_and_offset(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Se declaró un golpe de Estado en Bolivia.".encode("latin-1"))
    proc = run("analyze", str(bad))
    assert proc.returncode == 2
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "AZ101" in err and str(bad) in err and "byte offset 9" in err
    assert "Traceback" not in err
    ok = run("analyze", str(bad), "--encoding", "latin-1", "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["n_tokens"] > 0


def test_binary_file_is_refused(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = run("analyze", str(binary))
    assert proc.returncode == 2 and "AZ102" in proc.stderr.decode() and "binary" in proc.stderr.decode()


def test_missing_file_and_debug_traceback(tmp_path):
    missing = str(tmp_path / "nope.txt")
    proc = run("analyze", missing)
    assert (
        proc.returncode == 2 and "AZ103" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    )
    debug = run("analyze", missing, "--debug")
    assert debug.returncode != 0 and "Traceback" in debug.stderr.decode()


def test_missing_pipeline_gives_install_command(article):
    proc = run("analyze", str(article), "--spacy-model", "en_core_web_nonexistent")
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "AZ201" in err and "install" in err and len(err.strip().splitlines()) == 1


def test_lexicon_check(tmp_path):
    good = run("lexicon", "check", "analyzer/lexicons/framing_v1.tsv")
    assert good.returncode == 0 and "OK" in good.stdout.decode()
    bad = tmp_path / "mine.tsv"
    bad.write_text("term\tcategory\tpolarity\tnote\nstooge\tderogatory_label\t-2\tx\n", encoding="utf-8")
    proc = run("lexicon", "check", str(bad))
    assert proc.returncode == 1 and f"{bad}:2: polarity" in proc.stderr.decode()


def test_user_lexicon_adds_terms(tmp_path, article):
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "term\tcategory\tpolarity\tnote\nsituation\tcrisis_alarm\t-1\ttest term\n", encoding="utf-8"
    )
    proc = run("analyze", str(article), "--lexicon", str(mine), "--no-default-lexicon", "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert [h["lemma"] for h in data["framing"]] == ["situation"]
    assert data["versions"]["lexicon"] == "mine@0"


def test_fast_profile_flag(article):
    proc = run("analyze", str(article), "--format", "json", "--profile", "fast", "--no-classifiers")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["versions"]["spacy_model"].endswith("[no parser]")
    assert {f["voice"] for f in data["framing"]} == {"author"}
    refused = run("analyze", str(article), "--profile", "turbo")
    assert refused.returncode != 0 and "profile" in refused.stderr.decode()


def test_loaded_words_flags(article):
    proc = run("analyze", str(article), "--format", "json", "--no-classifiers", "--no-loaded-words")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["versions"]["models"] == {} and {f["source"] for f in data["framing"]} == {"lexicon"}
    own = run(
        "analyze", str(article), "--format", "json", "--no-classifiers", "--loaded-words-threshold", "0"
    )
    assert own.returncode == 0, own.stderr.decode()
    assert json.loads(own.stdout)["versions"]["models"]["loaded_words"]["threshold"] == 0.24
    refused = run("analyze", str(article), "--loaded-words-threshold", "1.5")
    assert refused.returncode == 2 and "AZ104" in refused.stderr.decode()


@pytest.mark.slow
def test_loaded_words_tasks_read_babe_only(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("text,label\na,b\n", encoding="utf-8")
    for command in (["train", "loaded_words"], ["evaluate", "--task", "loaded_words"]):
        proc = run(*command, "--data", str(data), "--dataset", "csv")
        assert proc.returncode == 2 and "AZ104" in proc.stderr.decode() and "babe" in proc.stderr.decode()
