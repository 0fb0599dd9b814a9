"""Reading article text from files and stdin, and splitting very long texts into chunks.

Text is decoded strictly: a byte that is not valid in the declared encoding is an error that names
the file and the byte offset, never a silent replacement (offsets must point into the real text).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import BinaryFileError, EncodingError, InputNotFoundError

BINARY_SNIFF_BYTES = 8192


def decode_bytes(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Decode ``data`` read from ``source``; raises a coded error on binary or invalid input."""
    nul = data.find(b"\x00", 0, BINARY_SNIFF_BYTES)
    if nul >= 0 and not encoding.lower().replace("-", "").startswith("utf16"):
        raise BinaryFileError(source, nul)
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingError(source, encoding, exc.start, exc.reason) from exc
    except LookupError as exc:
        raise EncodingError(source, encoding, 0, "unknown encoding") from exc


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """Text of a file, or of standard input when ``path`` is ``-``."""
    if str(path) == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>", encoding)
    file = Path(path)
    if not file.is_file():
        raise InputNotFoundError(file)
    return decode_bytes(file.read_bytes(), str(file), encoding)


def lone_surrogate(text: str) -> int:
    """Index of the first lone surrogate code point (U+D800 to U+DFFF) in ``text``, or -1."""
    if text.isascii():
        return -1
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return -1


def split_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, chunk)`` pieces of at most ``max_chars`` characters.

    Cuts at the last paragraph break before the limit, else the last sentence end, else the last
    whitespace, else exactly at the limit; ``text[offset:offset + len(chunk)] == chunk`` always.
    """
    if len(text) <= max_chars:
        return [(0, text)]
    pieces = []
    start = 0
    floor = max_chars // 2
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = window.rfind("\n", floor)
        if cut < 0:
            cut = max(window.rfind(". ", floor), window.rfind("? ", floor), window.rfind("! ", floor))
            cut = cut + 1 if cut >= 0 else -1
        if cut < 0:
            cut = max(window.rfind(" ", floor), window.rfind("\t", floor))
        cut = cut + 1 if cut >= 0 else max_chars
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces
