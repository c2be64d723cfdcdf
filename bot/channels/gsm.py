"""GSM-7, the SMS alphabet: keep every message in it, and count its segments.

One character outside GSM-7 (a curly quote, an emoji) turns a whole SMS into UCS-2, which
holds 70 characters instead of 160 and costs two or three times as much. So text for SMS
is mapped first: typographic punctuation to its plain equivalent, accented letters to the
letter, and anything else dropped.
"""

from __future__ import annotations

import re
import unicodedata

# GSM 03.38 basic character set (one septet each), including LF and CR; 0x1B (ESC) is
# not a character of its own.
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs two septets (ESC and the character).
EXTENDED = frozenset("^{}\\[~]|€\f")

_SPACES = re.compile(r"(?<=\S) {2,}")
SINGLE = 160  # septets in a message of one segment
PART = 153  # septets per segment once a message is split (7 go to the header)

# Typographic characters templates or values may carry, and what SMS gets instead.
_MAP = {
    "\u2018": "'",  # left single quote
    "\u2019": "'",  # right single quote, apostrophe
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",  # prime
    "\u00b4": "'",  # acute accent
    "`": "'",
    "\u201c": '"',  # left double quote
    "\u201d": '"',  # right double quote
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',  # guillemets
    "\u00bb": '"',
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",
    "\u2212": "-",  # minus sign
    "\u2026": "...",  # ellipsis
    "\u2022": "-",  # bullet
    "\u00b7": "-",  # middle dot
    "\u00a0": " ",  # non-breaking space
    "\u2007": " ",
    "\u202f": " ",  # narrow no-break space
    "\t": " ",
    "\u00d7": "x",  # multiplication sign
    "\u00f7": "/",
    "\u2044": "/",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u2122": "TM",
    "\u00b0": " degrees",
    "\u00bd": "1/2",
    "\u00bc": "1/4",
    "\u00be": "3/4",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2192": "->",
    "\u2190": "<-",
    "\u00a2": "c",
    # Latin letters with no decomposition to fold.
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u0131": "i",
    "\u00de": "Th",
    "\u00fe": "th",
    "\u00f0": "d",
}


def _one(char: str) -> str:
    if char in BASIC or char in EXTENDED:
        return char
    if char in _MAP:
        return _MAP[char]
    category = unicodedata.category(char)
    if category == "Zs":  # any other space
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    # An accented letter outside GSM-7 (á, ê, ł, ...) becomes its letter.
    folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if folded and folded != char and all(c in BASIC or c in EXTENDED for c in folded):
        return folded
    return ""  # emoji, symbols, other scripts, control and format characters


def to_gsm(text: str) -> str:
    """The text in GSM-7 characters only."""
    mapped = "".join(_one(char) for char in unicodedata.normalize("NFC", text))
    # Dropping characters can leave runs of spaces behind.
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in mapped.split("\n"))


def is_gsm(text: str) -> bool:
    return all(char in BASIC or char in EXTENDED for char in text)


def septets(text: str) -> int:
    """The length of GSM-7 text in septets (extension characters count two)."""
    return sum(2 if char in EXTENDED else 1 for char in text)


def segments(text: str) -> int:
    """How many SMS segments GSM-7 text takes. Raises ValueError for non-GSM text.

    A split message carries 153 septets per segment, and an escape pair is never split
    across two segments, so a segment may hold 152."""
    if not is_gsm(text):
        raise ValueError("not GSM-7 text")
    if septets(text) <= SINGLE:
        return 1
    count, used = 1, 0
    for char in text:
        size = 2 if char in EXTENDED else 1
        if used + size > PART:
            count, used = count + 1, 0
        used += size
    return count
