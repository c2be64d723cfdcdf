"""Normalisation: one canonical spelling for what people actually type.

A message becomes a tuple of clauses, each a string of lower-case words separated by
single spaces. Rules are written against that form, and their own words pass through
the same steps, so "don't", "dont" and "do not" in a rule all mean the same.

Steps, in order: fold Unicode (fancy fonts, accents, zero-width characters; a few emoji
become words, the rest end a clause); lower case; join letters spelt out with
separators (k.i.l.l, s-u-i-c-i-d-e, "k i l l"); split into words and clause breaks;
then for each word: known spellings and text-speak (from the rule files), leetspeak
(k1ll, su1c1de), stretched letters (killlll, diiiie: every doubled letter becomes one,
in rules too), and near-misses of a few long words (sucide, paracetemol).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

# Letters spelt out with separators in between: k.i.l.l, s-u-i-c-i-d-e, o.d, k.1.l.l.
# The first character must be a letter, so decimals such as 2.5 are left alone.
_DOTTED = re.compile(r"(?<![a-z0-9])[a-z](?:[.\-_*~+]+[a-z0-9@$!])+(?![a-z0-9])")
_DOTS = re.compile(r"[.\-_*~+]+")
# Four or more single letters spaced out: "k i l l". Three would swallow "i m a"; a run
# never starts with the words "i" or "a" ("i w a n t" is "i want").
_SPACED = re.compile(r"(?<![a-z0-9'])(?![ia] )[a-z](?: [a-z]){3,}(?![a-z0-9'])")
# An ellipsis is a pause, not the end of a clause: "i want to... die".
_ELLIPSIS = re.compile(r"\.{2,}")
_TOKEN = re.compile(r"[a-z0-9$@](?:[a-z0-9$@!|']*[a-z0-9])?|[.!?;,:\n]")
# Clause breaks bound negation ("no, I want to die"); rule patterns read across them.
_BREAKS = frozenset(".!?;,:\n")
_SQUASH = re.compile(r"([a-z])\1+")
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "$": "s",
        "@": "a",
        "!": "i",
        "|": "i",
    }
)
_QUOTES = frozenset("\u2018\u2019\u201b\u02bc\u00b4\u2032")
_STRETCHED = re.compile(r"([a-z])\1\1")
_FUZZY_MIN = 5
# Marks a word of another language that English text-speak would misread ("od~"): the
# tokeniser never makes this character, so no rule or concept word can match it.
_INERT = "~"
_CHAR_CACHE_MAX = 8192
# Longer messages and words are normalised without caching, so no input can fill memory.
_CACHE_MESSAGE_MAX = 2000
_CACHE_WORD_MAX = 48
_CACHE_WORDS = 65536
# Arabic ligatures that decompose to a phrase of blessing ("ﷺ" to four words, "ﷻ" to two):
# they say nothing of risk, and unfolded, 3,000 of them made 12,000 words for every layer to
# read (seconds of CPU for one message). Every other ligature decomposes to one word.
_PHRASE_LIGATURES = re.compile("[\ufdfa\ufdfb]")


def one_token(text: str) -> bool:
    """Whether text reads as a single word (spellings are looked up one word at a time)."""
    return _TOKEN.fullmatch(text.lower()) is not None


def squash(word: str) -> str:
    """Collapse every run of a repeated letter to one: killlll -> kil, kill -> kil."""
    return _SQUASH.sub(r"\1", word)


# "want 2 die": a 2 after these words is "to"; elsewhere it is a number ("took 2 packs").
_TWO_AS_TO_AFTER = frozenset(
    squash(word)
    for word in (
        "want",
        "wanted",
        "going",
        "got",
        "need",
        "have",
        "trying",
        "try",
        "about",
        "like",
        "ready",
        "wish",
        "plan",
        "planning",
    )
)


def osa_distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions; returns limit + 1 once it is exceeded."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Normaliser:
    """Turns raw text into clauses of canonical words; cached, pure, no I/O."""

    def __init__(
        self,
        spellings: Mapping[str, str] | None = None,
        emoji: Mapping[str, str] | None = None,
        fuzzy: Iterable[str] = (),
        not_fuzzy: Iterable[str] = (),
    ) -> None:
        self._emoji = dict(emoji or {})
        self._chars: dict[str, str] = {}
        # Spellings are looked up as typed, then squashed: "wannaaa" finds "wanna". A short
        # squashed word is looked up only if it was stretched (3 or more of a letter):
        # "kmsss" finds "kms", but "odd" must not find "od" (overdose).
        self._spell: dict[str, str] = {}
        self._spell_squashed: dict[str, str] = {}
        for typed, canonical in (spellings or {}).items():
            value = " ".join(squash(w) for w in canonical.split())
            self._spell[typed] = value
            self._spell_squashed[squash(typed)] = value
        self._fuzzy: dict[str, list[str]] = {}
        for term in fuzzy:
            self._fuzzy.setdefault(term[0], []).append(squash(term))
        self._not_fuzzy = frozenset(squash(w) for w in not_fuzzy)
        self._known: frozenset[str] = frozenset()
        self._cached_clauses = lru_cache(maxsize=4096)(self._clauses)
        self._words: dict[str, str] = {}

    def set_known_words(self, words: Iterable[str]) -> None:
        """Words the rules use exactly: never "corrected" to a near miss (overdosed stays)."""
        self._known = frozenset(words)
        self._cached_clauses.cache_clear()
        self._words.clear()

    def clauses(self, message: str, own: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The clauses of one message, each its normalised words joined by single spaces.

        ``own``: the ordinary words of the language the message is written in (Polish and
        Slovak "od" is "from", Welsh "od" is "odd"). Such a word is not read as English
        text-speak ("od" = overdose): it becomes an inert word no rule or concept names.
        """
        if own and self._spell.keys() & own:
            return self._clauses(message, own)
        if len(message) <= _CACHE_MESSAGE_MAX:
            return self._cached_clauses(message)
        return self._clauses(message)

    def _word(self, token: str) -> str:
        word = self._words.get(token)
        if word is None:
            word = self._word_uncached(token)
            if len(token) <= _CACHE_WORD_MAX and len(self._words) < _CACHE_WORDS:
                self._words[token] = word
        return word

    def phrase(self, text: str) -> list[str]:
        """Normalise a rule's own words (no near-miss correction): the words, in order."""
        words: list[str] = []
        for token in _TOKEN.findall(self._prepare(text)):
            if token not in _BREAKS:
                words.extend(self._spelling(token).split())
        return words

    def _clauses(self, message: str, own: frozenset[str] = frozenset()) -> tuple[str, ...]:
        return tuple(" ".join(word for word, _ in clause) for clause in self._read(message, own))

    def written(self, message: str, own: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """What ``clauses`` reads, word as typed by word as typed, in order: each with what
        it was read as ("feels" as "fels", "dont" as "do not"), breaks left out."""
        return [pair for clause in self._read(message, own) for pair in clause]

    def _read(self, message: str, own: frozenset[str] = frozenset()) -> list[list[tuple[str, str]]]:
        """The clauses of one message: each its normalised words, each with its token."""
        clauses: list[list[tuple[str, str]]] = []
        current: list[tuple[str, str]] = []
        for token in _TOKEN.findall(self._prepare(message)):
            if token in _BREAKS:
                if current:
                    clauses.append(current)
                    current = []
                continue
            if token == "2" and current and current[-1][0] in _TWO_AS_TO_AFTER:
                current.append(("to", token))
                continue
            if token in own and token in self._spell:
                current.append((token + _INERT, token))
                continue
            word = self._word(token)
            if word:
                current.append((word, token))
        if current:
            clauses.append(current)
        return clauses

    def _prepare(self, text: str) -> str:
        if not text.isascii():
            text = self._fold_unicode(text)
        text = text.lower()
        if ".." in text:
            text = _ELLIPSIS.sub(" ", text)
        text = _DOTTED.sub(lambda m: _DOTS.sub("", m.group()), text)
        return _SPACED.sub(lambda m: m.group().replace(" ", ""), text)

    def _fold_unicode(self, text: str) -> str:
        if _PHRASE_LIGATURES.search(text):
            text = _PHRASE_LIGATURES.sub(" ", text)
        text = unicodedata.normalize("NFKD", text)
        return "".join(c if c.isascii() else self._char(c) for c in text)

    def _char(self, char: str) -> str:
        folded = self._chars.get(char)
        if folded is None:
            folded = self._fold_char(char)
            if len(self._chars) < _CHAR_CACHE_MAX:
                self._chars[char] = folded
        return folded

    def _fold_char(self, char: str) -> str:
        if char in self._emoji:
            return f" {self._emoji[char]} "
        if char in _QUOTES:
            return "'"
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):  # accents, keycaps, zero-width joiners: inside words
            return ""
        if category[0] in "LN":
            return char.casefold()
        if category == "So":  # emoji: like "lol", they end a clause in chat
            return " ; "
        return " "

    def _spelling(self, token: str) -> str:
        """Spellings, leetspeak and squashing: everything but near-miss correction."""
        hit = self._spell.get(token)
        if hit is not None:
            return hit
        if "'" in token:
            token = token.replace("'", "")
            hit = self._spell.get(token)
            if hit is not None:
                return hit
        if not token.isalpha() and (token[0].isalpha() or token[0] in "$@"):
            token = token.translate(_LEET)
            hit = self._spell.get(token)
            if hit is not None:
                return hit
        squashed = squash(token)
        if squashed != token and (len(squashed) >= 4 or _STRETCHED.search(token)):
            return self._spell_squashed.get(squashed, squashed)
        return squashed

    def _word_uncached(self, token: str) -> str:
        word = self._spelling(token)
        if len(word) >= _FUZZY_MIN and word.isalpha() and word not in self._known:
            # A typo can double a letter ("suiide"), which squashing then hides: try both.
            typed = token.replace("'", "")
            return self._near_miss(word, typed if typed.isalpha() else word)
        return word

    def _near_miss(self, word: str, typed: str) -> str:
        if word in self._not_fuzzy:
            return word
        best, best_key = word, (3, 0)
        for term in self._fuzzy.get(word[0], ()):
            limit = 1 if len(term) < 10 else 2
            distance = min(osa_distance(word, term, limit), osa_distance(typed, term, limit))
            # On a tie the longer word wins: "suicidl" is suicidal, "overdosd" overdosed.
            if distance <= limit and (distance, -len(term)) < best_key:
                best, best_key = term, (distance, -len(term))
        return best
