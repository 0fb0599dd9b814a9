"""Inflected forms of lexicon words, so that every entry matches however the text inflects it.

Lexicon entries are written as lemmas ("coup", "slam", "scapegoat", "lash out"). Matching on
spaCy's lemma alone misses forms the lemmatizer gets wrong, mostly words it does not know
("scapegoated", "gaslighting") and forms tagged with the wrong part of speech. The matcher
therefore also compares each token's lower-cased text with the forms generated here from every
word of every entry.

Which forms a word allows follows its part of speech, guessed from the word itself and the
entry's category (the lexicon format has no part-of-speech column):

- function words ("of", "to", "the", "out", ...) are not inflected;
- adverbs (ending in "-ly", a handful of exceptions aside) and participles ending in "-ed" keep
  their one form ("allegedly", "rigged", "self-proclaimed");
- words ending in "-ing" add a plural ("killing" -> "killings");
- adjectives, recognised by their suffix ("-ous", "-ive", "-al", "-ic", "-ful", "-less", "-able",
  "-ible", "-ant", "-ent", "-ary", "-ish", "-ian"), add the plural they take when used as
  nouns ("radicals", "conservatives", "illegals") and, ending in "-y", "-ier"/"-iest";
- every other word may be a noun or a verb: plural and third person ("-s", "-es", "-ies",
  "-men" for "-man"), past ("-ed", "-d", "-ied", with the final consonant doubled as in
  "rigged", "slammed") and gerund ("-ing", "-ying", the silent "e" dropped), plus the irregular
  forms of :data:`IRREGULAR`; words of a ``loaded_saying_verb`` entry are always verbs.

Forms that are not English words ("couped") are harmless: they never occur in text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "without", "into",
    "onto", "against", "and", "or", "nor", "but", "if", "so", "as", "out", "off", "up", "down",
    "over", "under", "de", "facto", "la", "le", "el", "al", "own", "self",
})  # fmt: skip
NOT_ADVERBS = frozenset({"bully", "ally", "rally", "family", "anomaly", "jelly", "belly", "folly", "holy"})
ADJECTIVE_SUFFIXES = (
    "ous",
    "ive",
    "al",
    "ic",
    "ful",
    "less",
    "able",
    "ible",
    "ant",
    "ent",
    "ary",
    "ish",
    "ian",
)
IRREGULAR: dict[str, tuple[str, ...]] = {
    "spin": ("spun",),
    "shoot": ("shot",),
    "let": ("let",),
    "say": ("said",),
    "cling": ("clung",),
    "mow": ("mown",),
    "fall": ("fell", "fallen"),
    "break": ("broke", "broken"),
    "steal": ("stole", "stolen"),
    "fight": ("fought",),
    "tell": ("told",),
    "hang": ("hung",),
    "strike": ("struck", "stricken"),
    "sell": ("sold",),
    "slay": ("slew", "slain"),
    "take": ("took", "taken"),
    "go": ("went", "gone"),
    "make": ("made",),
    "crisis": ("crises",),
    "thesis": ("theses",),
    "child": ("children",),
}
VOWELS = "aeiou"
_SPLIT = re.compile(r"[\s\-‐–]+")


def entry_words(term: str) -> tuple[str, ...]:
    """The words of a lexicon term, split at spaces and hyphens ("self-proclaimed" -> 2 words)."""
    return tuple(w for w in _SPLIT.split(term.lower()) if w)


def word_kind(word: str, verb: bool = False) -> str:
    """``"fixed"``, ``"adverb"``, ``"participle"``, ``"gerund"``, ``"adjective"``, ``"verb"`` or
    ``"word"`` (noun or verb): what decides the forms :func:`word_forms` gives."""
    if word in FUNCTION_WORDS or not word.isalpha():
        return "fixed"
    if verb:
        return "verb"
    if word.endswith("ly") and len(word) > 4 and word not in NOT_ADVERBS:
        return "adverb"
    if word.endswith("ed") and len(word) > 4:
        return "participle"
    if word.endswith("ing") and len(word) > 5:
        return "gerund"
    if word.endswith(ADJECTIVE_SUFFIXES) and len(word) > 4:
        return "adjective"
    return "word"


def _plural(word: str) -> set[str]:
    if word.endswith("man") and len(word) > 4:
        return {word + "s", word[:-3] + "men"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in VOWELS:
        return {word[:-1] + "ies"}
    if word.endswith("o") and len(word) > 2 and word[-2] not in VOWELS:
        return {word + "s", word + "es"}
    return {word + "s"}


def _doubles(word: str) -> bool:
    """Whether the final consonant may double before "-ed"/"-ing" ("rig" -> "rigged"); a word of
    one syllable always doubles it ("sham" -> "shammed", never "shamed"), a longer one may not
    ("target" -> "targeted"), so both spellings are kept for it."""
    return len(word) >= 3 and word[-1] not in VOWELS + "wxy" and word[-2] in VOWELS and word[-3] not in VOWELS


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word))


def _verb_forms(word: str) -> set[str]:
    forms: set[str] = set()
    if word.endswith("ie"):
        forms |= {word + "d", word[:-2] + "ying"}
    elif word.endswith("ee") or word.endswith("ye"):
        forms |= {word + "d", word + "ing"}
    elif word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in VOWELS:
        forms |= {word[:-1] + "ied", word + "ing"}
    else:
        if _doubles(word):
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
        if not _doubles(word) or _syllables(word) > 1:
            forms |= {word + "ed", word + "ing"}
        if word.endswith("c"):
            forms |= {word + "ked", word + "king"}
    return forms


def word_forms(word: str, verb: bool = False) -> frozenset[str]:
    """Every form ``word`` (a lower-cased lemma) is matched in, itself included (see the module
    docstring); ``verb`` marks the word as a verb whatever its ending."""
    kind = word_kind(word, verb)
    forms = {word}
    if kind in ("fixed", "adverb", "participle"):
        return frozenset(forms)
    if kind == "gerund":
        return frozenset({word, word + "s"})
    forms |= _plural(word)
    if kind == "adjective":
        if word.endswith("y"):
            forms |= {word[:-1] + "ier", word[:-1] + "iest"}
        return frozenset(forms)
    forms |= _verb_forms(word)
    forms |= set(IRREGULAR.get(word, ()))
    return frozenset(forms)


def term_forms(term: str, verb: bool = False) -> tuple[frozenset[str], ...]:
    """The forms of each word of ``term``; ``verb`` (a saying-verb entry) makes its first word a
    verb."""
    words = entry_words(term)
    return tuple(word_forms(w, verb=verb and k == 0) for k, w in enumerate(words))


def inflected_examples(term: str, verb: bool = False) -> list[str]:
    """Spellings of ``term`` with one word inflected (each allowed form of each word once), for
    tests and documentation; the term itself when no word inflects."""
    words = entry_words(term)
    forms = term_forms(term, verb)
    out = []
    for k, allowed in enumerate(forms):
        for form in sorted(allowed - {words[k]}):
            out.append(" ".join([*words[:k], form, *words[k + 1 :]]))
    return out or [" ".join(words)]


def form_index(words: Iterable[tuple[str, frozenset[str]]]) -> dict[str, frozenset[str]]:
    """``{form: the lemmas it is a form of}`` from ``(lemma, forms)`` pairs."""
    index: dict[str, set[str]] = {}
    for lemma, forms in words:
        for form in forms:
            if form != lemma:
                index.setdefault(form, set()).add(lemma)
    return {form: frozenset(lemmas) for form, lemmas in index.items()}
