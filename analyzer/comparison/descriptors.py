"""How an article names an entity: the title before a mention ("*interim president* Áñez",
"*self-proclaimed president* Guaidó") and the appositive after it ("Áñez, *the interim leader*,"),
read from the stored text around each mention.

A descriptor is up to two words ending in a role noun (the role nouns of the context rules, plus
common titles), directly before the mention or after it behind a comma and an optional article.
The words are lower-cased and start after the last function word ("which energy minister" →
"energy minister"); a role noun alone ("president") counts too, so that "interim president" and
"president" can be told apart in the comparison.
"""

from __future__ import annotations

import re

import pandas as pd

from ..nlp.cues import GROUP_ROLES, PERSON_ROLES

TITLES = frozenset(
    {"candidate", "lawmaker", "governor", "mayor", "commander", "general", "activist", "official"}
)
ROLES = tuple(sorted(PERSON_ROLES | GROUP_ROLES | TITLES, key=len, reverse=True))
ROLE = "|".join(ROLES)
WORD = r"[^\W\d_][\w'’-]*"
BEFORE = re.compile(rf"(?<![\w'’-])((?:{WORD}\s+){{0,2}}(?:{ROLE}))\s+$", re.IGNORECASE)
AFTER = re.compile(rf"^,\s+(?:the\s+|a\s+|an\s+)?((?:{WORD}\s+){{0,2}}(?:{ROLE}))\b", re.IGNORECASE)
WINDOW = 60
STOP = frozenset(
    {"the", "a", "an", "of", "and", "said", "says", "by", "to", "that", "with", "as", "for", "from"}
)


def _clean(phrase: str) -> str:
    words = phrase.lower().split()
    while words and words[0] in STOP:
        words = words[1:]
    return " ".join(words)


def _title(window: str) -> re.Match | None:
    """The title at the end of ``window``; the regular expression runs only when the window ends
    with a role noun and a space (most mentions have no title, and the search is the costly part)."""
    if not window[-1:].isspace() or not window.rstrip().lower().endswith(ROLES):
        return None
    return BEFORE.search(window)


def descriptors(mentions: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """``doc_id, entity_id, descriptor, source`` (``title`` or ``appositive``) for every mention of
    ``mentions`` whose document text is in ``texts`` and that has one."""
    rows = []
    columns = (mentions[c].tolist() for c in ("doc_id", "entity_id", "start", "end"))
    for doc_id, entity_id, start, end in zip(*columns, strict=True):
        text = texts.get(doc_id)
        if text is None:
            continue
        before = _title(text[max(0, start - WINDOW) : start])
        if before:
            rows.append((doc_id, entity_id, _clean(before.group(1)), "title"))
        after = AFTER.match(text[end : end + WINDOW]) if text.startswith(",", end) else None
        if after:
            rows.append((doc_id, entity_id, _clean(after.group(1)), "appositive"))
    return pd.DataFrame(rows, columns=["doc_id", "entity_id", "descriptor", "source"])
