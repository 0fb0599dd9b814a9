"""Would a mention model trained on BASIL's own spans read the author's attitude better? Event-grouped CV.

The author-stance rule sums the NewsMTSC model's P(favor) − P(against) over an entity's mentions, and
that model reads what happens to an entity as sentiment toward it. BASIL's experts mark, inside
the articles, the spans that show the author's bias (lexical and informational), each with its
polarity and target. Here each entity mention of the cached analysis gets a label from them: the
polarity of the spans in its sentence whose target is its entity (the majority when several;
``neutral`` when none or tied). In each of the 9 event folds of ``author_stance_cv.py``,
all-MiniLM-L6-v2 is fine-tuned on the other folds' mentions with the entity-stance recipe, fixed in
advance (pair input, window 12, balanced loss, 2 epochs, AdamW 8e-5, batch 16, seed 0, one thread)
and predicts the held-out mentions. With those out-of-fold probabilities in place of the NewsMTSC
model's, the rule's grid is cross-validated on the same folds. Reported: mention-level macro-F1
against the span labels (both models) and the author-stance CV figure.

Needs the ``train`` extra (torch). Folds can run in separate processes, one per core:

    python benchmarks/author_stance_basil_mentions.py --run 0 2 4 6 8   # one process
    python benchmarks/author_stance_basil_mentions.py --run 1 3 5 7     # another
    python benchmarks/author_stance_basil_mentions.py --merge             # scores, writes the result
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from author_stance_cv import basil_parser, basil_records, grid
from common import run_info, write_result

from analyzer.classify.encoder import PairInputs, encoder_path, pair_inputs
from analyzer.evaluation.article_stance import (
    STANCE_LABELS,
    entity_cases,
    event_folds,
    grouped_cv,
    macro_f1,
    match_entity,
    summary,
)

WORK = Path("/tmp/author_stance_basil_mentions")
OUT = Path(__file__).parent / "results" / "author_stance_basil_mentions.json"
POLARITY = {"neg": "against", "pos": "favor"}
WINDOW, MAX_TOKENS = 12, 128


def mention_rows(articles: list, records: list) -> dict[str, list]:
    """One row per entity mention: the encoder's input columns, the event and the span label."""
    rows: dict[str, list] = {"text": [], "target_start": [], "target_end": [], "event": [], "label": []}
    for article, record in zip(articles, records, strict=True):
        for entity in record.entities:
            for mention in entity.mentions:
                sentence = record.sentences[mention.sentence]
                votes = Counter(
                    POLARITY[span.polarity]
                    for span in article.spans
                    if span.polarity in POLARITY
                    and span.start < sentence.end
                    and span.end > sentence.start
                    and match_entity(span.target, [entity]) is entity
                )
                ranked = votes.most_common()
                tied = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
                rows["label"].append("neutral" if not ranked or tied else ranked[0][0])
                rows["text"].append(article.text[sentence.start : sentence.end])
                rows["target_start"].append(mention.start - sentence.start)
                rows["target_end"].append(mention.end - sentence.start)
                rows["event"].append(article.triplet)
    return rows


def run_fold(rows: dict[str, list], fold: int, folds: int, seed: int) -> None:
    """Fine-tune on the other folds' mentions, predict this fold's, save both under :data:`WORK`."""
    from analyzer.classify.training.encoder_stance import EncoderStanceOptions, fit_inputs, predict

    held = event_folds(rows["event"], folds, seed)[fold]
    train = np.setdiff1d(np.arange(len(rows["event"])), held)
    inputs = pair_inputs(
        rows["text"], rows["target_start"], rows["target_end"], WINDOW, MAX_TOKENS, encoder_path()
    )

    def subset(index: np.ndarray) -> PairInputs:
        return PairInputs(
            [inputs.ids[i] for i in index],
            [inputs.types[i] for i in index],
            [inputs.truncated[i] for i in index],
        )

    options = EncoderStanceOptions(window=WINDOW, balanced=True, threads=1, seed=seed)
    started = time.perf_counter()
    model, _ = fit_inputs(
        subset(train),
        [rows["label"][i] for i in train],
        STANCE_LABELS,
        options,
        log=lambda line: print(line, flush=True),
    )
    probs = predict(model, subset(held))
    WORK.mkdir(parents=True, exist_ok=True)
    np.savez(WORK / f"fold{fold}.npz", held=held, probs=probs, seconds=time.perf_counter() - started)
    print(f"fold {fold}: {len(train)} training mentions, {len(held)} held out", flush=True)


def merge(args: argparse.Namespace, articles: list, records: list, rows: dict[str, list]) -> None:
    """Put the out-of-fold probabilities in the records and cross-validate the rule on them."""
    cases = entity_cases(articles, records)
    before = [m.stance for r in records for e in r.entities for m in e.mentions]
    newsmtsc = [max(STANCE_LABELS, key=s.__getitem__) if s else "neutral" for s in before]
    shipped = summary(
        cases, grouped_cv(cases, grid(), args.folds, args.seed)["predicted"], args.boot, args.seed
    )
    probs = np.zeros((len(rows["label"]), len(STANCE_LABELS)))
    seconds = 0.0
    for fold in range(args.folds):
        saved = np.load(WORK / f"fold{fold}.npz")
        probs[saved["held"]] = saved["probs"]
        seconds += float(saved["seconds"])
    mentions = [m for r in records for e in r.entities for m in e.mentions]
    for mention, row in zip(mentions, probs, strict=True):
        mention.stance = {label: float(p) for label, p in zip(STANCE_LABELS, row, strict=True)}
    cv = grouped_cv(cases, grid(), args.folds, args.seed)
    basil = [STANCE_LABELS[int(k)] for k in probs.argmax(axis=1)]
    result = {
        "benchmark": "author_stance_basil_mentions",
        "command": " ".join(["python", "benchmarks/author_stance_basil_mentions.py", *sys.argv[1:]]),
        **run_info(),
        "folds": args.folds,
        "mentions": len(rows["label"]),
        "mention_labels": dict(Counter(rows["label"])),
        "mention_macro_f1": {
            "basil_model_out_of_fold": round(macro_f1(rows["label"], basil), 4),
            "newsmtsc_models_as_analysed": round(macro_f1(rows["label"], newsmtsc), 4),
        },
        "train_seconds_all_folds": round(seconds, 1),
        "cv_rule_on_newsmtsc_mentions": shipped,
        "cv_rule_on_basil_mentions": {
            **summary(cases, cv["predicted"], args.boot, args.seed),
            "chosen": cv["chosen"],
        },
    }
    write_result(result, args.out)


def main() -> None:
    parser = basil_parser(__doc__, OUT)
    parser.add_argument("--run", type=int, nargs="*", default=[], help="fold numbers to train here")
    parser.add_argument("--merge", action="store_true")
    args = parser.parse_args()
    articles, records = basil_records(args)
    rows = mention_rows(articles, records)
    print(len(rows["label"]), "mentions", dict(Counter(rows["label"])), flush=True)
    for fold in args.run:
        run_fold(rows, fold, args.folds, args.seed)
    if args.merge:
        merge(args, articles, records, rows)


if __name__ == "__main__":
    main()
