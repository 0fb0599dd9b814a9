"""Language identification and near-duplicate groups on real text."""

from __future__ import annotations

from analyzer import read_corpus
from analyzer.corpus.screen import NearDuplicates, screen
from analyzer.records import ArticleInput
from tests.conftest import SAMPLE

SPANISH = (
    "El golpe contra Evo Morales fue condenado por los sindicatos y las organizaciones campesinas de Bolivia."
)


def test_other_languages_are_flagged_with_a_reason():
    articles = [
        ArticleInput("The union condemned the coup against the president.", "en1"),
        ArticleInput(SPANISH, "es1"),
    ]
    english, spanish = screen(articles)
    assert english.language == "en" and english.problem is None
    assert spanish.language == "es" and spanish.problem.startswith("language es (the pipeline is en")
    assert next(iter(screen([ArticleInput(SPANISH, "es2")], language="es"))).problem is None


def test_the_sample_reprint_is_grouped_with_its_original_and_nothing_else():
    groups = {a.doc_id: a.dup_group for a in screen(read_corpus(SAMPLE))}
    assert groups["heartland_courier_10"] == "civic_wire_05"
    assert sum(doc != group for doc, group in groups.items()) == 1


def test_groups_depend_only_on_input_order():
    text = (SAMPLE / "civic_wire_05.txt").read_text(encoding="utf-8")
    first, second = NearDuplicates(), NearDuplicates()
    assert first.group("a", text) == "a" and first.group("b", text + " One more line.") == "a"
    assert second.group("a", text) == "a" and second.group("a", text) == "a"
    assert first.group("c", SPANISH) == "c"
