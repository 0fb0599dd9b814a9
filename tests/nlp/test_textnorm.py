from analyzer.nlp.textnorm import acronym_matches, fold, is_acronym, name_key, strip_titles


def test_fold_removes_diacritics_and_case():
    assert fold("Áñez") == fold("Añez") == "anez"


def test_name_key_strips_articles_possessives_and_dots():
    assert name_key("the U.S.") == name_key("US") == "us"
    assert name_key("the OAS’s") == "oas"
    assert name_key("Morales’") == "morales"
    assert name_key("Jeanine Añez") == name_key("Jeanine Áñez")


def test_titles_and_acronyms():
    assert strip_titles(["President", "Luis", "Arce"]) == ["Luis", "Arce"]
    assert strip_titles(["Ms.", "Áñez"]) == ["Áñez"]
    assert is_acronym("OAS") and is_acronym("U.S.") and not is_acronym("Oas")
    assert acronym_matches("OAS", ["Organization", "of", "American", "States"])
    assert acronym_matches("MAS", ["Movimiento", "al", "Socialismo"])
    assert not acronym_matches("OAS", ["European", "Union"])
