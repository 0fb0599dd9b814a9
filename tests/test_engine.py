"""Analyzer API with the real pipeline: empty input, long input, batching, parameter errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import Analyzer, ArticleInput
from analyzer.errors import ParameterError
from analyzer.textio import split_text
from tests.conftest import shared_analyzer

pytestmark = pytest.mark.model

PARAGRAPH = (
    "Prime Minister Tomás Ibarra branded the strikers saboteurs. The union called it a “crackdown”, "
    "and Marguerite Osei said the so-called emergency was not a crisis at all. Ibarra's allies insisted "
    "that the illegal strike had paralysed the port.\n"
)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_empty_text_gives_valid_zero_record(analyzer_full, text):
    data = analyzer_full.analyze(text).to_dict()
    assert data["n_tokens"] == 0 and data["n_sentences"] == 0
    assert data["entities"] == [] and data["framing"] == [] and data["sentences"] == []
    assert data["scores"]["loaded_per_1k"] == 0.0


def test_doc_id_defaults_to_content_hash(analyzer_full):
    a = analyzer_full.analyze("Ibarra spoke.")
    b = analyzer_full.analyze("Ibarra spoke.")
    assert a.doc_id == b.doc_id and len(a.doc_id) == 16
    assert analyzer_full.analyze("Ibarra spoke.", doc_id="x1", outlet="O").doc_id == "x1"


def test_chunked_analysis_keeps_offsets_and_merges_entities():
    text = PARAGRAPH * 40
    small = Analyzer(max_chunk_chars=2000)
    assert len(split_text(text, 2000)) > 1
    result = small.analyze(text)
    for hit in result.framing:
        assert text[hit.start : hit.end] == hit.text
    ibarra = [e for e in result.entities if e.name == "Tomás Ibarra"]
    assert len(ibarra) == 1 and ibarra[0].count == 80
    crackdowns = [h for h in result.framing if h.lemma == "crackdown"]
    assert sorted({h.category for h in crackdowns}) == ["scare_quote", "violence_threat"]
    assert len(crackdowns) == 80 and all(h.voice in ("attributed", "quoted") for h in crackdowns)


@pytest.mark.slow
def test_five_megabyte_text_is_analyzed(analyzer_full):
    text = PARAGRAPH * (5_000_000 // len(PARAGRAPH) + 1)
    assert len(text.encode("utf-8")) > 5_000_000
    result = analyzer_full.analyze(text)
    assert result.n_sentences >= 3 * (len(text) // len(PARAGRAPH))
    last = result.framing[-1]
    assert text[last.start : last.end] == last.text and last.start > 4_900_000


def test_analyze_many_equals_analyze(analyzer_full):
    texts = [PARAGRAPH, "Morales declared the situation a coup.", ""]
    batched = list(analyzer_full.analyze_many(ArticleInput(t, doc_id=str(i)) for i, t in enumerate(texts)))
    single = [analyzer_full.analyze(t, doc_id=str(i)) for i, t in enumerate(texts)]
    assert [b.to_dict() for b in batched] == [s.to_dict() for s in single]


def test_targets_are_listed_unscored_without_classifiers():
    result = Analyzer(classifiers=False).analyze(PARAGRAPH, targets=["Tomás Ibarra"])
    assert result.targets == {"Tomás Ibarra": None}
    scored = shared_analyzer().analyze(PARAGRAPH, targets=["Tomás Ibarra"]).targets["Tomás Ibarra"]
    assert scored["source"] == "entity_stance" and scored["mentions"] == 2


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"text": b"bytes"}, "text"),
        ({"text": "x", "outlet": 3}, "outlet"),
        ({"text": "x", "targets": "Morales"}, "targets"),
    ],
)
def test_bad_parameters_raise_coded_errors(analyzer_full, kwargs, name):
    with pytest.raises(ParameterError) as info:
        analyzer_full.analyze(**kwargs)
    assert info.value.code == "AZ104" and name in str(info.value)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Coup regime “”\"'‘’.\n\t\u200f\u0301é😀")), max_size=200))
def test_offsets_always_slice_the_input(text):
    from tests.conftest import shared_analyzer

    result = shared_analyzer().analyze(text)
    for hit in result.framing:
        assert text[hit.start : hit.end] == hit.text
    for entity in result.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text
