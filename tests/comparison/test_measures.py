"""The comparison tables on a four-article corpus whose every number is worked out by hand."""

import json
import math

import pandas as pd
import pytest

from analyzer import compare
from analyzer.comparison.data import load_tables
from analyzer.errors import ParameterError


def _doc(doc_id, outlet, tokens, date, dup, bias, leaning, n_framing, meta=None):
    return {"doc_id": doc_id, "outlet": outlet, "n_tokens": tokens, "date": date, "dup_group": dup, "bias": bias,
            "leaning": leaning, "n_framing": n_framing, "meta": json.dumps(meta) if meta else None}  # fmt: skip


def _hit(doc_id, lemma, category, voice, target):
    return {"doc_id": doc_id, "text": lemma, "lemma": lemma, "category": category, "voice": voice,
            "target": target}  # fmt: skip


@pytest.fixture()
def tables():
    return {
        "documents": pd.DataFrame(
            [
                _doc("a1", "A", 100, "2020-01-05", "g1", 0.6, "left", 2, {"country": "X"}),
                _doc("a2", "A", 100, "2020-02-10", None, 0.2, "left", 0),
                _doc("b1", "B", 200, "2020-01-20", "g1", 0.4, "right", 1),
                _doc("b2", "B", 100, "2020-02-01", None, 0.8, "center", 1),
            ]
        ),
        "framing": pd.DataFrame(
            [
                _hit("a1", "coup", "delegitimizing", "author", "E1"),
                _hit("a1", "coup", "delegitimizing", "author", None),
                _hit("b1", "regime", "delegitimizing", "quoted", "E1"),
                _hit("b2", "coup", "delegitimizing", "author", "E2"),
            ]
        ),
        "entities": pd.DataFrame(
            {
                "doc_id": ["a1", "b1", "b2"],
                "entity_id": ["E1", "E1", "E2"],
                "name": ["Añez", "Áñez", "Morales"],
            }
        ),
        "stance": pd.DataFrame(
            {
                "doc_id": ["a1", "b1", "b2"],
                "kind": "entity",
                "target": ["Añez", "Áñez", "Morales"],
                "entity_id": ["E1", "E1", "E2"],
                "label": ["against", "neutral", "favor"],
                "score": [-0.5, -0.1, 0.3],
            }
        ),
        "sentences": pd.DataFrame(
            {"doc_id": ["a1", "a1", "a2", "b1", "b1", "b2"], "bias": [0.9, 0.1, 0.2, 0.6, 0.7, 0.3]}
        ),
    }


@pytest.fixture()
def comparison(tables):
    return compare(tables, by="outlet", n_boot=200, n_perm=99, min_articles=1, min_term_hits=1)


def _row(frame, **where):
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_framing_rates_per_1k_tokens_and_share_of_articles(comparison):
    rates = comparison["framing_rates"]
    a = _row(rates, group="A", voice="all", level="all")
    assert (a.hits, a.tokens, a.per_1k, a.share_articles) == (2, 200, 10.0, 0.5)
    assert a.per_1k_low <= a.per_1k <= a.per_1k_high
    b = _row(rates, group="B", voice="all", level="all")
    assert b.per_1k == pytest.approx(2000 / 300) and b.share_articles == 1.0
    b_author = _row(rates, group="B", voice="author", level="all")
    assert b_author.per_1k == pytest.approx(1000 / 300) and b_author.share_articles == 0.5
    assert _row(rates, group="A", voice="all", level="term", item="coup").hits == 2
    assert _row(rates, group="B", voice="author", level="term", item="regime").hits == 0


def test_distinctive_terms_one_vs_rest(comparison):
    terms = comparison["distinctive_terms"]
    coup = _row(terms, group="A", versus="(rest)", term="coup")
    # A: coup 2, regime 0; rest: coup 1, regime 1; prior = pooled (3, 1), a0 = 4, n = 2 each
    assert coup.delta == pytest.approx(math.log(5 / 1) - math.log(4 / 2))
    assert (coup["count"], coup.count_versus, coup.articles, coup.articles_versus) == (2, 1, 1, 1)
    assert _row(terms, group="A", versus="B", term="coup").delta == pytest.approx(coup.delta)
    assert terms["q"].between(0, 1).all()


def test_entity_labels_merge_spellings(comparison):
    labels = comparison["entity_labels"]
    assert set(labels["entity"]) == {labels["entity"].iloc[0], "Morales"} and labels["entity"].iloc[0] in {
        "Añez",
        "Áñez",
    }
    aimed = labels[labels["entity"] != "Morales"]
    assert aimed[["group", "label", "count", "share"]].values.tolist() == [
        ["A", "coup", 1, 1.0],
        ["B", "regime", 1, 1.0],
    ]


def test_stance_bias_and_leaning_per_group(comparison):
    stance = comparison["stance"]
    anez = stance[stance["target"] != "Morales"].set_index("group")
    assert anez.loc["A", "score"] == -0.5 and anez.loc["B", "score"] == pytest.approx(-0.1)
    assert anez.loc["A", "share_against"] == 1.0 and anez.loc["B", "share_neutral"] == 1.0
    bias = comparison["sentence_bias"].set_index("group")
    assert bias.loc["A", "biased_share"] == pytest.approx(1 / 3) and bias.loc[
        "B", "biased_share"
    ] == pytest.approx(2 / 3)
    assert bias.loc["A", "mean_bias"] == pytest.approx(0.4) and bias.loc["B", "mean_bias"] == pytest.approx(
        0.6
    )
    leaning = comparison["leaning"]
    assert _row(leaning, group="A", leaning="left").share == 1.0
    assert _row(leaning, group="B", leaning="center").share == 0.5


def test_tests_table_has_holm_adjusted_p_values(comparison):
    tests = comparison["tests"]
    assert {"framing per 1k tokens (all voices)", "leaning", "mean sentence bias"} <= set(tests["measure"])
    assert (tests["p_holm"] >= tests["p"]).all() and tests["p"].between(0, 1).all()


def test_duplicates_time_and_metadata_grouping(tables):
    deduplicated = load_tables(tables, exclude_duplicates=True)
    assert deduplicated.excluded["near-duplicates"] == 1 and "b1" not in set(deduplicated.documents["doc_id"])
    assert "b1" not in set(deduplicated.table("framing")["doc_id"])
    monthly = compare(tables, time="month", n_boot=50, n_perm=9)
    rates = monthly["framing_rates"].query("level == 'all' and voice == 'all'")
    assert sorted(set(rates["period"])) == ["2020-01", "2020-02"]
    assert _row(rates, group="A", period="2020-02").hits == 0
    by_country = load_tables(tables, by="country")
    assert by_country.groups == ["X"] and by_country.excluded == {"no country": 3}
    with pytest.raises(ParameterError, match="country"):
        load_tables(tables, by="region")
    with pytest.raises(ParameterError, match="week or month"):
        load_tables(tables, time="year")


def test_save_writes_every_table(comparison, tmp_path):
    written = comparison.save(tmp_path / "cmp", format="parquet")
    names = {p.name for p in written}
    assert "framing_rates.parquet" in names and "comparison.json" in names
    assert (
        pd.read_parquet(tmp_path / "cmp" / "framing_rates.parquet").shape == comparison["framing_rates"].shape
    )


def test_results_without_classifiers_and_a_single_group(tables):
    plain = {name: table for name, table in tables.items() if name not in ("stance", "sentences")}
    plain["documents"] = tables["documents"].assign(bias=None, leaning=None)
    comparison = compare(plain, n_boot=20, n_perm=9)
    assert comparison["stance"].empty and comparison["sentence_bias"].empty and comparison["leaning"].empty
    assert set(comparison["tests"]["measure"]) == {
        "framing per 1k tokens (all voices)",
        "framing per 1k tokens (author voice)",
        "articles with a framing hit",
    }
    single = compare({**plain, "documents": plain["documents"].assign(outlet="A")}, n_boot=20, n_perm=9)
    assert single["tests"].empty and single["distinctive_terms"].empty and len(single.corpus["groups"]) == 1


def test_terms_reported_one_by_one_need_hits_and_are_capped(tables):
    from analyzer.comparison.measures import term_vocabulary

    ct = load_tables(tables, "outlet")
    assert term_vocabulary(ct, 1, 10) == ["coup", "regime"]
    assert term_vocabulary(ct, 2, 10) == ["coup"]  # "regime" has one hit
    assert term_vocabulary(ct, 1, 1) == ["coup"]  # the most frequent first
    result = compare(tables, n_boot=20, n_perm=9)  # default: at least 2 hits
    rates = result["framing_rates"]
    assert set(rates.loc[rates["level"] == "term", "item"]) == {"coup"}
    assert set(result["distinctive_terms"]["term"]) == {"coup"}
    # the category and the total still count the hit on "regime"
    b_all = rates[(rates["group"] == "B") & (rates["voice"] == "all") & (rates["level"] == "all")]
    assert b_all["hits"].tolist() == [2] and result.parameters["terms_reported"] == 1
