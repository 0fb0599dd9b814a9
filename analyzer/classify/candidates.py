"""Which scored words may become loaded-word hits on their own.

The learned detector scores every content word; a few kinds of word are never loaded language by
themselves, whatever their score, and are left out of its hits:

- a title used as a title: before a name or "of" ("*Chief* Justice Roberts", "*chief* of staff")
  or modifying another noun ("*chief* strategist");
- the prefix of a hyphenated word ("*anti*-war", "*self*-described"): the whole word is what reads
  as loaded, and its other half is scored on its own.
"""

from __future__ import annotations

from spacy.tokens import Doc

TITLE_WORDS = frozenset(
    {
        "chief", "president", "vice", "secretary", "minister", "senator", "governor", "mayor",
        "chairman", "chairwoman", "director", "spokesman", "spokeswoman", "deputy", "general",
        "attorney", "speaker", "representative", "congressman", "congresswoman", "commissioner",
    }
)  # fmt: skip
PREFIXES = frozenset(
    {
        "anti",
        "pro",
        "non",
        "self",
        "ex",
        "co",
        "counter",
        "neo",
        "post",
        "pre",
        "semi",
        "quasi",
        "ultra",
        "mid",
    }
)
HYPHENS = frozenset({"-", "–", "‐"})


def may_be_loaded(doc: Doc, i: int) -> bool:
    """Whether token ``i`` may be a loaded-word hit on its own (see the module docstring)."""
    token = doc[i]
    following = doc[i + 1] if i + 1 < len(doc) else None
    if (
        token.lower_ in PREFIXES
        and following is not None
        and following.text in HYPHENS
        and not token.whitespace_
    ):
        return False
    if token.lemma_.lower() in TITLE_WORDS:
        if following is not None and (following.pos_ == "PROPN" or following.lower_ == "of"):
            return False
        if token.dep_ in ("compound", "amod") and token.head.pos_ in ("NOUN", "PROPN"):
            return False
    return True


def merge_adjacent(doc: Doc, hits: list[dict]) -> list[dict]:
    """Model hits on neighbouring words (nothing but a space or a hyphen between them: "pretty
    *outrageous*", "*gaffe*-*prone*") as one phrase hit: a run of loaded words is one loaded
    phrase, counted once. The phrase keeps the most loaded word's score, category, polarity,
    voice and speaker; its lemma joins the words' lemmas. Lexicon hits are never merged."""
    merged: list[dict] = []
    for hit in sorted(hits, key=lambda h: (h["start"], h["end"])):
        last = merged[-1] if merged else None
        if (
            last is not None
            and hit["source"] == "model"
            and last["source"] == "model"
            and _adjacent(doc, last["end"], hit["start"])
        ):
            best = hit if hit["score"] > last["score"] else last
            words = doc[last["start"] : hit["end"]]
            merged[-1] = {
                **best,
                "start": last["start"],
                "end": hit["end"],
                "lemma": " ".join(t.lemma_.lower() for t in words if t.text not in HYPHENS),
            }
        else:
            merged.append(hit)
    return merged


def _adjacent(doc: Doc, end: int, start: int) -> bool:
    """Whether tokens ``end`` .. ``start`` - 1 are at most one hyphen (the words touch otherwise)."""
    if start == end:
        return True
    return start == end + 1 and doc[end].text in HYPHENS
