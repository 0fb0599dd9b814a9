"""Attribution: whose voice every token is in, and who speaks.

The spaCy factory ``analyzer_attribution`` runs after ``analyzer_entities`` and sets, per token,
``doc._.az_voice`` (``"quoted"``, ``"attributed"`` or ``"author"``) and ``doc._.az_speaker`` (an
entity id or None), and ``doc._.az_quotes`` (``{"open", "close", "speaker", "context_voice"}`` per
quotation; ``context_voice`` is the voice of the words around it: who puts the marks there).

- ``quoted``: inside quotation marks of any common style (see :mod:`analyzer.nlp.quotes`).
- ``attributed``: reported speech without quotation marks: the clausal complement, object or
  predicate of a reporting verb ("Morales *declared* the situation a coup", "the OAS report,
  *claiming* fraud", "*accused* MAS of fraud"), and clauses introduced by "according to X".
  With ``use_parser=False`` (or a pipeline without a parser) only quotation marks are used.
- ``author``: everything else.

The speaker is the reporting verb's subject (or, for a participle such as "a report claiming", the
subject that released the report), resolved to an entity, through a pronoun where needed.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from .entities import nearest_entity_before, token_entity_index
from .quotes import find_quotes, quoted_mask
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
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "theirs", "it", "its", "themselves", "itself"})

for _name, _default in (("az_voice", None), ("az_speaker", None), ("az_quotes", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def resolve_pronoun(
    doc: Doc, token: Token, owner: list[int | None], exclude: int | None = None
) -> int | None:
    """Entity index a personal pronoun most plausibly refers to: the nearest compatible mention
    before it, in this or the three previous sentences, skipping ``exclude`` (the clause subject
    for object pronouns: in "X branded her", "her" is not X)."""
    lower = token.lower_
    if lower in PERSON_PRONOUNS:
        labels = {"PERSON"}
    elif lower in GROUP_PRONOUNS:
        labels = {"ORG", "GPE", "NORP", "PERSON"} if lower.startswith("the") else {"ORG", "GPE"}
    else:
        return None
    return nearest_entity_before(doc, token.i, owner, labels, sentences_back=3, exclude=exclude)


def clause_subject(verb: Token) -> Token | None:
    """The subject of ``verb``'s clause, following conjunctions and auxiliaries upward."""
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if node.dep_ in ("conj", "xcomp", "advcl") and node.head is not node:
            node = node.head
        else:
            break
    return None


def actor_entity(
    doc: Doc, token: Token | None, owner: list[int | None], exclude: int | None = None
) -> int | None:
    """Entity index that ``token`` (a noun phrase head) denotes: itself, its compound/possessive
    modifiers ("the *Añez* regime"), or the entity a pronoun resolves to."""
    if token is None:
        return None
    if owner[token.i] is not None:
        return owner[token.i]
    if token.pos_ == "PRON":
        return resolve_pronoun(doc, token, owner, exclude)
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


def reported_content(verb: Token) -> list[Token]:
    """Tokens of what ``verb`` reports (not the verb, its subject or its auxiliaries)."""
    heads: list[Token] = []
    for child in verb.children:
        if (
            child.dep_ in CLAUSE_DEPS
            or (child.dep_ in OBJECT_DEPS and verb.lemma_ in NAMING_VERBS)
            or (child.dep_ == "prep" and child.lower_ in CONTENT_PREPS)
        ):
            heads.append(child)
    return [t for head in heads for t in head.subtree]


def _according_to(doc: Doc, token: Token) -> tuple[Token, Token] | None:
    """(clause head, source noun) when ``token`` starts "according to X"."""
    if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
        if objects:
            return token.head, objects[0]
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
                    skip = {t.i for t in token.subtree}
                    content = [t for t in head.subtree if t.i not in skip]
                else:
                    continue
                for t in content:
                    voice[t.i] = "attributed"
                    speaker[t.i] = ids[who] if who is not None else None
        text = doc.text
        quotes = find_quotes(text)
        mask = quoted_mask(len(text), quotes)
        records = []
        for quote in quotes:
            who = self._quote_speaker(doc, quote.open, quote.close, mask, owner) if self.use_parser else None
            mark = doc.char_span(quote.open, quote.open + 1, alignment_mode="expand")
            context = voice[mark[0].i] if mark is not None and len(mark) else "author"
            records.append(
                {
                    "open": quote.open,
                    "close": quote.close,
                    "speaker": ids[who] if who is not None else None,
                    "context_voice": "attributed" if who is not None else context,
                }
            )
        starts = doc.to_array("IDX").tolist() if len(doc) else []
        for i, start in enumerate(starts):
            if mask[start]:
                voice[i] = "quoted"
                speaker[i] = None
        for record in records:
            span = doc.char_span(record["open"], record["close"], alignment_mode="expand")
            for token in span if span is not None else ():
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
