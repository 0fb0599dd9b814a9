"""compare on a real batch output (the sample corpus), through the API and the command line."""

import json
import subprocess
import sys

import pytest

from analyzer import compare
from analyzer.errors import OutputError

pytestmark = [pytest.mark.model, pytest.mark.slow]


def test_compare_a_batch_folder(sample_run):
    result, out = sample_run
    comparison = compare(out, by="outlet", n_boot=100, n_perm=99)
    assert comparison.corpus["articles"] == result.manifest["counts"]["documents"]
    assert len(comparison.corpus["groups"]) == 5
    rates = comparison["framing_rates"].query("level == 'all' and voice == 'all'")
    assert rates["hits"].sum() == len(result.table("framing"))
    assert not comparison["stance"].empty and not comparison["tests"].empty
    by_leaning = compare(result, by="leaning", n_boot=10, n_perm=9)
    assert set(by_leaning.corpus["groups"]) <= {"left", "center", "right"}


def test_compare_command_json_and_tables(sample_run, tmp_path):
    _, out = sample_run
    command = [sys.executable, "-m", "analyzer", "compare", str(out), "--boot", "50", "--perm", "19"]
    proc = subprocess.run([*command, "--format", "json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["corpus"]["by"] == "outlet" and "distinctive_terms" in payload["tables"]
    proc = subprocess.run(
        [*command, "--out", str(tmp_path / "cmp")], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "cmp" / "framing_rates.csv").is_file() and "per 1k tokens" in proc.stdout


def test_unfinished_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match=r"no manifest\.json"):
        compare(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", "compare", str(tmp_path), "--by", "outlet"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and "AZ501" in proc.stderr


def test_compare_analysed_records(analyzer_full):
    texts = {
        "A": "The senator slammed the reckless plan. Critics called it a disgrace.",
        "B": "The council approved the budget on Tuesday after a short debate.",
    }
    records = [analyzer_full.analyze(text, outlet=outlet, doc_id=outlet) for outlet, text in texts.items()]
    comparison = compare(records, by="outlet", n_boot=20, n_perm=9, min_articles=1)
    assert comparison.corpus["articles"] == 2 and set(comparison.corpus["groups"]) == {"A", "B"}
    assert not comparison["framing_rates"].empty
