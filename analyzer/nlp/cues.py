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
