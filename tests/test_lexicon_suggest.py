"""``analyzer lexicon suggest``: distinctive words of each group, scored by the loaded-word model,
written as a lexicon file that passes the checker and finds hits when passed back."""

import json

import pandas as pd
import pytest

from analyzer.comparison.suggest import suggest_terms
from analyzer.errors import OutputError, ParameterError
from analyzer.lexicons import check_lexicon, load_lexicon

ARTICLES = 30
TEXT_A = (
    "Masked thugs stormed the square again on day {k}. Jorge Quiroga watched as the thugs ran, "
    "{k} times. The mayor's aides didn't comment ({k}).\nSubscribe to our newsletter for updates."
)
TEXT_B = "Peaceful demonstrators gathered in the square on day {k}. Jorge Quiroga met the demonstrators {k}."


def _tables(articles: int = ARTICLES) -> dict[str, pd.DataFrame]:
    docs, texts, entities = [], [], []
    for outlet, template in (("A", TEXT_A), ("B", TEXT_B)):
        for k in range(articles):
            doc_id = f"{outlet}{k}"
            text = template.format(k=k)
            docs.append({"doc_id": doc_id, "outlet": outlet, "n_tokens": len(text.split())})
            texts.append({"doc_id": doc_id, "text": text})
            entities.append({"doc_id": doc_id, "entity_id": "E1", "name": "Jorge Quiroga"})
    return {
        "documents": pd.DataFrame(docs),
        "texts": pd.DataFrame(texts),
        "entities": pd.DataFrame(entities),
        "framing": pd.DataFrame({"doc_id": ["A0"], "text": ["stormed"], "source": ["lexicon"]}),
    }


def test_distinctive_words_per_group_without_names_stop_words_or_matched_terms():
    found = suggest_terms(_tables(), by="outlet", score=False, min_z=1.0)
    table = found.table
    by_group = {g: set(rows["term"]) for g, rows in table.groupby("group")}
    assert {"thugs", "watched"} <= by_group["A"] and {"demonstrators", "gathered"} <= by_group["B"]
    terms = set(table["term"])
    # names, stop words, a word the lexicon matched, shared words, words only ever capitalized,
    # contractions, and the words of a sentence repeated in every article of A (boilerplate)
    assert not terms & {"jorge", "quiroga", "the", "on", "stormed", "square", "day", "masked", "peaceful"}
    assert not terms & {"didn't", "didn", "mayor's", "subscribe", "newsletter", "updates"}
    assert {"mayor", "aides", "comment"} <= by_group["A"]  # possessive 's removed
    row = table[(table["group"] == "A") & (table["term"] == "thugs")].iloc[0]
    assert (row["count"], row["articles"], row["count_rest"]) == (2 * ARTICLES, ARTICLES, 0)
    assert row["z"] > 1.96 and row["q"] < 0.05 and row["contexts"][0].startswith("Masked thugs stormed")
    assert len(row["contexts"]) == 3 and row["category"] == "derogatory_label"


def test_thresholds_leave_out_rare_words_and_bad_parameters_are_refused():
    assert suggest_terms(_tables(articles=2), by="outlet", score=False).table.empty
    with pytest.raises(ParameterError):
        suggest_terms(_tables(), by="outlet", top=0, score=False)
    one_group = _tables()
    one_group["documents"]["outlet"] = "A"
    with pytest.raises(ParameterError, match="at least two groups"):
        suggest_terms(one_group, by="outlet", score=False)


def test_lexicon_file_round_trip(tmp_path):
    found = suggest_terms(_tables(), by="outlet", score=False, min_z=1.0)
    path = found.write_lexicon(tmp_path / "suggested.tsv")
    assert check_lexicon(path) == []
    lexicon = load_lexicon(path)
    entries = {e.term: e for e in lexicon.entries}
    assert {"thugs", "demonstrators"} <= set(entries) and lexicon.name == "suggested"
    assert "distinctive of A" in entries["thugs"].note and "Masked thugs" in entries["thugs"].note
    with pytest.raises(OutputError, match="exists"):
        found.write_lexicon(path)
    found.write_lexicon(path, force=True)


@pytest.mark.model
def test_model_scores_and_cli_on_a_real_batch_run(tmp_path):
    from analyzer import Analyzer, AnalyzerConfig
    from analyzer.batch import run_batch
    from analyzer.cli import main
    from analyzer.corpus.readers import read_corpus

    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {"id": f"{o}{k}", "outlet": o, "text": t.format(k=k)}
        for o, t in (("A", TEXT_A), ("B", TEXT_B))
        for k in range(ARTICLES)
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    run_batch(read_corpus(corpus), tmp_path / "run", quiet=True)
    found = suggest_terms(tmp_path / "run", by="outlet", min_z=1.0)
    scores = found.table.set_index("term")["model_score"].dropna()
    assert ((scores >= 0) & (scores <= 1)).all() and len(scores) >= 4
    # the lexicon matched "thugs" (lemma "thug") in the run, so it is not suggested again; of the
    # verbs, the model finds "stormed" more loaded than "watched"
    assert "thugs" not in set(found.table["term"]) and scores["stormed"] > scores["watched"]

    out = tmp_path / "suggested.tsv"
    main(["lexicon", "suggest", str(tmp_path / "run"), "--out", str(out), "--min-z", "1", "--no-model",
          "--table", str(tmp_path / "table.csv")])  # fmt: skip
    assert check_lexicon(out) == []
    assert "demonstrators" in pd.read_csv(tmp_path / "table.csv")["term"].tolist()
    analyzer = Analyzer(AnalyzerConfig(lexicons=(str(out),)))
    hits = analyzer.analyze("Peaceful demonstrators filled the avenue.").framing
    assert any(h.lemma == "demonstrator" or h.text.lower() == "demonstrators" for h in hits)
