"""Fuzzing with hypothesis: ``Analyzer.analyze`` on arbitrary Unicode, the corpus readers on
malformed CSV / JSONL / Parquet files.

Properties:

- ``analyze(text)`` returns a record whose every offset slices ``text`` exactly (entity mentions
  and framing hits: ``text[start:end] == span.text``; sentences: ordered, inside the text, each
  holding text), or raises a documented :class:`~analyzer.errors.AnalyzerError`: only
  :class:`~analyzer.errors.InvalidTextError` (``AZ105``), and only for a string with a lone
  surrogate (U+D800 to U+DFFF). Python ``str`` can hold one (``"\\ud800"``, JSON escapes,
  ``surrogateescape`` decoding) although decoding UTF-8 strictly never gives one; spaCy cannot
  tokenize it and the record could not be written as UTF-8, so it is refused rather than repaired
  (a repair would change the text the offsets index). Records have no separate quote spans:
  quotation shows as ``voice`` on hits and sentences, checked against the allowed values.
- ``read_corpus(path)`` yields records (a bad row or line as a record with ``problem`` set and a
  ``source`` naming the file) or raises a one-line ``AnalyzerError`` naming the file; never another
  exception, and no record it accepts for analysis holds a lone surrogate.
"""

from __future__ import annotations

import gzip
import json
import signal
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analyzer import ArticleInput, read_corpus
from analyzer.corpus.readers import count_records
from analyzer.errors import AnalyzerError, InvalidTextError
from analyzer.textio import lone_surrogate
from tests.conftest import shared_analyzer

VOICES = {"author", "quoted", "attributed"}
SPECIAL = [
    "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u200b", "\u200d", "\u200e", "\u200f", "\u202a",
    "\u202e", "\u202c", "\u2066", "\u2069", "\ufeff", "\ufffd", "\u2028", "\u2029", "\r\n", "\r", "\n\n",
    "\t", "\x0b", "\x0c", "\u00a0", "\u3000", "😀", "👩\u200d👩\u200d👧", "🇧🇴", "e\u0301", "\u0301",
    "\u0308\u0308\u0308", "ﷺ", "ﬀ", "İ", "ß", "Σ", "\U0010ffff", "“", "”", '"', "'", "‘", "’", "«", "»",
    "„", "「", "」", ".", "!?", "...", "—", "-", "(", ")", "Morales", "Evo Morales", "Áñez", "Añez", "OAS",
    "U.S.", "the United States", "coup", "regime", "illegitimate president", " said ", " declared ",
    "alleged fraud", "not a coup", "Mr.", "Ms.", "http://x.example/a?b=c", "@user", "#tag", "١٢٣",
    "مرحبا", "שלום", "中文", "\u0915\u094d\u0937",
]  # fmt: skip
LONG_WORD = st.builds(
    lambda c, n: c * n, st.sampled_from(["a", "Z", "é", "ж", "😀", "-", "."]), st.integers(1000, 5000)
)
PIECE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(SPECIAL),
    st.lists(st.sampled_from(SPECIAL), max_size=12).map("".join),
    LONG_WORD,
)
MAX_FUZZ_CHARS = 12_000  # long enough for two 5,000-letter words, short enough for ~60 examples a minute
TEXT = st.one_of(
    st.lists(PIECE, max_size=12).map(lambda pieces: "".join(pieces)[:MAX_FUZZ_CHARS]),
    st.text(alphabet=st.characters(categories=["P", "S"]), max_size=200),  # only punctuation/symbols
    st.text(alphabet=st.characters(categories=["Zs", "Zl", "Zp", "Cc"]), max_size=200),  # space, controls
)
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


@contextmanager
def time_limit(seconds: int):
    """Fail instead of hanging: SIGALRM interrupts the analysis after ``seconds``."""

    def expire(signum, frame):
        raise TimeoutError(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_record(text: str, record) -> None:
    """Every offset of ``record`` indexes ``text`` exactly and the record serialises."""
    for entity in record.entities:
        assert entity.count == len(entity.mentions) > 0
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text
            assert 0 <= mention.sentence < max(record.n_sentences, 1)
    ids = {e.id for e in record.entities}
    for hit in record.framing:
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.text
        assert hit.voice in VOICES and hit.speaker in ids | {None} and hit.target in ids | {None}
        assert 0 <= hit.sentence < max(record.n_sentences, 1)
    assert record.n_sentences == len(record.sentences)
    end = 0
    for sentence in record.sentences:
        assert end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end].strip() and sentence.voice in VOICES
        end = sentence.end
    assert json.loads(record.to_json()) == record.to_dict()
    record.to_json().encode("utf-8")  # valid UTF-8 all the way through


def analyze_checked(text: str) -> None:
    """The property: a valid record, or InvalidTextError for a string with a lone surrogate."""
    with time_limit(60):
        try:
            record = shared_analyzer().analyze(text, outlet="fuzz")
        except InvalidTextError as exc:
            assert lone_surrogate(text) >= 0 and exc.code == "AZ105" and "\n" not in str(exc)
            assert f"character {lone_surrogate(text)}" in str(exc)
            return
    assert lone_surrogate(text) < 0, "a lone surrogate was analyzed"
    check_record(text, record)


@pytest.mark.slow
# No hypothesis deadline for the analyzer: on a shared two-core machine one call can take ten times
# another, and a deadline would report that as a flaky failure. A hang is caught by time_limit.
@pytest.mark.model
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(TEXT)
@example("\x00")
@example("Morales " + "y" * 5000 + " declared a “coup”.")
@example("\u200f\u202eMorales\u202c said it was a coup.\u2069")
@example("😀" * 3000)
@example("e\u0301" * 2000)
@example("!!!...???" * 50)
@example(" \t\n\r\x0b\x0c\u2028\u2029\u00a0\u3000" * 20)
@example("\ufeffÁñez, the “illegitimate president”, and the OAS.\r\n\r\n" * 3)
def test_analyze_arbitrary_unicode(text):
    analyze_checked(text)


@pytest.mark.model
@settings(max_examples=25, deadline=None)
@given(TEXT, SURROGATE, st.data())
@example("coup Morales", "\ud800", None)
@example("", "\udfff", None)
def test_lone_surrogates_are_refused_with_a_coded_error(text, surrogate, data):
    """Regression: a lone surrogate used to reach spaCy's tokenizer and raise UnicodeEncodeError."""
    at = data.draw(st.integers(0, len(text))) if data is not None else len(text) // 2
    analyze_checked(text[:at] + surrogate + text[at:])


@pytest.mark.model
@pytest.mark.parametrize("name", ["outlet", "title", "doc_id", "date"])
def test_lone_surrogate_in_metadata_is_refused(name):
    with pytest.raises(InvalidTextError, match=name):
        shared_analyzer().analyze("Morales spoke.", **{name: "x\udce9"})
    with pytest.raises(InvalidTextError, match="targets"):
        shared_analyzer().analyze("Morales spoke.", targets=["Morales", "\ud83d"])


# ---------------------------------------------------------------------------- corpus readers


def read_checked(path: Path) -> list[ArticleInput] | None:
    """The readers' property on ``path``; the records, or None when it raised a coded error."""
    count = count_records(path)
    assert count is None or isinstance(count, int)
    try:
        records = list(read_corpus(path))
    except AnalyzerError as exc:
        message = str(exc)
        assert "\n" not in message and path.name in message, message
        return None
    for record in records:
        assert isinstance(record, ArticleInput) and isinstance(record.text, str)
        assert record.source and record.source.startswith(path.name)
        for value in (record.text, record.doc_id, record.outlet, record.title, record.date, record.url):
            assert value is None or isinstance(value, str)
        if record.problem is None:
            assert record.text.strip()
            for value in (record.text, record.doc_id, record.outlet, record.title, record.date, record.url):
                assert value is None or lone_surrogate(value) < 0
            json.dumps(record.meta, ensure_ascii=False).encode("utf-8")
        else:
            assert "\n" not in record.problem
    return records


def write(folder: Path, name: str, data: bytes, gz: bool, cut: float | None) -> Path:
    """``data`` written to ``folder/name`` (gzipped with ``.gz``), cut to ``cut`` of its bytes."""
    if gz:
        data = gzip.compress(data)
        name += ".gz"
    if cut is not None:
        data = data[: int(len(data) * cut)]
    path = folder / name
    path.write_bytes(data)
    return path


CSV_TOKENS = [
    b"text", b"id", b"outlet", b"date", b"content", b",", b",", b'"', b'""', b"\n", b"\n", b"\r\n", b"\r",
    b"\t", b"\xef\xbb\xbf", b"\xe9", b"\xff\xfe", b"\x00", b"coup", "Áñez".encode(), b"1", b"1",
    b"2019-11-10", b"now", b"-1", b"[1]", b"nan", b" ", b"\xf0\x9f\x98\x80", b"\\", b"'", b"#",
]  # fmt: skip
HEADERS = [b"", b"text\n", b"id,text,outlet\n", b"\xef\xbb\xbfid,text,date\n", b"text,text\n", b"body,x\n"]
CUTS = st.one_of(st.none(), st.floats(0.0, 1.0))
FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(
    st.sampled_from(HEADERS),
    st.lists(st.sampled_from(CSV_TOKENS), max_size=60).map(b"".join),
    st.sampled_from(["csv", "tsv"]),
    st.booleans(),
    CUTS,
)
@example(b"text,outlet\n", b'"unclosed quote,X\nok,Y\n', "csv", False, None)
@example(b"text,text\n", b"a,b\n", "csv", False, None)  # duplicate column: used to take the first silently
@example(b"text,outlet\n", b"caf\xe9,X\n", "csv", False, None)  # latin-1 byte: error names the line
@example(b"text\n", b"a\n" * 400, "csv", True, 0.5)  # truncated gzip: used to raise EOFError
@example(b"", b"", "csv", True, None)
@example(b"", b"\n\n\n", "tsv", False, None)
def test_csv_fuzz(header, body, kind, gz, cut):
    with tempfile.TemporaryDirectory() as folder:
        read_checked(write(Path(folder), f"corpus.{kind}", header + body, gz, cut))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
JSON_ROW = st.dictionaries(
    st.sampled_from(["text", "id", "outlet", "date", "title", "url", "content", "extra"]),
    JSON_VALUE | st.text(max_size=40) | st.sampled_from(SPECIAL),
    max_size=6,
)
JSON_LINE = st.one_of(
    JSON_ROW.map(lambda row: json.dumps(row).encode()),
    JSON_ROW.map(lambda row: json.dumps(row, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    JSON_VALUE.map(lambda value: json.dumps(value).encode()),
    st.lists(
        st.sampled_from([b"{", b"}", b"[", b'"text"', b":", b'"a"', b",", b"\xe9", b"NaN", b"\\ud800"])
    ).map(b"".join),
    st.sampled_from(
        [
            b'{"text": "a \\ud800 b"}',  # JSON escape of a lone surrogate
            b'{"text": "caf\xe9"}',  # latin-1 byte in a UTF-8 file
            b"[" * 100_000,  # used to raise RecursionError
            b'{"text": "x", "id": ' + b"9" * 5000 + b"}",  # used to raise ValueError (int digits)
            b'{"text": 5}',
            b'{"text": ["a", "b"]}',
            b'{"text": Infinity}',
            b'{"text": "ok", "id": [1]}',
            b'{"text": "ok", "date": -1}',  # used to raise NotImplementedError in iso_date
            b'{"text": "ok", "date": "now"}',
            b"\xef\xbb\xbf{}",
        ]
    ),
)


@FUZZ
@given(st.lists(JSON_LINE, max_size=8), st.booleans(), CUTS)
@example([b'\xef\xbb\xbf{"text": "a"}', b'{"text": "a", "id": 1}', b'{"text": "b", "id": "1"}'], False, None)
@example([b'{"text": "caf\xe9"}'], False, None)
@example([b"[" * 100_000], False, None)
@example([b'{"text": "x", "id": ' + b"9" * 5000 + b"}"], False, None)
@example([b'{"text": "ok", "date": -1}'], False, None)
@example([b'{"text": "a \\ud800 b"}'], False, None)
@example([b'{"text": "a"}'], True, 0.5)
def test_jsonl_fuzz(lines, gz, cut):
    with tempfile.TemporaryDirectory() as folder:
        read_checked(write(Path(folder), "corpus.jsonl", b"\n".join(lines) + b"\n", gz, cut))


COLUMNS = {
    "strings": lambda n: pa.array([f"Article {i} on the coup." for i in range(n)]),
    "empty strings": lambda n: pa.array([" "] * n),
    "nulls": lambda n: pa.array([None] * n, pa.string()),
    "ints": lambda n: pa.array(range(n)),
    "floats": lambda n: pa.array([float("nan")] * n),
    "lists": lambda n: pa.array([["a", "b"]] * n),
    "structs": lambda n: pa.array([{"x": 1}] * n),
    "binary": lambda n: pa.array([b"\xff\xfe"] * n, pa.binary()),
    "dates": lambda n: pa.array([0] * n, pa.timestamp("s")),
    "far dates": lambda n: pa.array([10**17] * n, pa.timestamp("ms")),  # used to raise OverflowError
    "same id": lambda n: pa.array(["x"] * n),
}


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["text", "id", "outlet", "date", "title", "content", "x"]),
            st.sampled_from(list(COLUMNS)),
        ),
        min_size=1,
        max_size=5,
    ),
    st.integers(0, 30),
    CUTS,
)
@example([("text", "strings"), ("text", "ints")], 2, None)  # duplicate column: used to keep the last silently
@example([("text", "strings"), ("date", "far dates")], 2, None)
@example([("text", "strings"), ("id", "same id")], 3, None)
@example([("text", "lists")], 2, None)
@example([("text", "strings")], 30, 0.6)
def test_parquet_fuzz(columns, rows, cut):
    table = pa.Table.from_arrays([COLUMNS[kind](rows) for _, kind in columns], names=[n for n, _ in columns])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.parquet"
        pq.write_table(table, path, row_group_size=7)
        if cut is not None:
            data = path.read_bytes()
            path.write_bytes(data[: int(len(data) * cut)])
        read_checked(path)
