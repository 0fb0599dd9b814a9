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
        "thank", "defend", "endorse", "slam", "blast", "criticize", "criticise", "condemn",
        "denounce", "attack", "assail", "accuse", "blame", "mock", "ridicule", "deride", "smear",
        "berate", "lambaste", "excoriate", "castigate", "chastise", "rebuke", "scold", "insult",
        "demonize", "demonise", "vilify", "disparage", "belittle", "scapegoat", "bash", "trash",
        "savage", "skewer", "pillory", "lampoon", "taunt", "slander", "libel",
    ]
)  # fmt: skip
"""Verbs whose object is what they evaluate: a loaded one is aimed at that object."""
