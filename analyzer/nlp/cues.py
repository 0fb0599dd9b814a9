"""Word lists shared by the context rules (parse-based and window-based): negations, modal
hedges, role nouns and the prepositions that introduce a target."""

from __future__ import annotations

NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
MODAL_HEDGES = frozenset({"may", "might", "could", "perhaps", "possibly", "maybe"})
PERSON_ROLES = frozenset(
    [
        "president",
        "leader",
        "dictator",
        "strongman",
        "tyrant",
        "usurper",
        "ruler",
        "puppet",
        "caretaker",
        "successor",
        "premier",
        "chief",
        "minister",
        "senator",
        "head",
        "autocrat",
        "despot",
        "figurehead",
        "incumbent",
        "politician",
    ]
)
GROUP_ROLES = frozenset(
    [
        "regime",
        "government",
        "administration",
        "junta",
        "party",
        "movement",
        "authorities",
        "cabinet",
    ]
)
TARGET_PREPS = ("against", "of", "on", "toward", "towards", "at")
EVALUATIVE_VERBS = frozenset(
    [
        "praise", "hail", "laud", "applaud", "commend", "salute", "celebrate", "congratulate",
        "thank", "defend", "endorse", "criticize", "criticise", "condemn", "denounce", "accuse",
        "blame", "rebuke", "chastise", "scold",
    ]
)  # fmt: skip
"""Verbs that report an evaluation of their object: a loaded one is aimed at that object. Verbs
of attack chosen for their heat ("slam", "assail", "mock", "demonize") are not here: like the
lexicon's loaded verbs of saying, they frame whoever attacks."""
