"""The framing evaluation's definitions, on hand-made records (no pipeline), and on basil_dev."""

from __future__ import annotations

import pytest

from analyzer.corpus.basil import BasilArticle, BasilSpan
from analyzer.evaluation.framing import (
    bootstrap_intervals,
    count_words,
    figures_of,
    is_named_target,
    matched_hit,
    names_match,
    score_article,
)
from analyzer.nlp.aliases import load_alias_table
from analyzer.records import ArticleAnalysis, Entity, FramingHit
from tests.conftest import SHARED

BASIL_DEV = SHARED / "data" / "basil_dev" / "basil_dev.jsonl"
TEXT = "Trump slammed the “disgraceful” bill. Clinton’s allies rallied."


def _span(word, **fields):
    start = TEXT.index(word)
    values = {"bias": "lex", "polarity": "neg", "target": "Donald_Trump", "aim": "dir", "quote": False}
    values.update(fields)
    return BasilSpan(start, start + len(word), word, 0, speaker="", **values)


def _hit(word, voice="author", target=None):
    start = TEXT.index(word)
    return FramingHit(word, word, start, start + len(word), 0, "c", -1, voice, None, target, False, False)


def _record(hits, entities):
    return ArticleAnalysis("d", None, None, None, "en", 12, 2, entities=entities, framing=hits)


def _entity(eid, name, aliases, label="PERSON"):
    return Entity(eid, name, label, aliases, 1, [])


def test_count_words_keeps_inner_hyphens_and_apostrophes():
    assert count_words("The duly-elected Morales’ party, Bolivia's “coup” — 2019.") == 7


@pytest.mark.parametrize(
    ("target", "named"),
    [
        ("Donald_Trump", True),  # last word "Trump" is in the text
        ("Clinton", True),
        ("Republican_lawmakers", False),  # not a proper name
        ("Obama's_administration", False),
        ("Bernie_Sanders", False),  # not written in the article
    ],
)
def test_named_target(target, named):
    assert is_named_target(target, TEXT) is named


def test_names_match_keys_surnames_and_aliases():
    aliases = load_alias_table()
    trump = _entity("E1", "Trump", ["Trump"])
    assert names_match("Donald_Trump", trump, aliases)
    assert names_match("Trump", _entity("E1", "Donald Trump", ["Donald Trump", "Mr. Trump"]), aliases)
    assert not names_match("Donald_Trump", _entity("E2", "Melania Trump", ["Melania Trump"]), aliases)
    usa = _entity("E3", "United States", ["U.S."], "GPE")
    assert names_match("United_States", usa, aliases) and names_match("U.S.", usa, aliases)
    assert not names_match("Hillary_Clinton", trump, aliases)


def test_matched_hit_is_the_largest_overlap():
    span = _span("disgraceful")
    wide = FramingHit(
        "x", "x", span.start - 2, span.start + 3, 0, "c", -1, "author", None, None, False, False
    )
    inner = _hit("disgraceful")
    assert matched_hit(span, [wide, inner]) is inner
    assert matched_hit(span, []) is None


def test_score_article_counts_each_figure():
    article = BasilArticle(
        "a",
        "t",
        "fox",
        TEXT,
        spans=[
            _span("disgraceful", quote=True),  # found, quoted agrees, target right
            _span("slammed"),  # found, voice wrong, target given but wrong
            _span("rallied", target="Hillary_Clinton"),  # not found
            _span("bill", bias="inf"),  # informational: not counted
        ],
    )
    entities = [_entity("E1", "Trump", ["Trump"]), _entity("E2", "Clinton", ["Clinton"])]
    hits = [
        _hit("disgraceful", voice="quoted", target="E1"),
        _hit("slammed", voice="quoted", target="E2"),
        _hit("allies"),
    ]
    counts, outcomes = score_article(article, _record(hits, entities), load_alias_table())
    assert counts["spans"] == 3 and counts["found"] == 2 and counts["hits"] == 3
    assert counts["quote_agree"] == 1
    assert (counts["target_found"], counts["target_given"], counts["target_right"]) == (2, 2, 1)
    assert counts["words"] == 8
    figures = figures_of(counts)
    assert figures["recall"] == pytest.approx(2 / 3)
    assert figures["hits_per_1k_words"] == pytest.approx(3000 / 8)
    assert [o.target_right for o in outcomes] == [True, False, False]


def test_bootstrap_intervals_cover_the_figure_and_handle_empty_rows():
    rows = [
        {"articles": 3, "words": 1000, "hits": 20, "spans": 5, "found": f, "quote_agree": f,
         "target_spans": 0, "target_found": 0, "target_given": 0, "target_right": 0}
        for f in (1, 2, 3, 4)
    ]  # fmt: skip
    intervals = bootstrap_intervals(rows, boot=200, seed=1)
    low, high = intervals["recall"]
    assert 0.2 <= low <= 0.5 <= high <= 0.8
    assert intervals["hits_per_1k_words"] == (20.0, 20.0)
    assert intervals["target_agreement"] is None
    assert bootstrap_intervals([], boot=10)["recall"] is None


@pytest.mark.model
def test_cli_prints_the_figures(tmp_path):
    import json
    import subprocess
    import sys

    row = {
        "article_id": "e1_1",
        "triplet-uuid": "e1",
        "source": "nyt",
        "body-paragraphs": [["Senator Smith called the plan a disaster.", "Critics said it was fine."]],
        "annotations": {
            "phrase-level-annotations": [
                {"id": "p0", "start": 32, "end": 40, "txt": "disaster", "bias": "lex", "polarity": "neg",
                 "target": "plan", "aim": "ind_anti", "quote": "no", "speaker": ""},
            ]
        },
    }  # fmt: skip
    data = tmp_path / "basil.jsonl"
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    args = ["evaluate", "--task", "framing", "--dataset", "basil", "--data", str(data), "--boot", "50"]
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", *args, "--details"], capture_output=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out = json.loads(proc.stdout)
    assert set(out["figures"]) == {
        "recall", "hits_per_1k_words", "quote_agreement", "target_agreement", "target_given",
    }  # fmt: skip
    assert out["counts"]["spans"] == 1 and out["counts"]["words"] == 12
    assert out["figures"]["recall"] == 1.0 and out["spans"][0]["hit"] == "disaster"
    wrong = subprocess.run(
        [sys.executable, "-m", "analyzer", *args[:4], "babe", *args[5:]], capture_output=True, timeout=300
    )
    assert wrong.returncode == 2 and b"AZ104" in wrong.stderr
