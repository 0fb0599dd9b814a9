"""Attribution: whose voice every token is in, and who speaks.

The spaCy factory ``analyzer_attribution`` runs after ``analyzer_entities`` and sets, per token,
``doc._.az_voice`` (``"quoted"``, ``"attributed"`` or ``"author"``) and ``doc._.az_speaker`` (an
entity id or None), and ``doc._.az_quotes`` (``{"open", "close", "closed", "embedded", "speaker",
"context_voice"}`` per quotation; ``context_voice`` is the voice of the words around it: who puts
the marks there, ``"quoted"`` for a quotation inside another one).

- ``quoted``: inside quotation marks of any common style (see :mod:`analyzer.nlp.quotes`). Two
  kinds of quotation do not count: one that never closes (``closed`` false; no speaker is looked
  for), and a word or two lifted into the writer's own phrase as a modifier (``embedded``:
  *"toxic" legislation*, *a “desperate” strategy*, *the president “obviously” cannot*), whose
  syntax is the writer's. Their words keep the voice they would have without the marks.
- ``attributed``: reported speech without quotation marks: the clausal complement, object or
  predicate of a reporting verb ("Morales *declared* the situation a coup", "the OAS report,
  *claiming* fraud", "*accused* MAS of fraud"), and the clause "according to X" is attached to.
  Only the clause the cue governs is reported: a clause the parser hung on it across a strong
  break (";", ":", a dash) before the cue stays in its own voice ("This was no coup: the army
  restored order, according to X" reports only what follows the colon), and never across a
  line break.
  With ``use_parser=False`` (or a pipeline without a parser) only quotation marks are used.
- ``author``: everything else.

The speaker is the reporting verb's subject (or, for a participle such as "a report claiming", the
subject that released the report), resolved to an entity, through a pronoun where needed.
"""

from __future__ import annotations

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Token

from . import pronouns
from .entities import nearest_entity_before, token_entity_index
from .quotes import Quote, find_quotes, quoted_mask
from .sentences import sentence_bounds
from .tokenscan import candidate_positions, word_hashes

REPORTING_VERBS = frozenset(
    [
        "say",
        "declare",
        "claim",
        "call",
        "describe",
        "accuse",
        "brand",
        "allege",
        "insist",
        "tell",
        "announce",
        "state",
        "argue",
        "assert",
        "deny",
        "warn",
        "label",
        "dub",
        "term",
        "suggest",
        "report",
        "write",
        "tweet",
        "post",
        "admit",
        "acknowledge",
        "add",
        "note",
        "explain",
        "charge",
        "contend",
        "maintain",
        "reply",
        "respond",
        "urge",
        "demand",
        "condemn",
        "denounce",
        "praise",
        "hail",
        "blame",
        "characterize",
        "characterise",
        "portray",
        "predict",
        "promise",
        "vow",
        "pledge",
        "threaten",
        "confirm",
        "concede",
        "complain",
        "boast",
        "proclaim",
        "question",
        "insinuate",
        "decry",
        "lament",
        "dismiss",
        "reject",
        "testify",
        "recount",
        "recall",
        "estimate",
        "believe",
        "think",
        "argue",
        "stress",
        "emphasize",
        "emphasise",
        "reiterate",
        "repeat",
        "counter",
        "retort",
    ]
)
# Verbs whose direct object or predicate is the reported wording ("declared the situation a coup",
# "claimed victory"). Verbs of judging ("condemn", "praise", "deny") are left out: their object is
# what is judged, named in the author's own words ("Sanders condemned the coup").
NAMING_VERBS = frozenset(
    [
        "call",
        "brand",
        "label",
        "dub",
        "term",
        "describe",
        "declare",
        "name",
        "deem",
        "consider",
        "accuse",
        "allege",
        "claim",
        "admit",
        "acknowledge",
        "report",
        "announce",
        "characterize",
        "characterise",
        "portray",
    ]
)
CUE_HASHES = word_hashes([*REPORTING_VERBS, "accord", "according"])
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
OBJECT_DEPS = frozenset({"dobj", "oprd", "attr", "obj"})
CONTENT_PREPS = frozenset({"as", "of"})
SAYING_VERBS = frozenset(
    {"say", "tell", "argue", "insist", "claim", "write", "warn", "suggest", "add", "note"}
)
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
EMBEDDED_DEPS = frozenset({"amod", "compound", "advmod", "nmod", "npadvmod"})
EMBEDDED_WORDS = 3
SPLIT_DEPS = frozenset({"ccomp", "parataxis", "conj", "advcl"})
STRONG_BREAKS = frozenset({";", ":", "—", "–", "--"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})

for _name, _default in (("az_voice", None), ("az_speaker", None), ("az_quotes", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def resolve_pronoun(
    doc: Doc, token: Token, owner: list[int | None], exclude: int | None = None
) -> int | None:
    """Entity index a pronoun refers to, by number and gender (see :mod:`analyzer.nlp.pronouns`),
    skipping ``exclude`` (the clause subject for object pronouns: in "X branded her", "her" is
    not X)."""
    return pronouns.resolve_pronoun(doc, token, owner, exclude)


def clause_subject(verb: Token) -> Token | None:
    """The subject of ``verb``'s clause, following conjunctions and auxiliaries upward (and into
    an auxiliary the parser hung the subject on: "Trump's camp *was*n't champing")."""
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        for child in node.children:
            if child.dep_ in ("aux", "auxpass"):
                for grandchild in child.children:
                    if grandchild.dep_ in SUBJECT_DEPS:
                        return grandchild
        if node.dep_ in ("conj", "xcomp", "advcl") and node.head is not node:
            node = node.head
        else:
            break
    return None


def actor_entity(
    doc: Doc, token: Token | None, owner: list[int | None], exclude: int | None = None
) -> int | None:
    """Entity index that ``token`` (a noun phrase head) denotes: itself, its compound/possessive
    modifiers ("the *Añez* regime"), the entity a pronoun resolves to, or the person a definite
    title names ("the president" after "President Trump")."""
    if token is None:
        return None
    if owner[token.i] is not None:
        return owner[token.i]
    if token.pos_ == "PRON":
        return resolve_pronoun(doc, token, owner, exclude)
    if token.pos_ == "NOUN":
        found = pronouns.resolve_description(doc, token, owner)
        if found is not None and found != exclude:
            return found
    for child in token.children:
        if child.dep_ in ("compound", "poss", "nmod", "appos") and owner[child.i] is not None:
            return owner[child.i]
    return None


def speaker_of(doc: Doc, verb: Token, owner: list[int | None]) -> int | None:
    """Entity who utters what ``verb`` reports."""
    subject = clause_subject(verb)
    if subject is None and verb.dep_ in ("acl", "relcl") and verb.head is not verb:
        noun = verb.head
        if owner[noun.i] is not None:
            return owner[noun.i]
        subject = clause_subject(noun.head) if noun.dep_ in OBJECT_DEPS else None
        if subject is None and noun.dep_ in OBJECT_DEPS:
            # "X released a report claiming ...": the parse gave the report no subject.
            return nearest_entity_before(doc, noun.head.i, owner, ("PERSON", "ORG"))
    if subject is None:
        return None
    found = actor_entity(doc, subject, owner)
    if found is None:
        for token in subject.subtree:
            if owner[token.i] is not None:
                return owner[token.i]
    return found


def _before_break(clause: Token, cue: Token) -> bool:
    """Whether ``clause`` ends before a strong break (";", ":", a dash) that comes before ``cue``:
    then it is a sentence of its own that the parser hung on the cue's clause ("This was no coup:
    the army restored order, according to X")."""
    doc = clause.doc
    end = clause.right_edge.i
    return end < cue.i and any(doc[k].text in STRONG_BREAKS for k in range(end + 1, cue.i))


def clause_tokens(head: Token, cue: Token, skip: set[int] | frozenset[int] = frozenset()) -> list[Token]:
    """The clause of ``head`` as reported by ``cue`` (a reporting verb or "according"): its subtree
    without ``skip`` and without the clauses cut off from the cue by a strong break."""
    cut = {
        t.i
        for child in head.children
        if child.dep_ in SPLIT_DEPS and _before_break(child, cue)
        for t in child.subtree
    }
    return [t for t in head.subtree if t.i not in skip and t.i not in cut]


def _misparsed_clause(verb: Token, child: Token) -> bool:
    """A direct object of a verb of saying that holds a finite verb of its own: the subject of a
    complement clause without "that", which the parser took for the object ("He said *the right
    awarded to babies is ridiculous*")."""
    return (
        child.dep_ == "dobj"
        and verb.lemma_ in SAYING_VERBS
        and not any(c.dep_ in CLAUSE_DEPS for c in verb.children)
        and any(t.tag_ in FINITE_TAGS for t in child.subtree if t is not child)
    )


def reported_content(verb: Token) -> list[Token]:
    """Tokens of what ``verb`` reports (not the verb, its subject or its auxiliaries): the clause
    it governs, never a clause cut off from it by a strong break."""
    heads: list[Token] = []
    for child in verb.children:
        if (
            child.dep_ in CLAUSE_DEPS
            or (child.dep_ in OBJECT_DEPS and verb.lemma_ in NAMING_VERBS)
            or (child.dep_ == "prep" and child.lower_ in CONTENT_PREPS)
            or _misparsed_clause(verb, child)
        ) and not _before_break(child, verb):
            heads.append(child)
    return [t for head in heads for t in clause_tokens(head, verb)]


def _according_to(doc: Doc, token: Token) -> tuple[Token, Token] | None:
    """(clause head, source noun) when ``token`` starts "according to X"."""
    if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
        if objects:
            return token.head, objects[0]
    return None


def paragraph_numbers(doc: Doc) -> list[int]:
    """For every token, how many line breaks come before it: reported speech never runs across a
    paragraph, even where the parser joined two paragraphs into one sentence."""
    if len(doc) == 0:
        return []
    spaces = np.flatnonzero(doc.to_array("IS_SPACE")).tolist()
    breaks = np.array([i for i in spaces if "\n" in doc[i].text], dtype=np.int64)
    return np.searchsorted(breaks, np.arange(len(doc)), side="left").tolist()


def _embedded_modifier(doc: Doc, quote: Quote) -> bool:
    """Whether a quotation is a word or two lifted into the writer's own phrase as a modifier
    (*"toxic" legislation*, *on "religious freedom" grounds*, *a “desperate” strategy*, *the
    president “obviously” cannot*): a mixed quotation whose syntax is the writer's."""
    span = doc.char_span(quote.open + 1, quote.close, alignment_mode="contract")
    words = [t for t in span if not (t.is_punct or t.is_space)] if span is not None else []
    if not 1 <= len(words) <= EMBEDDED_WORDS:
        return False
    inside = {t.i for t in words}
    roots = [t for t in words if t.head.i not in inside or t.head is t]
    return len(roots) == 1 and roots[0].head.i not in inside and roots[0].dep_ in EMBEDDED_DEPS


def _context_voice(doc: Doc, quote: Quote, voice: list[str], text_length: int) -> str:
    """Voice of the clause a quotation sits in, before quotation marks count: that of its first
    word (the mark itself often hangs on another clause of the parse). ``text_length`` is
    ``len(doc.text)``, passed in because ``doc.text`` joins every token on each access."""
    span = doc.char_span(quote.open, min(quote.close + 1, text_length), alignment_mode="expand")
    for token in span if span is not None else ():
        if not (token.is_punct or token.is_space):
            return voice[token.i]
    return "author"


def _enclosing(records: list[dict], quote: Quote) -> dict | None:
    """The closed quotation already recorded that holds ``quote`` (quotations come sorted by
    opening offset, outer first), or None."""
    for record in reversed(records):
        if record["closed"] and record["open"] < quote.open and quote.close <= record["close"]:
            return record
    return None


class Attribution:
    """The ``analyzer_attribution`` component (see the module docstring)."""

    def __init__(self, use_parser: bool = True) -> None:
        self.use_parser = use_parser

    def __call__(self, doc: Doc) -> Doc:
        owner = token_entity_index(doc)
        voice = ["author"] * len(doc)
        speaker: list[str | None] = [None] * len(doc)
        entities = doc._.az_entities or []
        ids = [e["id"] for e in entities]
        if self.use_parser and doc.has_annotation("DEP"):
            paragraph = paragraph_numbers(doc)
            for position in candidate_positions(doc, CUE_HASHES):
                token = doc[position]
                lemma = token.lemma_.lower()
                if lemma in REPORTING_VERBS and token.pos_ in ("VERB", "AUX"):
                    content = reported_content(token)
                    who = speaker_of(doc, token, owner) if content else None
                elif lemma == "accord" or token.lower_ == "according":
                    pair = _according_to(doc, token)
                    if pair is None:
                        continue
                    head, source = pair
                    who = actor_entity(doc, source, owner)
                    content = clause_tokens(head, token, {t.i for t in token.subtree})
                else:
                    continue
                for t in content:
                    if paragraph[t.i] != paragraph[position]:
                        continue
                    voice[t.i] = "attributed"
                    speaker[t.i] = ids[who] if who is not None else None
        text = doc.text
        quotes = find_quotes(text)
        parsed = self.use_parser and doc.has_annotation("DEP")
        embedded = [parsed and quote.closed and _embedded_modifier(doc, quote) for quote in quotes]
        mask = quoted_mask(len(text), [q for q, e in zip(quotes, embedded, strict=True) if not e])
        records: list[dict] = []
        for quote, inside in zip(quotes, embedded, strict=True):
            outer = _enclosing(records, quote)
            if not quote.closed:
                who, context = None, "author"
            elif outer is not None:
                who, context = outer["who"], "quoted"
            elif inside:
                who = self._quote_speaker(doc, quote.open, quote.close, mask, owner)
                context = _context_voice(doc, quote, voice, len(text))
            else:
                who = (
                    self._quote_speaker(doc, quote.open, quote.close, mask, owner)
                    if self.use_parser
                    else None
                )
                context = "attributed" if who is not None else _context_voice(doc, quote, voice, len(text))
            records.append(
                {
                    "open": quote.open,
                    "close": quote.close,
                    "closed": quote.closed,
                    "embedded": bool(inside),
                    "speaker": ids[who] if who is not None else None,
                    "context_voice": context,
                    "who": who,
                }
            )
        for record in records:
            del record["who"]
        starts = doc.to_array("IDX").tolist() if len(doc) else []
        for i, start in enumerate(starts):
            if mask[start]:
                voice[i] = "quoted"
                speaker[i] = None
        for record in records:
            span = doc.char_span(record["open"], record["close"], alignment_mode="expand")
            for token in span if span is not None and record["closed"] and not record["embedded"] else ():
                if mask[token.idx]:
                    speaker[token.i] = record["speaker"]
        doc._.az_voice = voice
        doc._.az_speaker = speaker
        doc._.az_quotes = records
        return doc

    @staticmethod
    def _quote_speaker(
        doc: Doc, open_char: int, close_char: int, mask: bytearray, owner: list[int | None]
    ) -> int | None:
        """Speaker of a quotation: the reporting verb that governs it, or the nearest reporting
        verb outside quotation marks in its sentence or in a preceding sentence ending in a colon."""
        span = doc.char_span(open_char, min(close_char + 1, len(mask)), alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        for token in span:
            node = token
            for _ in range(8):
                if not mask[node.idx] and node.lemma_.lower() in REPORTING_VERBS:
                    return speaker_of(doc, node, owner)
                if node.head is node:
                    break
                node = node.head
        bounds = sentence_bounds(doc)
        sentences = [bounds[span[0].i]]
        if sentences[0][0] > 0:
            previous = bounds[sentences[0][0] - 1]
            if doc[previous[0] : previous[1]].text.rstrip().endswith((":", ",")):
                sentences.append(previous)
        if bounds[span[-1].i] != sentences[0]:
            sentences.append(bounds[span[-1].i])
        for start, end in sentences:
            for token in doc[start:end]:
                if not mask[token.idx] and token.pos_ == "VERB" and token.lemma_.lower() in REPORTING_VERBS:
                    who = speaker_of(doc, token, owner)
                    if who is not None:
                        return who
        return None


@Language.factory(
    "analyzer_attribution",
    assigns=["doc._.az_voice", "doc._.az_speaker", "doc._.az_quotes"],
    requires=["doc._.az_entities"],
    default_config={"use_parser": True},
)
def make_attribution(nlp: Language, name: str, use_parser: bool) -> Attribution:
    """Factory; ``use_parser=False`` gives quotation-mark-only voice (the fast profile)."""
    return Attribution(use_parser=use_parser)
