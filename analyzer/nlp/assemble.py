"""Turn processed spaCy Docs into an :class:`ArticleAnalysis` record.

A long text is processed as several chunks; this module shifts every offset by the chunk's
position, numbers sentences across chunks and merges entities that reappear in later chunks
(same normalised name or a shared alias), renumbering entity ids by first mention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from ..records import ArticleAnalysis, Entity, FramingHit, Mention, Sentence
from .textnorm import name_key

QUOTED_SHARE = 0.5


def _sentence_voice(voices: Sequence[str]) -> str:
    if not voices:
        return "author"
    counts = Counter(voices)
    if counts["quoted"] / len(voices) > QUOTED_SHARE:
        return "quoted"
    if counts["attributed"] / len(voices) > QUOTED_SHARE:
        return "attributed"
    return "author"


class _EntityMerger:
    """Accumulates entities over chunks; merges those sharing a normalised alias."""

    def __init__(self) -> None:
        self.entities: list[dict] = []
        self.by_key: dict[str, int] = {}

    def add(self, entity: dict, mentions: list[Mention], labels: Counter) -> int:
        keys = {name_key(a) for a in entity["aliases"]} | {name_key(entity["name"])}
        found = next((self.by_key[k] for k in keys if k in self.by_key), None)
        if found is None:
            found = len(self.entities)
            self.entities.append(
                {"name": entity["name"], "aliases": set(), "mentions": [], "labels": Counter()}
            )
        merged = self.entities[found]
        merged["aliases"].update(entity["aliases"])
        merged["mentions"].extend(mentions)
        merged["labels"].update(labels)
        if len(entity["name"]) > len(merged["name"]):
            merged["name"] = entity["name"]
        for key in keys:
            self.by_key.setdefault(key, found)
        return found


def build_record(
    text: str,
    chunks: Iterable[tuple[int, Doc]],
    *,
    doc_id: str,
    outlet: str | None,
    title: str | None,
    date: str | None,
    targets: Sequence[str] | None,
    versions: dict,
    language: str = "en",
) -> ArticleAnalysis:
    """The record for ``text`` processed as ``chunks`` of ``(char offset, Doc)``, read once."""
    merger = _EntityMerger()
    raw_hits: list[tuple[dict, int, int, int, str | None, str | None]] = []
    sentences: list[Sentence] = []
    n_tokens = 0
    for offset, doc in chunks:
        sent_of = [max(len(sentences) - 1, 0)] * len(doc)
        token_voice = doc._.az_voice
        for sent in doc.sents:
            if all(t.is_space for t in sent):
                continue
            for i in range(sent.start, sent.end):
                sent_of[i] = len(sentences)
            voices = [token_voice[t.i] for t in sent if not (t.is_punct or t.is_space)]
            sentences.append(
                Sentence(offset + sent.start_char, offset + sent.end_char, _sentence_voice(voices))
            )
        n_tokens += sum(1 for t in doc if not t.is_space)
        local_to_global: dict[str, int] = {}
        for entity in doc._.az_entities or []:
            mentions = []
            for start, end in entity["mentions"]:
                span = doc[start:end]
                voice = token_voice[start] if token_voice else "author"
                mentions.append(
                    Mention(
                        offset + span.start_char, offset + span.end_char, span.text, sent_of[start], voice
                    )
                )
            labels = Counter({entity["label"]: len(mentions)})
            local_to_global[entity["id"]] = merger.add(entity, mentions, labels)
        for hit in doc._.az_framing or []:
            span = doc[hit["start"] : hit["end"]]
            speaker = local_to_global.get(hit["speaker"]) if hit["speaker"] else None
            target = local_to_global.get(hit.get("target")) if hit.get("target") else None
            raw_hits.append(
                (
                    hit,
                    offset + span.start_char,
                    offset + span.end_char,
                    sent_of[hit["start"]],
                    speaker,
                    target,
                )
            )

    order = sorted(
        range(len(merger.entities)),
        key=lambda k: min(m.start for m in merger.entities[k]["mentions"]),
    )
    new_id = {old: f"E{rank}" for rank, old in enumerate(order, start=1)}
    entities = []
    for old in order:
        data = merger.entities[old]
        mentions = sorted(data["mentions"], key=lambda m: m.start)
        label = max(data["labels"], key=lambda lab: data["labels"][lab])
        entities.append(
            Entity(new_id[old], data["name"], label, sorted(data["aliases"]), len(mentions), mentions)
        )
    framing = [
        FramingHit(
            text=text[start:end],
            lemma=hit["lemma"],
            start=start,
            end=end,
            sentence=sentence,
            category=hit["category"],
            polarity=hit["polarity"],
            voice=hit["voice"],
            speaker=new_id[speaker] if speaker is not None else None,
            target=new_id[target] if target is not None else None,
            negated=bool(hit.get("negated", False)),
            hedged=bool(hit.get("hedged", False)),
            source=hit["source"],
            score=hit["score"],
            quote_unclosed=bool(hit.get("quote_unclosed", False)),
        )
        for hit, start, end, sentence, speaker, target in raw_hits
    ]
    loaded_per_1k = round(1000 * len(framing) / n_tokens, 3) if n_tokens else 0.0
    return ArticleAnalysis(
        doc_id=doc_id,
        outlet=outlet,
        title=title,
        date=date,
        language=language,
        n_tokens=n_tokens,
        n_sentences=len(sentences),
        entities=entities,
        framing=framing,
        sentences=sentences,
        scores={"bias": None, "loaded_per_1k": loaded_per_1k, "leaning": None},
        targets={target: None for target in targets or []},
        versions=versions,
    )
