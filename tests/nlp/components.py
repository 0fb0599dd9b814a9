"""Run the analyzer components on a hand-built Doc, without a trained pipeline."""

from __future__ import annotations

from functools import lru_cache

from analyzer.lexicons import default_lexicon_path, load_lexicon
from analyzer.nlp.aliases import load_alias_table
from analyzer.nlp.attribution import Attribution
from analyzer.nlp.context import FramingContext
from analyzer.nlp.entities import EntityCanonicalizer
from analyzer.nlp.framing import FramingMatcher


@lru_cache(maxsize=1)
def _components():
    return (
        EntityCanonicalizer(load_alias_table()),
        Attribution(),
        FramingMatcher([load_lexicon(default_lexicon_path())]),
        FramingContext(),
    )


def run_all(doc):
    for component in _components():
        doc = component(doc)
    return doc


def hits_by_text(doc):
    return {doc[h["start"] : h["end"]].text: h for h in doc._.az_framing}


def entity_names(doc):
    return {e["id"]: e["name"] for e in doc._.az_entities}
