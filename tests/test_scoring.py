"""The shipped classifiers inside ``Analyzer``: filled fields, batching, targets, explanations."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analyzer import Analyzer, ArticleInput
from analyzer.classify.apply import MAX_ENCODER_MENTIONS
from analyzer.classify.author import DEFAULT_RULE, decide
from analyzer.config import AnalyzerConfig
from analyzer.errors import ParameterError

pytestmark = pytest.mark.model

TEXT = (
    "Senator Dana Whitfield praised the new clinic funding as a lifeline for rural families. "
    "Critics said Whitfield's plan was a reckless giveaway, and the radical scheme would bankrupt the state. "
    "The Harbor Institute, a think tank, published a neutral cost estimate on Tuesday. "
    "Abortion rights groups said the law protects access to care."
)


@pytest.fixture(scope="module")
def result(analyzer_full):
    return analyzer_full.analyze(
        TEXT, title="Clinic funding", targets=["Dana Whitfield", "abortion", "the state", "Atlantis"]
    )


def test_every_classifier_field_is_filled(result):
    data = result.to_dict()
    assert all(0.0 <= s["bias"] <= 1.0 for s in data["sentences"])
    assert data["scores"]["bias"] == pytest.approx(
        sum(s["bias"] for s in data["sentences"]) / len(data["sentences"]), abs=1e-3
    )
    leaning = data["scores"]["leaning"]
    assert set(leaning["probs"]) == {"left", "center", "right"}
    assert sum(leaning["probs"].values()) == pytest.approx(1.0, abs=1e-3)
    assert leaning["label"] == max(leaning["probs"], key=leaning["probs"].get)
    for entity, scored in zip(data["entities"], result.entities, strict=True):
        stance = entity["stance"]
        assert set(stance["probs"]) == {"against", "neutral", "favor"}
        # the author's attitude: voice-weighted sum of the mentions' P(favor) - P(against), plus
        # the framing aimed at the entity, read against the neutral band
        weighted = sum(
            DEFAULT_RULE.voice_weight(m.voice) * (m.stance["favor"] - m.stance["against"])
            for m in scored.mentions
        )
        assert stance["score"] == pytest.approx(weighted + DEFAULT_RULE.framing * stance["framing"], abs=1e-3)
        assert stance["label"] == decide(stance["score"])
    assert set(data["versions"]["models"]) == {
        "sentence_bias", "entity_stance", "leaning", "topic_stance", "entity_stance_encoder", "loaded_words",
    }  # fmt: skip
    json.dumps(data)


def test_entity_stance_model_by_mentions_and_per_mention_probabilities(result):
    for entity in result.entities:
        wanted = len(entity.mentions) >= 2 or entity.name == "Dana Whitfield"
        assert entity.stance["model"] == ("entity_stance_encoder" if wanted else "entity_stance")
        assert all(set(m.stance) == {"against", "neutral", "favor"} for m in entity.mentions)


MANY = " ".join(
    f"{name} spoke on Monday. Reporters asked {name} about the budget."
    + f" Later {name} left the capital." * extra
    for name, extra in (("Anna Berg", 3), ("Carl Dunn", 2), ("Eva Lind", 1), ("Omar Sadiq", 0))
)


def _models(analyzer: Analyzer, targets: list[str] | None = None) -> dict[str, tuple[int, str]]:
    found = analyzer.analyze(MANY, targets=targets).entities
    return {e.name: (len(e.mentions), e.stance["model"]) for e in found if e.mentions}


def test_the_encoder_scores_the_most_mentioned_entities(analyzer_full):
    """The three most mentioned entities get the encoder, the fourth the linear model, unless it is
    named as a target or ``encoder_entities`` is None (all named at least twice)."""
    models = _models(analyzer_full)
    assert [models[n][0] for n in ("Anna Berg", "Carl Dunn", "Eva Lind", "Omar Sadiq")] == [5, 4, 3, 2]
    assert {n: m for n, (_, m) in models.items()} == {
        "Anna Berg": "entity_stance_encoder",
        "Carl Dunn": "entity_stance_encoder",
        "Eva Lind": "entity_stance_encoder",
        "Omar Sadiq": "entity_stance",
    }
    assert _models(analyzer_full, targets=["Omar Sadiq"])["Omar Sadiq"][1] == "entity_stance_encoder"
    assert _models(analyzer_full, targets=["Omar Sadiq"])["Eva Lind"][1] == "entity_stance_encoder"
    every = _models(Analyzer(encoder_entities=None))
    assert {m for _, m in every.values()} == {"entity_stance_encoder"}
    one = _models(Analyzer(encoder_entities=1))
    assert [n for n, (_, m) in one.items() if m == "entity_stance_encoder"] == ["Anna Berg"]


@pytest.mark.parametrize("count", [0, -1, 2.5, True])
def test_encoder_entities_must_be_a_positive_count_or_none(count):
    with pytest.raises(ParameterError):
        AnalyzerConfig(encoder_entities=count)


def test_the_encoder_scores_a_bounded_number_of_mentions_per_article(analyzer_full):
    """A name repeated past the encoder's per-article budget keeps the linear model; an entity
    that fits in the budget still gets the encoder."""
    text = "Senator Maria Gomez said the plan had failed. " * (MAX_ENCODER_MENTIONS + 1)
    text += "Carlos Ruiz left. Later Carlos Ruiz returned to the capital."
    entities = {e.name: e for e in analyzer_full.analyze(text).entities}
    assert len(entities["Maria Gomez"].mentions) > MAX_ENCODER_MENTIONS
    assert entities["Maria Gomez"].stance["model"] == "entity_stance"
    assert entities["Carlos Ruiz"].stance["model"] == "entity_stance_encoder"
    assert all(set(m.stance) == {"against", "neutral", "favor"} for m in entities["Maria Gomez"].mentions)


def test_the_fast_profile_keeps_the_linear_entity_stance():
    data = Analyzer(profile="fast").analyze(TEXT).to_dict()
    assert {e["stance"]["model"] for e in data["entities"]} == {"entity_stance"}
    assert "entity_stance_encoder" not in data["versions"]["models"]


def test_loaded_sentence_scores_above_neutral_sentence(result):
    bias = [s.bias for s in result.sentences]
    assert bias[1] > bias[2], bias


def test_targets_are_scored_by_the_right_model(result):
    targets = result.targets
    whitfield = targets["Dana Whitfield"]
    assert whitfield["source"] == "entity_stance" and whitfield["entity"].startswith("E")
    assert whitfield["model"] == "entity_stance_encoder"  # named by the user
    assert set(whitfield["probs"]) == {"against", "none", "favor"}
    assert targets["abortion"]["source"] == "topic_stance" and targets["abortion"]["mentions"] == 1
    assert targets["the state"]["source"] == "entity_stance" and targets["the state"]["mentions"] == 1
    assert targets["Atlantis"] == {"label": None, "probs": None, "source": None, "mentions": 0}


def test_batches_score_like_single_calls(analyzer_full, result):
    articles = [ArticleInput("Nothing happened on Tuesday."), ArticleInput(TEXT, title="Clinic funding")]
    many = list(analyzer_full.analyze_many(articles, batch_size=2))
    assert [s.bias for s in many[1].sentences] == [s.bias for s in result.sentences]
    assert many[1].scores["leaning"] == result.scores["leaning"]
    assert [e.stance for e in many[1].entities] == [e.stance for e in result.entities]


def test_classifiers_can_be_switched_off():
    data = Analyzer(classifiers=False).analyze(TEXT).to_dict()
    assert data["scores"]["bias"] is None and data["scores"]["leaning"] is None
    assert all(e["stance"] is None for e in data["entities"])
    assert set(data["versions"]["models"]) == {"loaded_words"}  # a switch of its own, on by default
    lexicon_only = Analyzer(classifiers=False, loaded_words=False).analyze(TEXT).to_dict()
    assert lexicon_only["versions"]["models"] == {}
    assert all(h["source"] == "lexicon" for h in lexicon_only["framing"])


def test_model_option_names_a_known_task():
    with pytest.raises(ParameterError, match="models"):
        AnalyzerConfig(models={"sentiment": "x"})


def test_explanations_name_features(analyzer_full, result):
    explained = analyzer_full.explain(TEXT, result)
    assert explained["leaning"] and all(isinstance(v, float) for _, v in explained["leaning"])
    top = explained["sentences"][0]
    assert top["bias"] == max(s.bias for s in result.sentences)
    assert any(name.startswith(("word_bias", "lexicon")) and value > 0 for name, value in top["features"])
    assert set(explained["entities"]) == {e.id for e in result.entities}
    whitfield = explained["entities"]["E1"]
    # Her two mentions pull apart (praised / critics' "reckless giveaway": the author's attitude is
    # neutral); the words behind the label are those of the mention that supports it most
    # (linear-model features).
    cue = {"favor": "praised", "against": "critics"}.get(whitfield["label"], "")
    assert whitfield["name"] == "Dana Whitfield" and any(cue in name for name, _ in whitfield["features"])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


def test_cli_target_and_explain(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    proc = run("analyze", str(article), "-f", "json", "-t", "Dana Whitfield", "--explain")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["targets"]["Dana Whitfield"]["label"] in {"against", "none", "favor"}
    assert data["explanations"]["sentences"]
    table = run("analyze", str(article), "--explain")
    assert table.returncode == 0 and "Why leaning" in table.stdout and "Targets" not in table.stdout
    bad = run("analyze", str(article), "--model", "sentence_bias")
    assert bad.returncode == 2 and "TASK=FOLDER" in bad.stderr
