"""Tidy tables from article records: one row per document, entity, mention, framing hit, sentence
and stance score, every row keyed by ``doc_id`` and carrying the fields of ``analyzer.article/1``,
and the analysed text of each document (``texts``: the report's evidence snippets and annotated
views quote it, and offsets index it).

The column types are fixed Arrow schemas, so every Parquet part of a table has the same schema
(an empty part included) and parts concatenate without surprises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from ..records import ArticleAnalysis, ArticleInput

TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "strs": pa.list_(pa.string()),
}


def _schema(columns: str) -> pa.Schema:
    """A schema from ``"name:type name:type ..."`` (types: str, int, float, bool, strs)."""
    return pa.schema([(name, TYPES[kind]) for name, kind in (c.split(":") for c in columns.split())])


SCHEMAS: dict[str, pa.Schema] = {
    "documents": _schema(
        "doc_id:str outlet:str title:str date:str url:str source:str language:str n_tokens:int "
        "n_sentences:int n_entities:int n_framing:int loaded_per_1k:float bias:float leaning:str "
        "p_left:float p_center:float p_right:float dup_group:str meta:str"
    ),
    "entities": _schema("doc_id:str entity_id:str name:str label:str aliases:strs count:int"),
    "mentions": _schema(
        "doc_id:str entity_id:str start:int end:int text:str sentence:int voice:str p_against:float "
        "p_neutral:float p_favor:float"
    ),
    "framing": _schema(
        "doc_id:str hit:int text:str lemma:str start:int end:int sentence:int category:str polarity:int "
        "voice:str speaker:str target:str negated:bool hedged:bool source:str score:float quote_unclosed:bool"
    ),
    "sentences": _schema("doc_id:str sentence:int start:int end:int voice:str bias:float"),
    "stance": _schema(
        "doc_id:str kind:str target:str entity_id:str label:str score:float p_against:float "
        "p_neutral:float p_favor:float model:str mentions:int"
    ),
    "texts": _schema("doc_id:str text:str"),
}
TABLES = tuple(SCHEMAS)


def _document(record: ArticleAnalysis, article: ArticleInput | None) -> dict[str, Any]:
    leaning = record.scores.get("leaning") or {}
    probs = leaning.get("probs") or {}
    return {
        "doc_id": record.doc_id,
        "outlet": record.outlet,
        "title": record.title,
        "date": record.date,
        "url": article.url if article else None,
        "source": article.source if article else None,
        "language": (article.language if article else None) or record.language,
        "n_tokens": record.n_tokens,
        "n_sentences": record.n_sentences,
        "n_entities": len(record.entities),
        "n_framing": len(record.framing),
        "loaded_per_1k": record.scores.get("loaded_per_1k"),
        "bias": record.scores.get("bias"),
        "leaning": leaning.get("label"),
        "p_left": probs.get("left"),
        "p_center": probs.get("center"),
        "p_right": probs.get("right"),
        "dup_group": article.dup_group if article else None,
        "meta": json.dumps(article.meta, ensure_ascii=False, sort_keys=True)
        if article and article.meta
        else None,
    }


def _stance_rows(record: ArticleAnalysis) -> list[dict[str, Any]]:
    rows = []
    for entity in record.entities:
        if entity.stance:
            probs = entity.stance["probs"]
            rows.append(
                {
                    "doc_id": record.doc_id, "kind": "entity", "target": entity.name, "entity_id": entity.id,
                    "label": entity.stance["label"], "score": entity.stance["score"],
                    "p_against": probs.get("against"), "p_neutral": probs.get("neutral"),
                    "p_favor": probs.get("favor"), "model": entity.stance.get("model", "entity_stance"),
                    "mentions": entity.count,
                }
            )  # fmt: skip
    for target, value in record.targets.items():
        value = value or {}
        probs = value.get("probs") or {}
        score = probs.get("favor", 0.0) - probs.get("against", 0.0) if probs else None
        rows.append(
            {
                "doc_id": record.doc_id, "kind": "target", "target": target, "entity_id": value.get("entity"),
                "label": value.get("label"), "score": score, "p_against": probs.get("against"),
                "p_neutral": probs.get("none"), "p_favor": probs.get("favor"),
                "model": value.get("model") or value.get("source"), "mentions": value.get("mentions"),
            }
        )  # fmt: skip
    return rows


def record_rows(
    record: ArticleAnalysis, article: ArticleInput | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The rows ``record`` contributes to each table (``article`` adds url, source and meta)."""
    doc = record.doc_id
    return {
        "documents": [_document(record, article)],
        "entities": [
            {
                "doc_id": doc,
                "entity_id": e.id,
                "name": e.name,
                "label": e.label,
                "aliases": e.aliases,
                "count": e.count,
            }
            for e in record.entities
        ],
        "mentions": [
            {
                "doc_id": doc,
                "entity_id": e.id,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "sentence": m.sentence,
                "voice": m.voice,
                "p_against": (m.stance or {}).get("against"),
                "p_neutral": (m.stance or {}).get("neutral"),
                "p_favor": (m.stance or {}).get("favor"),
            }
            for e in record.entities
            for m in e.mentions
        ],
        "framing": [
            {"doc_id": doc, "hit": i, **{k: v for k, v in vars(h).items()}}
            for i, h in enumerate(record.framing)
        ],
        "sentences": [
            {"doc_id": doc, "sentence": i, "start": s.start, "end": s.end, "voice": s.voice, "bias": s.bias}
            for i, s in enumerate(record.sentences)
        ],
        "stance": _stance_rows(record),
        "texts": [{"doc_id": doc, "text": article.text}] if article else [],
    }


def to_arrow(table: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """``rows`` of ``table`` as an Arrow table with its fixed schema."""
    return pa.Table.from_pylist(list(rows), schema=SCHEMAS[table])
