"""Find quotations in raw text, in any common quotation-mark style.

Works on characters, before and independent of tokenization, so that offsets are exact and the
same rules apply to every pipeline. Handled: curly “double” and ‘single’, straight "double" and
'single', „German“ and « guillemets » (also » reversed «), ‹single guillemets› and 「corner brackets」.

Single quotes double as apostrophes ("Morales’ party", "Bolivia’s"), so a single mark only opens a
quotation after a space, an opening bracket or a dash and before a non-space, and only closes an open
one before a space, punctuation or the end.

Double quotations nest: a second opening mark inside an open quotation (“a “b” c”, or straight
marks inside curly ones) opens an inner quotation, listed too. Styles may be mixed, as in scraped
text: a curly quotation ends at a straight mark that looks like a closing one (after a word,
before a space or punctuation), and a straight one at a curly closing mark. A quotation may run over several
sentences of a paragraph. A double quotation still open at the end of a paragraph runs to the
paragraph's end; it counts as *closed* when the next paragraph opens with a quotation mark (the
print convention for a quotation that spans paragraphs) and as *unclosed* otherwise (``closed`` is
False: a stray mark, or a quotation whose end was lost). Callers treat unclosed quotations as
unreliable: the analysis does not put their words in the quoted voice.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_PAIRS = {"“": "”", "„": "“”", "«": "»", "»": "«", "「": "」", "『": "』", '"': '"'}
SINGLE_PAIRS = {"‘": "’", "‹": "›", "‚": "‘’"}
OPEN_CONTEXT = ' \t\n([{—–-/"“„«»'
CLOSE_CONTEXT = ' \t\n.,;:!?)]}—–-/"”»'
OPENING_MARKS = frozenset(DOUBLE_PAIRS) | frozenset(SINGLE_PAIRS) | {"'"}


@dataclass(frozen=True)
class Quote:
    """A quotation: ``open`` and ``close`` are the character offsets of its marks.

    ``close`` equals the paragraph end when the quotation is left open there; ``closed`` is False
    when it is left open and the next paragraph does not continue it. The quoted words are
    ``text[open + 1 : close]``.
    """

    open: int
    close: int
    closed: bool = True

    @property
    def content_start(self) -> int:
        return self.open + 1

    @property
    def content_end(self) -> int:
        return self.close


def _opens_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in OPEN_CONTEXT and not after.isspace()


def _closes_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in CLOSE_CONTEXT or after in "'’")


def _continued(text: str, end: int) -> bool:
    """Whether the paragraph after offset ``end`` (a line break) opens with a quotation mark."""
    rest = text[end:].lstrip()
    return bool(rest) and rest[0] in OPENING_MARKS


def _closes_straight(text: str, i: int, end: int) -> bool:
    """Whether a straight double mark at ``i`` looks like a closing one: after a non-space and
    before a space, punctuation or the paragraph's end."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and (after in CLOSE_CONTEXT or after in "'’")


def _closes(text: str, i: int, end: int, closers: str) -> bool:
    """Whether the mark at ``i`` closes the innermost open double quotation (whose closing marks
    are ``closers``). Scraped text mixes styles, so a curly quotation may end in a straight mark
    that looks like a closing one, and a straight one in a curly closing mark."""
    ch = text[i]
    if ch in closers:
        return True
    if closers == '"':
        return ch == "”"
    return ch == '"' and "”" in closers and _closes_straight(text, i, end)


def _paragraph_quotes(text: str, start: int, end: int) -> list[Quote]:
    quotes: list[Quote] = []
    doubles: list[tuple[int, str]] = []  # open double quotations, innermost last: (offset, closers)
    single_open: int | None = None
    single_close = ""
    for i in range(start, end):
        ch = text[i]
        if doubles and _closes(text, i, end, doubles[-1][1]):
            quotes.append(Quote(doubles.pop()[0], i))
            single_open = None
        elif ch in DOUBLE_PAIRS and (ch != '"' or not doubles or not _closes_straight(text, i, end)):
            doubles.append((i, DOUBLE_PAIRS[ch]))
        elif single_open is not None and ch in single_close and _closes_single(text, i):
            quotes.append(Quote(single_open, i))
            single_open = None
        elif single_open is None and (ch in SINGLE_PAIRS or ch == "'") and _opens_single(text, i):
            single_open, single_close = i, SINGLE_PAIRS.get(ch, "'")
    if doubles:
        closed = _continued(text, end)
        quotes.extend(Quote(position, end, closed) for position, _ in doubles if end - position > 1)
    return quotes


def find_quotes(text: str) -> list[Quote]:
    """All quotations in ``text``, sorted by opening offset; nested ones are listed too."""
    quotes: list[Quote] = []
    start = 0
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        quotes.extend(_paragraph_quotes(text, start, end))
        start = end + 1
    quotes.sort(key=lambda q: (q.open, -q.close))
    return quotes


def quoted_mask(length: int, quotes: list[Quote]) -> bytearray:
    """A per-character mask: 1 inside a closed quotation (marks included), 0 outside."""
    mask = bytearray(length)
    for quote in quotes:
        if not quote.closed:
            continue
        stop = min(quote.close + 1, length)
        mask[quote.open : stop] = b"\x01" * (stop - quote.open)
    return mask
