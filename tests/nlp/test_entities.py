from analyzer.nlp.aliases import load_alias_table
from analyzer.nlp.entities import EntityCanonicalizer
from tests.conftest import make_doc


def canonicalize(vocab, words, ents, **kw):
    doc = make_doc(vocab, words, ents=ents, **kw)
    return EntityCanonicalizer(load_alias_table())(doc)


def test_diacritics_surname_titles_merge(vocab):
    words = ["Jeanine", "Añez", "spoke", ".", "Áñez", "and", "Ms.", "Añez", "left", "."]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "O", "O", "B-PERSON", "O", "O"]
    doc = canonicalize(vocab, words, ents)
    (entity,) = doc._.az_entities
    assert entity["name"] == "Jeanine Áñez"
    assert entity["label"] == "PERSON"
    assert len(entity["mentions"]) == 3
    assert entity["aliases"] == ["Añez", "Jeanine Añez", "Áñez"]


def test_acronym_introduction_and_alias_table(vocab):
    words = [
        "the",
        "Organization",
        "of",
        "American",
        "States",
        "(",
        "OAS",
        ")",
        "and",
        "the",
        "U.S.",
        "met",
        ";",
        "the",
        "United",
        "States",
        "and",
        "OAS",
        "agreed",
        ".",
    ]
    ents = [
        "O",
        "B-ORG",
        "I-ORG",
        "I-ORG",
        "I-ORG",
        "O",
        "O",
        "O",
        "O",
        "O",
        "B-GPE",
        "O",
        "O",
        "B-GPE",
        "I-GPE",
        "I-GPE",
        "O",
        "O",
        "O",
        "O",
    ]
    doc = canonicalize(vocab, words, ents)
    names = {e["name"]: len(e["mentions"]) for e in doc._.az_entities}
    assert names == {"Organization of American States": 3, "United States": 2}


def test_label_voting_and_propagation(vocab):
    words = ["Evo", "Morales", "won", ".", "Morales", "left", ".", "Then", "Morales", "spoke", "."]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "B-GPE", "O", "O", "O", "O", "O", "O"]
    doc = canonicalize(vocab, words, ents)
    (entity,) = doc._.az_entities
    assert entity["label"] == "PERSON"
    assert entity["mentions"] == [[0, 2], [4, 5], [8, 9]]


def test_possessive_split_only_for_known_possessor(vocab):
    words = [
        "Morales",
        "won",
        ".",
        "Morales",
        "’",
        "Movimiento",
        "al",
        "Socialismo",
        "and",
        "the",
        "Bolivian",
        "Workers",
        "’",
        "Center",
        ".",
    ]
    ents = [
        "B-PERSON",
        "O",
        "O",
        "B-WORK_OF_ART",
        "I-WORK_OF_ART",
        "I-WORK_OF_ART",
        "I-WORK_OF_ART",
        "I-WORK_OF_ART",
        "O",
        "O",
        "B-ORG",
        "I-ORG",
        "I-ORG",
        "I-ORG",
        "O",
    ]
    spaces = [
        True,
        False,
        True,
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        True,
        False,
        False,
    ]
    doc = canonicalize(vocab, words, ents, spaces=spaces)
    names = [e["name"] for e in doc._.az_entities]
    assert names == ["Morales", "Movimiento al Socialismo", "Bolivian Workers’ Center"]


def test_lowercase_pronoun_us_is_not_the_country(vocab):
    words = ["The", "US", "told", "us", "."]
    ents = ["O", "B-GPE", "O", "O", "O"]
    doc = canonicalize(vocab, words, ents)
    (entity,) = doc._.az_entities
    assert entity["name"] == "United States" and entity["mentions"] == [[1, 2]]


def test_user_alias_file(tmp_path, vocab):
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("alias\tcanonical\tlabels\nEvo\tEvo Morales\tPERSON\n", encoding="utf-8")
    doc = make_doc(vocab, ["Evo", "and", "Evo", "Morales"], ents=["B-PERSON", "O", "B-PERSON", "I-PERSON"])
    doc = EntityCanonicalizer(load_alias_table([aliases]))(doc)
    assert [e["name"] for e in doc._.az_entities] == ["Evo Morales"]
