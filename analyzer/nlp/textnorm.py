"""Normalisation keys for matching names and terms across spellings.

A *key* is what two spellings of one name share: diacritics removed ("Áñez" -> "anez"), case folded,
dots and hyphens in abbreviations dropped ("U.S." -> "us"), leading articles and trailing
possessives stripped ("the OAS's" -> "oas"). Keys are only for matching; output keeps the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLES = frozenset({"the", "a", "an"})
POSSESSIVE_SUFFIXES = ("'s", "’s", "'", "’")
TITLES = frozenset(
    {
        "president",
        "pres",
        "vice",
        "prime",
        "minister",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "mayor",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "capt",
        "commander",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "judge",
        "justice",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "ambassador",
        "secretary",
        "chairman",
        "chairwoman",
        "chief",
        "former",
        "interim",
        "acting",
        "self-declared",
        "self-proclaimed",
        "deputy",
        "foreign",
        "energy",
        "labour",
        "labor",
        "finance",
        "defence",
        "defense",
        "interior",
        "health",
        "ceo",
    }
)
_DOTS = re.compile(r"(?<=\w)\.(?=\w|$)")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` and remove diacritics: "Áñez" -> "anez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive marker: "Morales’" -> "Morales", "MAS's" -> "MAS"."""
    for suffix in POSSESSIVE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def name_words(text: str) -> list[str]:
    """Words of a name with a leading article and a trailing possessive removed (original case)."""
    words = _SPACES.split(strip_possessive(text.strip()).strip())
    while words and words[0].lower() in ARTICLES:
        words = words[1:]
    return [w for w in words if w]


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Matching key of a name: "the U.S.'s" -> "us", "Jeanine Añez" -> "jeanine anez"."""
    words = name_words(text.translate(_APOSTROPHES))
    joined = " ".join(words)
    joined = _DOTS.sub("", joined).rstrip(".")
    return fold(joined).replace("–", "-").replace("—", "-")


def strip_titles(words: list[str]) -> list[str]:
    """Remove leading titles: ["President", "Luis", "Arce"] -> ["Luis", "Arce"]."""
    out = list(words)
    while len(out) > 1 and fold(out[0]).rstrip(".") in TITLES:
        out = out[1:]
    return out


def is_acronym(text: str) -> bool:
    """True for "OAS", "U.S.", "MAS": 2-8 capital letters, optionally dotted."""
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isalpha() and bare.isupper()


def initials(words: list[str]) -> str:
    """Upper-case first letters of ``words``, hyphenated parts included."""
    letters = []
    for word in words:
        for part in re.split(r"[-–—]", word):
            if part and part[0].isalpha():
                letters.append(part[0].upper())
    return fold("".join(letters)).upper()


def acronym_matches(acronym: str, words: list[str]) -> bool:
    """Whether ``acronym`` abbreviates ``words``.

    The first letters must agree and the acronym's letters must appear in order among the words'
    initials ("MAS" ~ "Movimiento al Socialismo", "OAS" ~ "Organization of American States").
    """
    acr = fold(acronym.replace(".", "")).upper()
    inits = initials(words)
    if not acr or not inits or acr[0] != inits[0] or len(words) < 2:
        return False
    pos = 0
    for letter in acr:
        pos = inits.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    return True
