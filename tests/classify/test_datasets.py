from pathlib import Path

import pytest

from analyzer.classify.data.datasets import read_dataset
from analyzer.errors import InputError, ParameterError
from tests.conftest import SHARED

DATA = SHARED / "data"


def test_generic_csv_with_columns(tmp_path: Path):
    path = tmp_path / "d.csv"
    path.write_text("sentence,y,article\nA b c,biased,1\nD e f,non-biased,\n", encoding="utf-8")
    data = read_dataset("csv", path, text_col="sentence", label_col="y", group_col="article")
    assert list(data.frame.columns) == ["text", "label", "group"]
    assert data.frame["group"].tolist()[1].startswith("row-") and len(data.sha256) == 64


def test_wrong_column_lists_the_columns_found(tmp_path: Path):
    path = tmp_path / "d.csv"
    path.write_text("sentence,y\nA,b\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_dataset("csv", path, text_col="text", label_col="y")
    message = str(info.value)
    assert "'text'" in message and "columns found: sentence, y" in message and len(message.splitlines()) == 1


def test_unknown_dataset_name(tmp_path: Path):
    with pytest.raises(ParameterError, match="babe"):
        read_dataset("nope", tmp_path)


@pytest.mark.skipif(not (DATA / "babe").is_dir(), reason=f"BABE not found under {DATA}")
def test_babe_reader():
    data = read_dataset("babe", DATA / "babe")
    assert set(data.frame["label"]) == {"biased", "non-biased"}
    assert len(data) == 2920 and data.frame["group"].notna().all()
    assert any(data.frame["biased_words"].map(len) > 0)


@pytest.mark.skipif(not (DATA / "newsmtsc").is_dir(), reason=f"NewsMTSC not found under {DATA}")
def test_newsmtsc_reader_one_row_per_target():
    data = read_dataset("newsmtsc", DATA / "newsmtsc" / "train.jsonl")
    assert len(data) == 8739 and set(data.frame["label"]) == {"against", "neutral", "favor"}
    row = data.frame.iloc[0]
    assert row["text"][row["target_start"] : row["target_end"]] == row["target"]
    further = [m for mentions in data.frame["further_mentions"] for m in mentions]
    assert len(further) == 3141
    pairs = zip(data.frame["text"], data.frame["further_mentions"], strict=True)
    assert all(text[start:end] == mention for text, mentions in pairs for start, end, mention in mentions)


@pytest.mark.skipif(
    not (DATA / "semeval2016_stance_tweeteval").is_dir(), reason=f"SemEval not found under {DATA}"
)
def test_semeval_reader():
    data = read_dataset("semeval", DATA / "semeval2016_stance_tweeteval" / "val.csv")
    assert len(data) == 294 and set(data.frame["label"]) == {"against", "none", "favor"}
    both = read_dataset("semeval", DATA / "semeval2016_stance_tweeteval")
    assert len(both) == 2620 + 294 and both.name == "semeval-train+val"


@pytest.mark.skipif(not (DATA / "allsides_baly2020").is_dir(), reason=f"AllSides not found under {DATA}")
def test_allsides_valid_reader():
    data = read_dataset("allsides", DATA / "allsides_baly2020" / "articles_media_valid.jsonl.gz")
    assert len(data) == 2356 and set(data.frame["label"]) == {"left", "center", "right"}
    assert data.frame["text"].str.len().max() <= 6000 + 2 + 300  # title + ". " + at most 6,000 characters
    assert data.frame["group"].nunique() > 1


def test_generic_csv_without_group_column_and_too_few_rows_for_cv(tmp_path):
    from analyzer import train

    path = tmp_path / "tiny.csv"
    path.write_text('text,label\n"a b c",biased\n"d e f",non-biased\n"g h",biased\n"i j",non-biased\n')
    data = read_dataset("csv", path)
    assert data.frame["group"].tolist() == ["row-0", "row-1", "row-2", "row-3"]  # each row its own group
    with pytest.raises(ParameterError, match="rarest label"):
        train("sentence_bias", data, cv=5)
