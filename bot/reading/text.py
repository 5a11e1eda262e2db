"""Folding a share for reading: lower case, typographic quotes made plain, accents dropped (people
type "manana", "amanha", "nachste" as often as "mañana", "amanhã", "nächste").

Folding maps each character to one character (ß becomes s), so a span found in the folded text
is the same span of the lower-cased share."""
from __future__ import annotations

import unicodedata

MAX_SHARE_CHARS = 2000


def _table() -> dict[int, str]:
    table = {}
    for code in range(0x80, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base.lower()
    table.update({ord("ß"): "s", ord("ø"): "o", ord("æ"): "a", ord("œ"): "o", ord("ł"): "l", ord("\u2019"): "'",
                  ord("\u2018"): "'", ord("\u02bc"): "'", ord("`"): "'", ord("\u201c"): '"', ord("\u201d"): '"',
                  ord("\u00a0"): " ", ord("\t"): " ", ord("\u2013"): "-", ord("\u2014"): "-"})
    return table


_FOLD = _table()


def fold(text: str) -> str:
    """`text` (its first MAX_SHARE_CHARS characters) folded for reading."""
    return text[:MAX_SHARE_CHARS].lower().translate(_FOLD)
