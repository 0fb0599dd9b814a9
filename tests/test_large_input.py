"""The ``max_chars`` limit: a text over it is refused with AZ106 before any processing (``analyze``,
``analyze_many``, the CLI), and in a batch run it is a failure with reason ``too long`` while the
run goes on. The limits are small here so the tests stay fast; one test checks that a 50 MB text
is refused at once by the default limit."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from analyzer import Analyzer, AnalyzerConfig, ArticleInput
from analyzer.config import DEFAULT_MAX_CHARS
from analyzer.errors import ParameterError, TextTooLongError

SENTENCE = "Morales declared the evolving situation a coup. "


@pytest.mark.parametrize("value", [0, -5, 10.5, "1000", True])
def test_max_chars_must_be_a_positive_integer_or_none(value):
    with pytest.raises(ParameterError, match="max_chars"):
        AnalyzerConfig(max_chars=value)
    assert AnalyzerConfig(max_chars=None).max_chars is None
    assert AnalyzerConfig().max_chars == DEFAULT_MAX_CHARS == 10_000_000


def test_fifty_megabytes_are_refused_at_once_without_a_doc(monkeypatch):
    text = "word " * 10_000_000  # 50,000,000 characters
    analyzer = Analyzer()

    def no_pipeline(self):
        raise AssertionError("the pipeline was used for a text over max_chars")

    monkeypatch.setattr(Analyzer, "nlp", property(no_pipeline))
    started = time.perf_counter()
    with pytest.raises(TextTooLongError) as info:
        analyzer.analyze(text)
    assert time.perf_counter() - started < 1.0
    message = str(info.value)
    assert info.value.code == "AZ106" and "\n" not in message
    assert "50,000,000 characters" in message and "max_chars=10,000,000" in message
    assert "--max-chars" in message


@pytest.mark.model
def test_configured_limit_is_exact_and_none_means_no_limit():
    text = (SENTENCE * 30)[:1200]
    limited = Analyzer(max_chars=1200, classifiers=False)
    record = limited.analyze(text)
    assert record.framing and text[record.framing[0].start : record.framing[0].end] == "coup"
    with pytest.raises(TextTooLongError, match="1,201 characters, over the limit max_chars=1,200"):
        limited.analyze(text + "x")
    with pytest.raises(TextTooLongError):
        list(limited.analyze_many([text, text + "x"]))
    assert Analyzer(max_chars=None, classifiers=False).analyze(text + "x").n_tokens > 0


@pytest.mark.model
def test_batch_records_an_over_limit_document_and_goes_on(tmp_path):
    analyzer = Analyzer(max_chars=2000, classifiers=False)
    articles = [
        ArticleInput(SENTENCE, doc_id="short", source="in:1"),
        ArticleInput(SENTENCE * 100, doc_id="long", source="in:2"),
        ArticleInput("A lone \ud800 surrogate.", doc_id="bad", source="in:3"),
        ArticleInput(SENTENCE + "Añez spoke.", doc_id="after", source="in:4"),
        ArticleInput("Repeated.", doc_id="d", source="in:5", problem="duplicate id 'd' (first at in:0)"),
        ArticleInput("Repeated.", doc_id="e", source="in:6", problem="duplicate id 'e' (first at in:0)"),
    ]
    result = analyzer.analyze_corpus(articles, tmp_path / "run", quiet=True, check_language=False)
    documents = result.table("documents")
    assert sorted(documents["doc_id"]) == ["after", "short"]
    failures = {f["doc_id"]: f["reason"] for f in result.failures}
    assert failures["long"].startswith("too long: text has 4,800 characters, over the limit max_chars=2,000")
    assert failures["bad"].startswith("invalid text: text holds a lone surrogate U+D800 at character 7")
    by_reason = {"too long": 1, "invalid text": 1, "duplicate id": 2}  # not one count per id
    assert result.manifest["counts"]["failures_by_reason"] == by_reason
    assert result.manifest["config"]["max_chars"] == 2000


def test_cli_refuses_an_over_limit_file_with_one_line(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(SENTENCE * 10, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", "analyze", str(path), "--max-chars", "100"],
        capture_output=True,
        timeout=300,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and len(err.strip().splitlines()) == 1
    assert "AZ106" in err and "480 characters" in err and "max_chars=100" in err
