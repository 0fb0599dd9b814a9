"""Titles and appositives read around entity mentions."""

import pandas as pd

from analyzer.comparison.descriptors import descriptors

TEXT = (
    "Interim president Jeanine Áñez met Evo Morales, the former leader, and self-proclaimed president "
    "Juan Guaidó. The report said ministry official Ana Ruiz agreed, and Bolivia waited."
)


def _mention(entity_id: str, name: str) -> tuple:
    start = TEXT.index(name)
    return ("d", entity_id, start, start + len(name))


def test_titles_and_appositives():
    mentions = pd.DataFrame(
        [_mention("E1", "Jeanine Áñez"), _mention("E2", "Evo Morales"), _mention("E3", "Juan Guaidó"),
         _mention("E4", "Ana Ruiz"), _mention("E5", "Bolivia")],
        columns=["doc_id", "entity_id", "start", "end"],
    )  # fmt: skip
    found = descriptors(mentions, {"d": TEXT})
    assert found.values.tolist() == [
        ["d", "E1", "interim president", "title"],
        ["d", "E2", "former leader", "appositive"],
        ["d", "E3", "self-proclaimed president", "title"],
        ["d", "E4", "ministry official", "title"],
    ]
    assert descriptors(mentions, {}).empty
