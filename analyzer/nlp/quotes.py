"""Find quotations in raw text, in any common quotation-mark style.

Works on characters, before and independent of tokenization, so that offsets are exact and the
same rules apply to every pipeline. Handled: curly “double” and ‘single’, straight "double" and
'single', „German“ and « guillemets » (also » reversed «), ‹single guillemets› and 「corner brackets」.

Single quotes double as apostrophes ("Morales’ party", "Bolivia’s"), so a single mark only opens a
quotation after a space, an opening bracket or a dash and before a non-space, and only closes an open
one before a space, punctuation or the end. A double quotation left open at the end of a paragraph
runs to the paragraph's end (the convention for quotations that span paragraphs).
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_PAIRS = {"“": "”", "„": "“”", "«": "»", "»": "«", "「": "」", "『": "』"}
SINGLE_PAIRS = {"‘": "’", "‹": "›", "‚": "‘’"}
OPEN_CONTEXT = ' \t\n([{—–-/"“„«»'
CLOSE_CONTEXT = ' \t\n.,;:!?)]}—–-/"”»'


@dataclass(frozen=True)
class Quote:
    """A quotation: ``open`` and ``close`` are the character offsets of its marks.

    ``close`` equals the paragraph end when the quotation is left open. The quoted words are
    ``text[open + 1 : close]``.
    """

    open: int
    close: int

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


def _paragraph_quotes(text: str, start: int, end: int) -> list[Quote]:
    quotes: list[Quote] = []
    double_open: int | None = None
    double_close = ""
    single_open: int | None = None
    single_close = ""
    for i in range(start, end):
        ch = text[i]
        if double_open is not None and ch in double_close:
            quotes.append(Quote(double_open, i))
            double_open = None
            single_open = None
        elif double_open is None and ch in DOUBLE_PAIRS:
            double_open, double_close = i, DOUBLE_PAIRS[ch]
        elif ch == '"':
            if double_open is None:
                double_open, double_close = i, '"'
        elif single_open is not None and ch in single_close and _closes_single(text, i):
            quotes.append(Quote(single_open, i))
            single_open = None
        elif single_open is None and (ch in SINGLE_PAIRS or ch == "'") and _opens_single(text, i):
            single_open, single_close = i, SINGLE_PAIRS.get(ch, "'")
    if double_open is not None and end - double_open > 1:
        quotes.append(Quote(double_open, end))
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
    """A per-character mask: 1 inside a quotation (marks included), 0 outside."""
    mask = bytearray(length)
    for quote in quotes:
        stop = min(quote.close + 1, length)
        mask[quote.open : stop] = b"\x01" * (stop - quote.open)
    return mask
