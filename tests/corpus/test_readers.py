"""Corpus readers on real files of every format: fields, dates, ids, and problems kept, not dropped."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from analyzer import read_corpus
from analyzer.corpus.normalize import ColumnMap, iso_date
from analyzer.corpus.readers import count_records
from analyzer.errors import InputError, ParameterError
from analyzer.records import content_id

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
        (20191110, "2019-11-10"),
        ("now", None),  # pandas reads it as the time of reading
        ("today", None),
        (-1, None),  # year -1: used to raise NotImplementedError
        ([2019], None),
        (True, None),
    ],
)
def test_iso_dates(value, expected):
    assert iso_date(value) == expected


# ------------------------------------------------ malformed files (regressions found by tests/test_fuzz.py)


def test_duplicate_csv_columns_are_an_error_naming_the_header(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("text,outlet,text\na,X,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dup\.csv:1: duplicate column names: text"):
        list(read_corpus(path))


def test_csv_errors_name_the_line_or_row(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("text,outlet\nok,X\na,b,c\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"ragged\.csv: cannot be read as csv at line 3: expected 2 fields, saw 3"
    ):
        list(read_corpus(ragged))
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('text,outlet\nok,X\nfine,Y\n"never closed,Z\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"at row 3: a quoted field opened there is never closed"):
        list(read_corpus(unclosed))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.csv: empty file"):
        list(read_corpus(empty))


def test_latin1_bytes_in_utf8_csv_name_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"text,outlet\n" + "Áñez,X\n".encode() * 3 + b"caf\xe9,Y\n")
    with pytest.raises(InputError, match=r"mixed\.csv:line 5: byte 0xE9 at column 4 is not valid utf-8"):
        list(read_corpus(path))
    assert [r.text for r in read_corpus(path, encoding="latin-1")][-1] == "café"


def test_jsonl_bad_lines_are_problems_and_the_rest_is_read(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        '\ufeff{"text": "BOM first line", "id": "a"}'.encode(),
        b'{"text": "caf\xe9"}',
        b"[" * 100_000,
        b'{"text": "x", "id": ' + b"9" * 5000 + b"}",
        b'{"text": 5}',
        b'{"text": "ok", "id": [1]}',
        b'{"text": "a \\ud800 b"}',
        b'{"text": "ok", "date": -1, "id": "b"}',
        b'{"text": "ok", "date": "now", "id": "c"}',
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    records = list(read_corpus(path))
    problems = [r.problem for r in records]
    assert problems[0] is None and records[0].doc_id == "a"
    assert problems[1] == "unreadable: byte 0xE9 at column 14 is not valid utf-8; pass --encoding"
    assert problems[2].startswith("unreadable: not JSON (maximum recursion depth")
    assert problems[3].startswith("unreadable: not JSON (Exceeds the limit")
    assert problems[4] == "unreadable: text is a int, not a string"
    assert problems[5] == "unreadable: id is a list, not a string or number"
    assert (
        problems[6] == "unreadable: column 'text': lone surrogate U+D800 at character 2 (not valid Unicode)"
    )
    assert problems[7:] == [None, None] and records[7].date is None and records[8].date is None
    assert records[8].meta == {"date_unparsed": "now"}


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    lines = "".join(
        json.dumps({"id": str(i), "text": f"Article {i} " + "x" * (i % 97)}) + "\n" for i in range(3000)
    )
    data = gzip.compress(lines.encode())
    path.write_bytes(data[: len(data) // 2])
    assert count_records(path) is None
    records = list(read_corpus(path))
    assert all(r.problem is None for r in records[:-1]) and len(records) > 100
    assert records[-1].problem.startswith(f"unreadable: the file is damaged after line {len(records) - 1}")
    assert records[-1].source == f"cut.jsonl.gz:{len(records)}"
    not_gzip = tmp_path / "plain.jsonl.gz"
    not_gzip.write_text('{"text": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"plain\.jsonl\.gz:1: cannot be read \(Not a gzipped file"):
        list(read_corpus(not_gzip))
    csv_gz = tmp_path / "cut.csv.gz"
    csv_gz.write_bytes(gzip.compress(b"text\n" + b"a\n" * 5000)[:40])
    with pytest.raises(InputError, match=r"cut\.csv\.gz: cannot be read as csv at row 1 or later"):
        list(read_corpus(csv_gz))


def test_parquet_bad_values_cost_one_row(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "odd.parquet"
    far = pa.array([0, 10**17, 0], pa.timestamp("ms"))  # year ~3 million: Python has no such datetime
    pq.write_table(pa.table({"text": ["a", "b", "c"], "date": far}), path)
    records = list(read_corpus(path))
    assert [r.problem is None for r in records] == [True, False, True]
    assert records[1].problem.startswith("unreadable: a value Python cannot represent")
    dup = tmp_path / "dup.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"])], names=["text", "text"]), dup)
    with pytest.raises(InputError, match=r"dup\.parquet: duplicate column names: text"):
        list(read_corpus(dup))
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    assert count_records(broken) is None
    with pytest.raises(InputError, match=r"broken\.parquet: not a readable Parquet file"):
        list(read_corpus(broken))


def test_unknown_encoding_is_a_parameter_error(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "a"}\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="encoding"):
        read_corpus(path, encoding="no-such-codec")


def test_broken_sidecar_names_its_line(tmp_path):
    (tmp_path / "a.txt").write_text("An article.", encoding="utf-8")
    sidecar = tmp_path / "metadata.csv"
    sidecar.write_bytes(b'file,outlet\n"a.txt,X\n')  # used to become a file name "a.txt,X\n" silently
    with pytest.raises(InputError, match=r"metadata\.csv:2: cannot be read as CSV"):
        list(read_corpus(tmp_path))
    sidecar.write_bytes(b"file,outlet\na.txt,caf\xe9\n")  # used to report line 1
    with pytest.raises(InputError, match=r"metadata\.csv:line 2: byte 0xE9 at column 10 is not valid utf-8"):
        list(read_corpus(tmp_path))
