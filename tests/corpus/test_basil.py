"""The BASIL reader: text built from paragraphs of sentences, spans placed at exact offsets."""

from __future__ import annotations

import json

import pytest

from analyzer.corpus.basil import build_text, lexical_sentence_labels, parse_article, read_basil
from analyzer.errors import InputError, InputNotFoundError
from tests.conftest import SHARED

BASIL_DEV = SHARED / "data" / "basil_dev" / "basil_dev.jsonl"


def _row(**changes):
    row = {
        "article_id": "t1_2",
        "triplet-uuid": "t1",
        "source": "FOX",
        "title": "Senator caves",
        "body-paragraphs": [
            ["Smith slammed the plan.", "He called it “a disaster.”"],
            ["Smith slammed it again."],
        ],
        "annotations": {
            "phrase-level-annotations": [
                {"id": "p2", "start": 6, "end": 13, "txt": "slammed", "bias": "lex", "polarity": "neg",
                 "target": "John_Smith", "aim": "dir", "quote": "no", "speaker": ""},
                {"id": "p9", "start": 16, "end": 24, "txt": "disaster", "bias": "Lex", "polarity": "neg",
                 "target": "plan", "aim": "ind_anti", "quote": "yes", "speaker": "John_Smith"},
                {"id": "title", "start": 8, "end": 13, "txt": "caves", "bias": "lex", "polarity": "neg",
                 "target": "Senator", "aim": "dir", "quote": "no", "speaker": ""},
            ],
            "article-level-annotations": {
                "author_feeling_John_Smith": "neg",
                "author_feeling_main_event": "neu",
                "relative_stance": "Right",
                "you_feeling_John_Smith": "pos",
            },
        },
    }  # fmt: skip
    row.update(changes)
    return row


def test_build_text_offsets():
    text, sentences, paragraphs = build_text([["A b.", "C d."], ["E."]])
    assert text == "A b. C d.\n\nE."
    assert [text[s:e] for s, e in sentences] == ["A b.", "C d.", "E."]
    assert [text[s:e] for s, e in paragraphs] == ["A b. C d.", "E."]


def test_spans_placed_by_id_then_first_match():
    article = parse_article(_row())
    assert article.source == "fox" and article.triplet == "t1"
    disaster, slammed = article.spans  # in text order
    # "p2" names the second paragraph's sentence, not the first "slammed" of the text.
    assert slammed.sentence == 2 and article.text[slammed.start : slammed.end] == "slammed"
    assert slammed.start > article.text.index("slammed")
    # "p9" is out of range: the first sentence holding the text at those offsets is used.
    assert disaster.sentence == 1 and article.text[disaster.start : disaster.end] == "disaster"
    assert disaster.quote and disaster.bias == "lex" and not disaster.direct
    assert [raw["txt"] for raw in article.unplaced] == ["caves"]
    assert len(article.lexical_spans) == 2


def test_article_level_annotations_kept():
    article = parse_article(_row())
    assert article.author_feelings == {"John_Smith": "neg", "main_event": "neu"}
    assert article.relative_stance == "right"


@pytest.mark.parametrize(
    "changes",
    [
        {"body-paragraphs": "text"},
        {"body-paragraphs": [["ok"], "not a list"]},
        {"annotations": []},
        {"annotations": {"phrase-level-annotations": "x"}},
    ],
)
def test_malformed_rows_raise_input_error(changes):
    with pytest.raises(InputError, match="where"):
        parse_article(_row(**changes), "where")


def test_read_file_errors(tmp_path):
    with pytest.raises(InputNotFoundError):
        list(read_basil(tmp_path / "none.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(_row()) + "\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        list(read_basil(bad))


def test_reads_a_folder_with_one_file(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps(_row()) + "\n\n", encoding="utf-8")
    assert [a.article_id for a in read_basil(tmp_path)] == ["t1_2"]


@pytest.mark.skipif(not BASIL_DEV.is_file(), reason=f"BASIL dev data not found at {BASIL_DEV}")
def test_basil_dev_every_body_span_placed_exactly():
    articles = list(read_basil(BASIL_DEV))
    assert len(articles) == 135 and len({a.triplet for a in articles}) == 45
    assert {a.source for a in articles} == {"fox", "nyt", "hpo"}
    spans = [s for a in articles for s in a.spans]
    assert all(a.text[s.start : s.end] == s.txt for a in articles for s in a.spans)
    assert sum(s.lexical for s in spans) == 214
    assert sum(len(a.unplaced) for a in articles) == 1


def test_lexical_sentence_labels_are_relative_to_the_sentence():
    labels = lexical_sentence_labels([parse_article(_row())])
    assert [(row.text, row.spans) for row in labels if row.biased] == [
        ("He called it “a disaster.”", ((16, 24),)),
        ("Smith slammed it again.", ((6, 13),)),
    ]
    assert len(labels) == 3 and {row.group for row in labels} == {"t1"}
