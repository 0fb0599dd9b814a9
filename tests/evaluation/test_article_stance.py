"""Author stance and leaning pair order on BASIL-format files (analyzer.evaluation)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.corpus.basil import read_basil
from analyzer.evaluation.article_stance import (
    EntityCase,
    coverage,
    event_folds,
    macro_f1,
    match_entity,
    score_cases,
)
from analyzer.evaluation.leaning_pairs import pair_order
from analyzer.records import Entity, Mention

from ..conftest import SHARED

BASIL_DEV = SHARED / "data" / "basil_dev" / "basil_dev.jsonl"


def named(name: str, *aliases: str, count: int = 2, label: str = "PERSON") -> Entity:
    mentions = [Mention(0, 1, name, 0) for _ in range(count)]
    return Entity(f"E{abs(hash(name)) % 1000}", name, label, [name, *aliases], count, mentions)


def test_match_by_name_surname_and_party():
    trump, junior = named("Donald Trump", "Trump", count=9), named("Donald Trump Jr.", count=2)
    liz = named("Elizabeth Cheney", "Cheney")
    democrats = named("Democrats", label="NORP")
    nsa = named("National Security Agency", label="ORG")
    entities = [trump, junior, liz, democrats, nsa]
    assert match_entity("Donald_Trump", entities) is trump
    assert match_entity("Trump", entities) is trump
    assert match_entity("Donald_Trump_Jr.", entities) is junior
    assert match_entity("Liz_Cheney", entities) is None  # nicknames are not known: a different first name
    assert match_entity("Mary_Cheney", entities) is None
    assert match_entity("House_Democrats", entities) is democrats
    assert match_entity("Democratic_lawmakers", entities) is democrats
    assert match_entity("National_Security_Agency_programs", entities) is nsa
    assert match_entity("birthright_citizenship", entities) is None


def test_scores_baselines_and_coverage():
    cases = [
        EntityCase(f"ev{k % 3}", f"a{k}", "nyt", "X", gold, None) for k, gold in enumerate(["neutral"] * 4)
    ]
    cases.append(EntityCase("ev0", "a9", "fox", "Y", "against", None))
    result = score_cases(cases, resamples=20)
    assert result["always_neutral"]["macro_f1"] == pytest.approx(
        macro_f1([c.gold for c in cases], ["neutral"] * 5), abs=1e-4
    )
    assert result["author_rule"]["per_class"]["neutral"]["predicted"] == 5  # nothing found: neutral
    assert coverage(cases)["found"] == 0 and coverage(cases)["not_found"] == ["X", "Y"]
    folds = event_folds([c.event for c in cases], 2)
    assert sorted(i for f in folds for i in f) == list(range(5))
    assert all(
        len({cases[i].event for i in f} & {cases[j].event for g in folds if g is not f for j in g}) == 0
        for f in folds
    )


SENTENCES = {
    "hpo": ["Senator Mark Dalton is a corrupt demagogue.", "Dalton lied again.", "Dalton is a disgrace."],
    "nyt": ["Senator Mark Dalton spoke in Denver.", "Dalton met officials.", "Dalton left on Friday."],
    "fox": ["Senator Mark Dalton gave a strong speech.", "Dalton won applause.", "Dalton left on Friday."],
}
STANCES = {"hpo": "left", "nyt": "center", "fox": "right"}


def write_basil(path: Path) -> Path:
    rows = []
    for event in ("e1", "e2"):
        for outlet, sentences in SENTENCES.items():
            feeling = "neg" if outlet == "hpo" else "neu"
            rows.append(
                {
                    "article_id": f"{event}-{outlet}", "triplet-uuid": event, "source": outlet.upper(),
                    "title": f"Dalton in Denver ({outlet})", "main-entities": ["Mark_Dalton"],
                    "body-paragraphs": [sentences],
                    "annotations": {
                        "phrase-level-annotations": [],
                        "article-level-annotations": {
                            "author_feeling_Mark_Dalton": feeling, "author_feeling_Paula_Reyes": "neu",
                            "relative_stance": STANCES[outlet],
                        },
                    },
                }
            )  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_pair_order_counts_pairs_inside_events(tmp_path):
    articles = list(read_basil(write_basil(tmp_path / "b.jsonl")))
    ordered = pair_order(
        articles, [{"hpo": -1, "nyt": 0, "fox": 1}[a.source] for a in articles], resamples=20
    )
    assert ordered["pairs"] == 6 and ordered["pair_agreement"] == 1.0 and ordered["hpo_lt_nyt_lt_fox"]
    reversed_ = pair_order(
        articles, [{"hpo": 1, "nyt": 0, "fox": -1}[a.source] for a in articles], resamples=20
    )
    assert reversed_["pair_agreement"] == 0.0 and not reversed_["hpo_lt_nyt_lt_fox"]
    ties = pair_order(articles, [0.0] * len(articles), resamples=20)
    assert ties["pair_agreement"] == 0.5


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analyzer", *args], capture_output=True, timeout=600)


@pytest.mark.model
def test_evaluate_cli_on_a_small_basil_file(tmp_path):
    data = write_basil(tmp_path / "basil.jsonl")
    proc = run(
        "evaluate", "--task", "article_stance", "--dataset", "basil", "--data", str(data), "--boot", "20"
    )
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    assert result["articles"] == 6 and result["events"] == 2
    assert set(result) >= {"author_rule", "mean_argmax", "always_neutral", "coverage", "rule"}
    assert result["coverage"]["pairs"] == 12 and result["coverage"]["not_found"] == ["Paula_Reyes"]
    rule = result["author_rule"]
    assert 0.0 <= rule["macro_f1"] <= 1.0 and len(rule["macro_f1_ci95_events"]) == 2
    assert set(rule["per_class"]) == {"against", "neutral", "favor"}
    pairs = run(
        "evaluate", "--task", "leaning_pairs", "--dataset", "basil", "--data", str(data), "--boot", "20"
    )
    assert pairs.returncode == 0, pairs.stderr.decode()
    order = json.loads(pairs.stdout)
    assert order["pairs"] == 6 and set(order["outlet_mean_score"]) == {"hpo", "nyt", "fox"}
    refused = run("evaluate", "--task", "article_stance", "--dataset", "babe", "--data", str(data))
    assert refused.returncode == 2 and "basil" in refused.stderr.decode()


@pytest.fixture(scope="module")
def basil_dev_result(analyzer_full):
    if not BASIL_DEV.is_file():
        pytest.skip(f"BASIL dev not found at {BASIL_DEV} (../shared/data is not part of the repository)")
    from analyzer.evaluation.article_stance import evaluate_article_stance

    return evaluate_article_stance(BASIL_DEV, resamples=200, analyzer=analyzer_full)


@pytest.mark.slow
@pytest.mark.model
def test_basil_dev_author_stance_beats_the_mean(basil_dev_result):
    """What the shipped rule reaches on basil_dev (where it was chosen: an optimistic figure): 0.463
    against 0.375 for the mean of the mention probabilities, with the encoder on three entities per
    article (docs/experiments/author_stance.md)."""
    rule, mean = basil_dev_result["author_rule"]["macro_f1"], basil_dev_result["mean_argmax"]["macro_f1"]
    assert rule >= 0.45 and rule >= mean + 0.08
    assert basil_dev_result["coverage"]["share"] >= 0.9


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.xfail(
    strict=True, reason="issue 21 target not reached: 0.463 on basil_dev, 0.418 in event-grouped CV"
)
def test_basil_dev_author_stance_target(basil_dev_result):
    assert basil_dev_result["author_rule"]["macro_f1"] >= 0.50
