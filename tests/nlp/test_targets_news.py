"""Targets on news-like sentences with the real pipeline (rules in analyzer/nlp/targets.py)."""

from __future__ import annotations

from functools import lru_cache

import pytest

pytestmark = pytest.mark.model


@lru_cache(maxsize=1)
def _analyzer():
    from analyzer import Analyzer

    return Analyzer(classifiers=False, loaded_words=True)


def target_of(text, word):
    result = _analyzer().analyze(text)
    names = {e.id: e.name for e in result.entities}
    start = text.index(word)
    hits = [h for h in result.framing if h.start <= start < h.end]
    assert hits, f"no hit for {word!r}"
    return names.get(hits[0].target), {e.name: e.label for e in result.entities}


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # a pronoun resolved by gender, not to the nearest man
        (
            "Ms. Fernández won the vote. Mr. Macri's opponents have branded her a dictator.",
            "dictator",
            "Fernández",
        ),
        # the possessor
        ("Maduro's regime jailed the protesters.", "regime", "Maduro"),
        # the object of a labelling verb, through the entity inside it
        ("Guaidó called the Maduro government illegitimate.", "illegitimate", "Maduro"),
        # the object of an evaluative verb, a possessive pronoun resolved
        ("Hillary Clinton spoke on Monday. Obama praised her courage.", "praised", "Hillary Clinton"),
        # a relative pronoun as the labelled object
        ("Bloomberg attacked Trump, whom he called a demagogue.", "demagogue", "Trump"),
        # the head a modifier describes, and its possessor
        ("Rubio's hawkish agenda worried the diplomats.", "hawkish", "Rubio"),
        # the appositive's head
        ("Mr. Stone, an eccentric strategist, was arrested on Friday.", "eccentric", "Stone"),
        # the actor of the clause for a loaded modifier of its object
        ("Trump issued a bombastic call for Obama to resign.", "bombastic", "Trump"),
    ],
)
def test_target_rules_on_news_sentences(text, word, expected):
    assert target_of(text, word)[0] == expected


def test_an_evaluator_is_never_the_target():
    target, _ = target_of("Senator Graham denounced the plan for its costs.", "denounced")
    assert target is None


def test_a_verb_of_attack_frames_the_attacker():
    target, _ = target_of("Senator Marco Rubio assailed Obama for his diplomacy.", "assailed")
    assert target == "Marco Rubio"


def test_a_labeller_is_never_the_target():
    target, _ = target_of("Kristen Clarke called the idea illegal and offensive.", "offensive")
    assert target is None


def test_a_social_network_is_an_organisation():
    target, labels = target_of("Mary Cheney took to Facebook to slam her sister.", "slam")
    assert labels.get("Facebook") in (None, "ORG") and target != "Facebook"
