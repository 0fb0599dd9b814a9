"""The demo job: analyze a folder corpus, write JSON Lines, CSV tables and an HTML summary."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .config import AnalyzerConfig
from .corpus.readers import read_corpus
from .engine import Analyzer
from .records import ArticleAnalysis
from .report.summary import render_summary

ENTITY_COLUMNS = (
    "doc_id",
    "outlet",
    "entity_id",
    "name",
    "label",
    "count",
    "aliases",
    "stance",
    "stance_score",
)
FRAMING_COLUMNS = (
    "doc_id",
    "outlet",
    "text",
    "lemma",
    "start",
    "end",
    "sentence",
    "category",
    "polarity",
    "voice",
    "speaker",
    "target",
    "negated",
    "hedged",
    "source",
    "score",
)


def _write_tables(records: list[ArticleAnalysis], out: Path) -> list[Path]:
    entities_path, framing_path = out / "entities.csv", out / "framing.csv"
    with entities_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ENTITY_COLUMNS)
        for r in records:
            for e in r.entities:
                stance = e.stance or {}
                writer.writerow(
                    (r.doc_id, r.outlet, e.id, e.name, e.label, e.count, "|".join(e.aliases),
                     stance.get("label"), stance.get("score"))
                )  # fmt: skip
    with framing_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FRAMING_COLUMNS)
        for r in records:
            names = {e.id: e.name for e in r.entities}
            for h in r.framing:
                writer.writerow(
                    (
                        r.doc_id,
                        r.outlet,
                        h.text,
                        h.lemma,
                        h.start,
                        h.end,
                        h.sentence,
                        h.category,
                        h.polarity,
                        h.voice,
                        names.get(h.speaker or ""),
                        names.get(h.target or ""),
                        h.negated,
                        h.hedged,
                        h.source,
                        h.score,
                    )
                )
    return [entities_path, framing_path]


def run_demo(
    corpus: str | Path, out: str | Path, spacy_model: str | None = None, progress: bool = True
) -> list[Path]:
    """Analyze every article of ``corpus`` into ``out``; returns the files written."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = list(read_corpus(corpus))
    analyzer = Analyzer(AnalyzerConfig(spacy_model=spacy_model))
    records: list[ArticleAnalysis] = []
    jsonl = out_dir / "articles.jsonl"
    columns = (TextColumn("analyzing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with (
        Progress(*columns, disable=not progress, transient=True) as bar,
        jsonl.open("w", encoding="utf-8") as handle,
    ):
        task = bar.add_task("analyze", total=len(articles))
        for record in analyzer.analyze_many(articles):
            handle.write(record.to_json() + "\n")
            records.append(record)
            bar.advance(task)
    texts = {a.doc_id: a.text for a in articles if a.doc_id}
    summary = render_summary(records, texts, out_dir / "summary.html")
    return [jsonl, *_write_tables(records, out_dir), summary]
