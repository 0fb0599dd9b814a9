"""A first HTML summary of a set of analyzed articles: framing by outlet, top terms, entities,
and annotated article views (spaCy displaCy markup). Rendered from a Jinja2 template with
autoescaping, so article text always shows as text."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from spacy import displacy

from ..records import ArticleAnalysis

VOICE_COLOURS = {
    "FRAME·author": "#f4a3a3",
    "FRAME·quoted": "#a7e3a1",
    "FRAME·attributed": "#a9d1f5",
}
ENTITY_COLOUR = "#e6e6e6"
TOP_TERMS = 12
ANNOTATED_PER_OUTLET = 1


def outlet_rows(records: Sequence[ArticleAnalysis]) -> list[dict]:
    """Per outlet: articles, tokens, hits, hits per 1,000 tokens (all voices, author voice only)."""
    groups: dict[str, list[ArticleAnalysis]] = defaultdict(list)
    for record in records:
        groups[record.outlet or "(no outlet)"].append(record)
    rows = []
    for outlet, items in sorted(groups.items()):
        tokens = sum(r.n_tokens for r in items)
        hits = [h for r in items for h in r.framing]
        author = [h for h in hits if h.voice == "author"]
        categories = Counter(h.category for h in author)
        terms = Counter(h.lemma for h in author)
        rows.append(
            {
                "outlet": outlet,
                "articles": len(items),
                "tokens": tokens,
                "hits": len(hits),
                "per_1k": round(1000 * len(hits) / tokens, 1) if tokens else 0.0,
                "author_per_1k": round(1000 * len(author) / tokens, 1) if tokens else 0.0,
                "quoted_share": round(sum(h.voice != "author" for h in hits) / len(hits), 2) if hits else 0.0,
                "top_categories": categories.most_common(3),
                "top_terms": terms.most_common(TOP_TERMS),
            }
        )
    return rows


def entity_rows(records: Sequence[ArticleAnalysis], limit: int = 25) -> list[dict]:
    """Most-mentioned entities across articles, with the framing terms aimed at them."""
    mentions: Counter = Counter()
    articles: Counter = Counter()
    labels: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        names = {e.id: e.name for e in record.entities}
        for entity in record.entities:
            mentions[entity.name] += entity.count
            articles[entity.name] += 1
        for hit in record.framing:
            if hit.target:
                labels[names[hit.target]][hit.lemma] += 1
    return [
        {
            "name": name,
            "mentions": count,
            "articles": articles[name],
            "labels": labels[name].most_common(6),
        }
        for name, count in mentions.most_common(limit)
    ]


def annotated_html(record: ArticleAnalysis, text: str) -> Markup:
    """displaCy markup of one article: entity mentions and framing hits coloured by voice."""
    spans = [{"start": m.start, "end": m.end, "label": e.label} for e in record.entities for m in e.mentions]
    spans += [{"start": h.start, "end": h.end, "label": f"FRAME·{h.voice}"} for h in record.framing]
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    kept, last_end = [], -1
    for span in spans:
        if span["start"] >= last_end:
            kept.append(span)
            last_end = span["end"]
    colours = {**VOICE_COLOURS, **{e.label: ENTITY_COLOUR for e in record.entities}}
    html = displacy.render(
        {"text": text, "ents": kept, "title": record.title or record.doc_id},
        style="ent",
        manual=True,
        page=False,
        options={"colors": colours},
    )
    return Markup(html)


def render_summary(records: Sequence[ArticleAnalysis], texts: dict[str, str], path: str | Path) -> Path:
    """Write the HTML summary of ``records`` (``texts`` maps doc_id to article text) to ``path``."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(
        resources.files(__package__).joinpath("templates/summary.html.j2").read_text(encoding="utf-8")
    )
    shown: Counter = Counter()
    annotated = []
    for record in records:
        key = record.outlet or ""
        if shown[key] < ANNOTATED_PER_OUTLET and record.doc_id in texts:
            shown[key] += 1
            annotated.append({"record": record, "html": annotated_html(record, texts[record.doc_id])})
    versions = records[0].versions if records else {}
    html = template.render(
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        n_articles=len(records),
        n_tokens=sum(r.n_tokens for r in records),
        n_hits=sum(len(r.framing) for r in records),
        outlets=outlet_rows(records),
        entities=entity_rows(records),
        annotated=annotated,
        versions=versions,
    )
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
