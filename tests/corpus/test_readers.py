"""Corpus readers on real files of every format: fields, dates, ids, and problems kept, not dropped."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from analyzer import read_corpus
from analyzer.corpus.normalize import ColumnMap, iso_date
from analyzer.engine import content_id
from analyzer.errors import InputError, ParameterError

ROWS = [
    {
        "id": "a1",
        "content": "The coup was condemned.",
        "source": "Civic Wire",
        "published": "2019-11-11",
        "headline": "One",
    },
    {
        "id": "a2",
        "content": "Officials met on Tuesday.",
        "source": "Red Lantern",
        "published": "11/12/2019 14:30",
        "headline": "Two",
    },
    {"id": "a1", "content": "A repeated id.", "source": "Civic Wire", "published": "", "headline": "Three"},
    {"id": "a4", "content": "", "source": "Civic Wire", "published": "not a date", "headline": "Four"},
]


def test_csv_maps_common_column_names_and_flags_problems(tmp_path):
    path = tmp_path / "corpus.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    records = list(read_corpus(path))
    assert [r.doc_id for r in records] == ["a1", "a2", "a1", "a4"]
    first, second, repeated, empty = records
    assert (first.text, first.outlet, first.title, first.date) == (
        "The coup was condemned.",
        "Civic Wire",
        "One",
        "2019-11-11",
    )
    assert second.date == "2019-11-12T14:30:00" and second.source == "corpus.csv:row 2"
    assert first.problem is None and second.problem is None
    assert repeated.problem == "duplicate id 'a1' (first at corpus.csv:row 1)"
    assert empty.problem == "no text" and empty.meta == {"date_unparsed": "not a date"}


def test_tsv_with_explicit_columns_and_generated_ids(tmp_path):
    path = tmp_path / "corpus.tsv"
    pd.DataFrame({"body text": ["First article.", "Second article."], "paper": ["X", "Y"]}).to_csv(
        path, sep="\t", index=False
    )
    records = list(read_corpus(path, columns=ColumnMap(text="body text", outlet="paper")))
    assert [r.outlet for r in records] == ["X", "Y"]
    assert records[0].doc_id == content_id("First article.") and len(records[0].doc_id) == 16


def test_missing_column_lists_the_columns_found(tmp_path):
    path = tmp_path / "corpus.csv"
    pd.DataFrame({"words": ["x"], "when": ["2020"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"corpus.csv: no text column .* columns found: words, when"):
        list(read_corpus(path))
    with pytest.raises(
        InputError, match=r"column 'body' \(--text-col\) not found; columns found: words, when"
    ):
        list(read_corpus(path, columns=ColumnMap(text="body")))


def test_malformed_csv_names_the_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('text,outlet\n"unclosed quote,X\nok,Y\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: cannot be read as csv"):
        list(read_corpus(path))


def test_jsonl_gz_keeps_unreadable_lines_as_problems(tmp_path):
    path = tmp_path / "corpus.jsonl.gz"
    lines = [json.dumps(ROWS[0]), "{not json", "[1, 2]", "", json.dumps(ROWS[1])]
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    records = list(read_corpus(path))
    assert [r.source for r in records] == [
        "corpus.jsonl.gz:1",
        "corpus.jsonl.gz:2",
        "corpus.jsonl.gz:3",
        "corpus.jsonl.gz:5",
    ]
    assert records[1].problem.startswith("unreadable: not JSON") and records[2].problem.startswith(
        "unreadable: a JSON list"
    )
    assert records[0].problem is None and records[3].title == "Two"


def test_parquet_streams_rows(tmp_path):
    path = tmp_path / "corpus.parquet"
    frame = pd.DataFrame(
        {
            "text": [f"Article number {i}." for i in range(25)],
            "outlet": ["X"] * 25,
            "date": pd.Timestamp("2020-01-02"),
        }
    )
    frame.to_parquet(path)
    records = list(read_corpus(path))
    assert len(records) == 25 and records[3].text == "Article number 3." and records[3].date == "2020-01-02"
    assert len(list(read_corpus(path, limit=5))) == 5


def test_html_folder_extracts_main_text_title_and_date(tmp_path):
    page = (
        "<html><head><title>Port strike ends | Civic Wire</title>"
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>'
        "<body><nav>Home News Sport</nav><article><h1>Port strike ends</h1>"
        "<p>The union said the strike was over after a deal with the port authority was signed on Monday night.</p>"
        "<p>Prime Minister Tomás Ibarra called it a victory for common sense and for the workers who waited.</p>"
        "</article><footer>Copyright Civic Wire</footer></body></html>"
    )
    (tmp_path / "strike.html").write_text(page, encoding="utf-8")
    (tmp_path / "empty.htm").write_text("<html><body></body></html>", encoding="utf-8")
    records = {r.doc_id: r for r in read_corpus(tmp_path)}
    strike = records["strike"]
    assert strike.title == "Port strike ends" and strike.date == "2024-03-05"
    assert (
        strike.text.startswith("The union said")
        and "Home News" not in strike.text
        and "Copyright" not in strike.text
    )
    assert records["empty"].problem == "no text"


def test_newsplease_folder(tmp_path):
    article = {
        "maintext": "The regime fell.",
        "title": "Fall",
        "date_publish": "2019-11-10 18:00:00",
        "source_domain": "example.org",
        "url": "https://example.org/a",
        "language": "en",
    }
    (tmp_path / "a.json").write_text(json.dumps(article), encoding="utf-8")
    (tmp_path / "b.json").write_text("{broken", encoding="utf-8")
    records = list(read_corpus(tmp_path))
    assert (
        records[0].text == "The regime fell."
        and records[0].outlet == "example.org"
        and records[0].doc_id == "a"
    )
    assert records[0].date == "2019-11-10T18:00:00" and records[0].url == "https://example.org/a"
    assert records[0].meta["language"] == "en" and records[1].problem.startswith("unreadable")


def test_text_folder_keeps_unreadable_files(tmp_path):
    (tmp_path / "good.txt").write_text("A fine article.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 latin-1")
    records = {r.doc_id: r for r in read_corpus(tmp_path)}
    assert records["good"].problem is None
    assert records["unreadable-bad.txt"].problem.startswith("unreadable: [AZ101]")


def test_unknown_suffix_and_format():
    with pytest.raises(ParameterError, match="format"):
        list(read_corpus(__file__))
    with pytest.raises(ParameterError, match="format"):
        list(read_corpus(__file__, format="xml"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-11", "2019-11-11"),
        ("2019-11-11T10:00:00Z", "2019-11-11T10:00:00+00:00"),
        ("", None),
        ("soon", None),
        (None, None),
    ],
)
def test_iso_dates(value, expected):
    assert iso_date(value) == expected
