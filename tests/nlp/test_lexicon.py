from pathlib import Path

import pytest

from analyzer.errors import LexiconError
from analyzer.lexicons import CATEGORIES, check_lexicon, default_lexicon_path, load_lexicon

HEADER = "term\tcategory\tpolarity\tnote\n"


def test_shipped_lexicon_is_valid_and_large():
    path = default_lexicon_path()
    assert check_lexicon(path) == []
    lexicon = load_lexicon(path)
    counts = lexicon.categories()
    assert len(lexicon.entries) >= 300
    assert len(counts) >= 8 and set(counts) <= set(CATEGORIES)
    assert lexicon.label == "framing@1.0.0"
    terms = {e.term for e in lexicon.entries}
    assert {"coup", "regime", "illegitimate", "interim", "so-called", "alleged"} <= terms


def test_check_reports_line_numbers(tmp_path: Path):
    bad = tmp_path / "bad.tsv"
    bad.write_text(
        "# name: mine\n"
        + HEADER
        + "coup\tdelegitimizing\t-1\tok\n"
        + "coup\tdelegitimizing\t-1\tdup\n"
        + "foo\tnot_a_category\t-1\tx\n"
        + "bar\thedge\t5\tx\n"
        + "baz\thedge\t0\n"
        + "qux\thedge\t0\t\n",
        encoding="utf-8",
    )
    problems = check_lexicon(bad)
    lines = [line for line, _ in problems]
    assert lines == [4, 5, 6, 7, 8]
    assert "duplicate" in problems[0][1] and "unknown category" in problems[1][1]
    with pytest.raises(LexiconError) as info:
        load_lexicon(bad)
    assert f"{bad}:4:" in str(info.value)


def test_bad_header_and_encoding(tmp_path: Path):
    no_header = tmp_path / "h.tsv"
    no_header.write_text("coup\tdelegitimizing\t-1\tnote\n", encoding="utf-8")
    assert check_lexicon(no_header)[0][0] == 1
    latin = tmp_path / "l.tsv"
    latin.write_bytes((HEADER + "caf\xe9\thedge\t0\tx\n").encode("latin-1"))
    assert "UTF-8" in check_lexicon(latin)[0][1]
