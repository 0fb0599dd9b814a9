"""The author's attitude toward an entity (analyzer.classify.author), by hand and on short articles.

The rule adds up the mentions' P(favor) - P(against), weighed by voice, and the framing aimed at the
entity, and reads the sum against a neutral band (docs/outputs.md, entities[].stance)."""

from __future__ import annotations

import pytest

from analyzer.classify.author import LABELS, AuthorStanceRule, author_stance, decide, evidence
from analyzer.records import Entity, FramingHit, Mention

AGAINST = {"against": 0.9, "neutral": 0.1, "favor": 0.0}
NEUTRAL = {"against": 0.05, "neutral": 0.9, "favor": 0.05}


def entity(*voices_and_probs: tuple[str, dict]) -> Entity:
    mentions = [
        Mention(10 * k, 10 * k + 4, "Name", k, voice, probs)
        for k, (voice, probs) in enumerate(voices_and_probs)
    ]
    return Entity("E1", "Name", "PERSON", ["Name"], len(mentions), mentions)


def hit(polarity: int, voice: str = "author", target: str | None = "E1", **flags: bool) -> FramingHit:
    return FramingHit(
        "word", "word", 0, 4, 0, "delegitimizing", polarity, voice, None, target,
        flags.get("negated", False), flags.get("hedged", False),
    )  # fmt: skip


RULE = AuthorStanceRule(attributed=0.5, quoted=0.0, framing=1.0, against=2.0, favor=2.0)


def test_quoted_attacks_are_the_speakers():
    quoted = entity(("author", NEUTRAL), *[("quoted", AGAINST)] * 4)
    stance = author_stance(quoted, [hit(-1, "quoted")], LABELS, RULE)
    assert stance["label"] == "neutral" and stance["author_mentions"] == 1.0
    own = entity(("author", NEUTRAL), *[("author", AGAINST)] * 4)
    assert author_stance(own, [], LABELS, RULE)["label"] == "against"


def test_reported_speech_counts_by_its_weight():
    found = evidence(entity(("attributed", AGAINST), ("author", NEUTRAL)), [])
    assert found.mentions == (1, 1, 0)
    assert found.lean[1] == pytest.approx(-0.9) and found.lean[0] == pytest.approx(0.0)


def test_framing_aimed_at_the_entity_with_negation_and_hedges():
    hits = [hit(-1), hit(-1, hedged=True), hit(-1, negated=True), hit(-1, target="E2"), hit(0)]
    found = evidence(entity(("author", NEUTRAL)), hits)
    assert found.framing == (-1.5, 0.0, 0.0)
    stance = author_stance(entity(("author", NEUTRAL)), [hit(-1), hit(-1)], LABELS, RULE)
    assert (
        stance["label"] == "against" and stance["framing"] == -2.0 and stance["score"] == pytest.approx(-2.0)
    )


def test_neutral_band():
    assert [decide(x, RULE) for x in (-2.0, -1.99, 0.0, 1.99, 2.0)] == [
        "against", "neutral", "neutral", "neutral", "favor",
    ]  # fmt: skip


def test_probs_are_the_voice_weighted_mean():
    stance = author_stance(entity(("author", NEUTRAL), ("quoted", AGAINST)), [], LABELS, RULE)
    assert stance["probs"] == NEUTRAL


QUOTED_ATTACK = (
    "Senator Mark Dalton spoke in Denver on Tuesday. Dalton met local officials and toured a factory. "
    '"Dalton is a corrupt liar and a disgrace," said Paula Reyes, a rival candidate. "Dalton is a crook," '
    "she added. Dalton will return to Washington on Friday."
)
AUTHOR_ATTACK = (
    "Senator Mark Dalton is a corrupt demagogue. Dalton, a shameless liar, spewed his usual lies to a "
    "cheering crowd in Denver. Dalton has smeared his opponents and bullied reporters for years. Dalton "
    "is a disgrace to the Senate. Dalton will return to Washington on Friday, where Dalton will keep "
    "betraying the voters."
)


def dalton(result) -> Entity:
    return next(e for e in result.entities if e.name == "Mark Dalton")


@pytest.mark.model
def test_a_quoted_attack_leaves_the_author_neutral(analyzer_full):
    found = dalton(analyzer_full.analyze(QUOTED_ATTACK))
    assert {m.voice for m in found.mentions} >= {"quoted", "author"}
    assert found.stance["label"] == "neutral"
    assert any(m.stance["against"] > 0.5 for m in found.mentions if m.voice == "quoted")


@pytest.mark.model
def test_the_authors_own_loaded_framing_gives_against(analyzer_full):
    found = dalton(analyzer_full.analyze(AUTHOR_ATTACK))
    assert found.stance["label"] == "against"
    assert found.stance["framing"] < 0 and found.stance["score"] <= -3.25
