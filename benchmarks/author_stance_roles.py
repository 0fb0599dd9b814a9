"""Would the author-stance rule gain from telling an entity's victim role from the rest? A check on BASIL dev.

The mention model reads "the coup against Morales" or "Añez's government banned MAS" as negative
toward Morales and MAS: the victims of the act. This check parses each article, marks the mentions
that are the patient of their clause (the parse's direct object or passive subject, or the object
of "against"), and lets the rule weigh their P(favor) − P(against) by a factor: 1 (as shipped), 0.5,
0 or −0.5 (a victim's negative sentences counting for the entity). The factor is searched with the
rest of the rule's grid inside each of the same event-grouped folds as ``author_stance_cv.py``, and
each fixed factor is cross-validated alone for comparison. Records come from the same cache.

    .venv/bin/python benchmarks/author_stance_roles.py --data ../shared/data/basil_dev/basil_dev.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import spacy
from author_stance_cv import basil_parser, basil_records, grid
from common import run_info, write_result

from analyzer.classify.author import VOICES
from analyzer.evaluation.article_stance import (
    case_evidence,
    entity_cases,
    fold_choices,
    summary,
)
from analyzer.nlp.pipeline import resolve_pipeline_name

OUT = Path(__file__).parent / "results" / "author_stance_roles.json"
FACTORS = (1.0, 0.5, 0.0, -0.5)


def patients(articles: list, records: list) -> set[tuple[str, int]]:
    """(article id, start offset) of every entity mention that is the patient of its clause."""
    nlp = spacy.load(resolve_pipeline_name())
    found = set()
    docs = nlp.pipe([a.text for a in articles], batch_size=8)
    for article, record, doc in zip(articles, records, docs, strict=True):
        for entity in record.entities:
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                root = span.root if span is not None else None
                if root is not None and (
                    root.dep_ in ("dobj", "nsubjpass")
                    or (root.dep_ == "pobj" and root.head.lower_ == "against")
                ):
                    found.add((article.article_id, mention.start))
    return found


def role_codes(
    cases: list, victims: set[tuple[str, int]], factors: tuple[float, ...]
) -> tuple[list, np.ndarray]:
    """Every (factor, rule) point and its label codes on every case (rows: points)."""
    lean = np.zeros((len(cases), 2, len(VOICES)))  # other mentions, patient mentions
    aimed = np.zeros((len(cases), len(VOICES)))
    found = np.zeros(len(cases), dtype=bool)
    for i, case in enumerate(cases):
        evidence = case_evidence(case)
        if evidence is None:
            continue
        found[i], aimed[i] = True, evidence.framing
        for mention in case.entity.mentions:
            k = VOICES.index(mention.voice) if mention.voice in VOICES else 0
            lean[i, int((case.article_id, mention.start) in victims), k] += (
                mention.stance["favor"] - mention.stance["against"]
            )
    points = [(factor, rule) for factor in factors for rule in grid()]
    weights = np.array([(1.0, r.attributed, r.quoted) for _, r in points])
    factor = np.array([f for f, _ in points])[:, None]
    scores = weights @ lean[:, 0].T + factor * (weights @ lean[:, 1].T)
    scores += np.array([r.framing for _, r in points])[:, None] * (weights @ aimed.T)
    against = np.array([r.against for _, r in points])[:, None]
    favor = np.array([r.favor for _, r in points])[:, None]
    codes = np.where(scores <= -against, 0, np.where(scores >= favor, 2, 1))
    codes[:, ~found] = 1
    return points, codes


def main() -> None:
    args = basil_parser(__doc__, OUT).parse_args()
    articles, records = basil_records(args)
    cases = entity_cases(articles, records)
    victims = patients(articles, records)
    mentions = sum(len(e.mentions) for r in records for e in r.entities)
    runs = {}
    for name, factors in [("searched", FACTORS), *[(f"fixed {f:g}", (f,)) for f in FACTORS]]:
        points, codes = role_codes(cases, victims, factors)
        predicted, chosen = fold_choices(cases, codes, args.folds, args.seed)
        factor_per_fold = [points[k][0] for k, _ in chosen]
        runs[name] = {**summary(cases, predicted, args.boot, args.seed), "factor_per_fold": factor_per_fold}
        print(name, runs[name]["macro_f1"], runs[name]["macro_f1_ci95_events"], factor_per_fold)
    write_result(
        {
            "benchmark": "author_stance_roles",
            "command": " ".join(["python", "benchmarks/author_stance_roles.py", *sys.argv[1:]]),
            **run_info(),
            "data": args.data.name,
            "folds": args.folds,
            "patient_mentions": len(victims),
            "mentions": mentions,
            "cv": runs,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
