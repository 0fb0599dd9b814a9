"""The report's evidence: keyword-in-context snippets of the flagged terms, quoted from the stored
texts, and annotated article views (displaCy span markup: entities, and framing hits coloured by
voice). Both are sampled and capped, so the report's size does not grow with the corpus.

Selection (:func:`pick_hits`): for each group, its most distinctive framing terms against the rest (positive z, at
most ``terms_per_group``), and for each such term up to ``per_term`` hits from different articles
of the group, author-voice hits first, then in document order (deterministic). The articles those
snippets come from get annotated views, at most ``max_articles`` in all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup
from spacy import displacy

CONTEXT_CHARS = 70
VIEW_CHARS = 20_000
VOICE_COLOURS = {"FRAME·author": "#f4a3a3", "FRAME·quoted": "#a7e3a1", "FRAME·attributed": "#a9d1f5"}
ENTITY_COLOUR = "#e6e6e6"


@dataclass(frozen=True)
class EvidenceLimits:
    """Caps on the evidence a report carries (defaults keep a 100,000-article report small)."""

    terms_per_group: int = 8
    per_term: int = 3
    max_articles: int = 40
    view_chars: int = VIEW_CHARS


def _clip(text: str) -> str:
    return " ".join(text.split())


def snippet(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> dict[str, str]:
    """``left``, ``term`` and ``right`` around ``text[start:end]``, whitespace collapsed, cut at
    word boundaries where possible."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    if start - width > 0 and " " in left:
        left = "… " + left.split(" ", 1)[1]
    if end + width < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + " …"
    return {"left": _clip(left), "term": text[start:end], "right": _clip(right)}


def pick_hits(terms: pd.DataFrame, framing: pd.DataFrame, limits: EvidenceLimits) -> pd.DataFrame:
    """The hits to quote (see the module docstring), with their group's term and its ``z``."""
    if terms.empty or framing.empty:
        return framing.iloc[:0].assign(term=None, z=None)
    chosen = terms[(terms["versus"] == "(rest)") & (terms["z"] > 0)]
    chosen = (
        chosen.sort_values(["group", "z"], ascending=[True, False])
        .groupby("group")
        .head(limits.terms_per_group)
    )
    hits = framing.assign(rank=(framing["voice"] != "author").astype(int))
    hits = hits.sort_values(["rank", "doc_id", "start"], kind="stable").rename(columns={"lemma": "term"})
    picked = hits.merge(chosen[["group", "term", "z"]], on=["group", "term"])
    picked = (
        picked.drop_duplicates(["group", "term", "doc_id"]).groupby(["group", "term"]).head(limits.per_term)
    )
    return picked.sort_values(
        ["group", "z", "rank", "doc_id"], ascending=[True, False, True, True], kind="stable"
    )


def snippets(
    hits: pd.DataFrame, texts: Mapping[str, str], names: Mapping[tuple[str, str], str]
) -> list[dict]:
    """One keyword-in-context row per hit whose document text is in ``texts``."""
    out = []
    for hit in hits.itertuples():
        if hit.doc_id not in texts:
            continue
        out.append(
            {
                "group": hit.group, "term": hit.term, "z": hit.z, "doc_id": hit.doc_id, "voice": hit.voice,
                "target": names.get((hit.doc_id, hit.target)) if isinstance(hit.target, str) else None,
                "negated": bool(hit.negated), "hedged": bool(hit.hedged),
                **snippet(texts[hit.doc_id], int(hit.start), int(hit.end)),
            }
        )  # fmt: skip
    return out


def annotated_html(text: str, entities: list[dict], hits: list[dict], limit: int = VIEW_CHARS) -> Markup:
    """displaCy markup of ``text`` (cut at ``limit`` characters): ``entities`` (``start``, ``end``,
    ``label``) in grey, framing ``hits`` (``start``, ``end``, ``voice``) coloured by voice; where
    spans overlap the first (longest) wins. displaCy escapes the text, so markup in an article shows
    as text."""
    shown = text[:limit]
    spans = [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in entities]
    spans += [{"start": h["start"], "end": h["end"], "label": f"FRAME·{h['voice']}"} for h in hits]
    spans = sorted((s for s in spans if s["end"] <= len(shown)), key=lambda s: (s["start"], -s["end"]))
    kept, last_end = [], -1
    for span in spans:
        if span["start"] >= last_end:
            kept.append(span)
            last_end = span["end"]
    colours = {
        **VOICE_COLOURS,
        **{s["label"]: ENTITY_COLOUR for s in kept if not s["label"].startswith("FRAME")},
    }
    html = displacy.render(
        {"text": shown, "ents": kept, "title": None},
        style="ent",
        manual=True,
        page=False,
        options={"colors": colours},
    )
    return Markup(html)


def article_views(
    doc_ids: list[str],
    documents: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    texts: Mapping[str, str],
    limits: EvidenceLimits,
) -> list[dict]:
    """Annotated views of the first ``limits.max_articles`` of ``doc_ids`` that have a text."""
    wanted = [d for d in dict.fromkeys(doc_ids) if d in texts][: limits.max_articles]
    mentions = tables["mentions"].merge(
        tables["entities"][["doc_id", "entity_id", "label"]], on=["doc_id", "entity_id"]
    )
    mentions = mentions[mentions["doc_id"].isin(wanted)]
    framing = tables["framing"][tables["framing"]["doc_id"].isin(wanted)]
    info = documents.set_index("doc_id")
    views = []
    for doc_id in wanted:
        text = texts[doc_id]
        title = info.at[doc_id, "title"] if pd.notna(info.at[doc_id, "title"]) else doc_id
        views.append(
            {
                "doc_id": doc_id,
                "title": title,
                "group": info.at[doc_id, "group"],
                "date": info.at[doc_id, "date"],
                "truncated": len(text) > limits.view_chars,
                "html": annotated_html(
                    text,
                    mentions[mentions["doc_id"] == doc_id].to_dict("records"),
                    framing[framing["doc_id"] == doc_id].to_dict("records"),
                    limits.view_chars,
                ),
            }
        )
    return views
