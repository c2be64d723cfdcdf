"""The pattern language of the rule files, compiled to regular expressions.

Normalised text is words separated by single spaces, with a space before the first word
and after the last, so every compiled piece matches "something followed by a space" and
word boundaries come for free. The syntax is documented for readers in
``rules/language.yaml``; in short:

    word     the word, normalised like a message (don't -> do not, kill -> kil)
    word*    any word starting with it (kill* -> kills, killing, killed)
    a/b/c    any one of these words
    {slot}   any phrase listed under that slot (also as one of a/b/c)
    (...)    the words inside are optional; (a b | c) optionally one of these phrases
    [a b | c]  one of these phrases (each may be several words)
    ..       up to four other words
    !a/b     the next word is not one of these (matches nothing itself)
    re:...   a regular expression for one normalised word, without spaces

Each compiled pattern also knows what it needs: groups of words of which one per group
must be in the text for it to match ("can not go on" needs all four words; "kill*
{self}" needs a word starting "kil" and one of myself, my self...). The checker runs a
rule only when one of its patterns has everything it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

GAP_WORDS = 4
# Everyday words (as normalised: doubled letters single) make poor anchors: a rule
# anchored on one would be tried on most messages. Only speed depends on this list.
_COMMON = frozenset(
    {
        "i",
        "a",
        "an",
        "the",
        "to",
        "my",
        "me",
        "am",
        "is",
        "are",
        "be",
        "you",
        "it",
        "of",
        "and",
        "in",
        "on",
        "do",
        "not",
        "no",
        "have",
        "has",
        "was",
        "were",
        "will",
        "want",
        "wants",
        "going",
        "just",
        "so",
        "that",
        "this",
        "he",
        "she",
        "they",
        "we",
        "him",
        "her",
        "them",
        "can",
        "would",
        "could",
        "all",
        "for",
        "with",
        "at",
        "get",
        "got",
        "feel",
        "feling",
        "like",
        "what",
        "where",
        "when",
        "why",
        "who",
        "how",
        "there",
        "here",
        "after",
        "before",
        "about",
        "up",
        "down",
        "out",
        "back",
        "now",
        "today",
        "tonight",
        "day",
        "night",
        "time",
        "one",
        "some",
        "any",
        "more",
        "much",
        "many",
        "very",
        "realy",
        "ben",
        "our",
        "his",
        "their",
        "your",
        "its",
        "if",
        "but",
        "or",
        "as",
        "by",
        "from",
        "help",
        "safe",
        "someone",
        "people",
        "go",
        "make",
        "made",
        "take",
        "left",
        "right",
        "said",
        "say",
        "says",
        "tel",
        "told",
        "kep",
        "still",
        "again",
        "way",
        "know",
        "think",
        "thinking",
        "need",
        "please",
        "thanks",
        "ok",
        "okay",
        "yes",
        "too",
        "also",
        "anymore",
        "home",
        "house",
        "mum",
        "dad",
        "son",
        "daughter",
        "friend",
        "partner",
        "family",
        "kids",
        "child",
        "work",
    }
)
# A "re:" element runs to the next space (its brackets are not groups); else words, groups.
_SYNTAX = re.compile(r"re:\S+|[()\[\]|]|[^\s()\[\]|]+")
_CLOSE = {"(": ")", "[": "]"}
_SLOT = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_WORD = re.compile(r"[^\s/(){}\[\]|*]+\*?")


class PatternError(ValueError):
    """A pattern that cannot be read; the message says why, the loader says where."""


@dataclass(slots=True)
class Choice:
    """( ... ) or [ ... ]: phrases separated by |; optional or one required."""

    optional: bool
    choices: list[list[Item]]


Item = str | Choice
# An anchor is ("w", word), that exact word, or ("p", stem), a word starting so. A group
# is met when any one of its anchors is in the text.
Anchor = tuple[str, str]
AnchorGroup = frozenset[Anchor]


@dataclass(frozen=True, slots=True)
class Compiled:
    regex: str
    # Every group must be met for the regex to have a chance; () means it could match anything.
    needs: tuple[AnchorGroup, ...]


class PatternCompiler:
    """Compiles patterns and slots; words are normalised by ``phrase`` (the message normaliser)."""

    def __init__(
        self,
        slots: Mapping[str, Iterable[str]],
        phrase: Callable[[str], list[str]],
        negations: Iterable[str] = (),
    ) -> None:
        self._slots = {name: list(entries) for name, entries in slots.items()}
        # A gap never steps over a negation: "am .. suicidal" must not match "am not suicidal".
        skip = "|".join(re.escape(word) for word in sorted(negations))
        word = f"(?!(?:{skip}) )[^ ]+ " if skip else "[^ ]+ "
        self._gap = f"(?:{word}){{0,{GAP_WORDS}}}"
        self._phrase = phrase
        self._compiled_slots: dict[str, Compiled] = {}
        self._in_progress: list[str] = []
        self.words: set[str] = set()

    def pattern(self, text: str) -> Compiled:
        """A whole pattern (or slot entry)."""
        return self._sequence(_parse(text), text)

    def slot(self, name: str) -> Compiled:
        if name in self._compiled_slots:
            return self._compiled_slots[name]
        if name not in self._slots:
            raise PatternError(f"unknown slot {{{name}}}")
        if name in self._in_progress:
            raise PatternError(f"slot {{{name}}} refers to itself via {self._in_progress}")
        self._in_progress.append(name)
        try:
            options = [self.pattern(entry) for entry in self._slots[name]]
        finally:
            self._in_progress.pop()
        if not options:
            raise PatternError(f"slot {{{name}}} is empty")
        compiled = _alternatives(options)
        self._compiled_slots[name] = compiled
        return compiled

    def _sequence(self, items: list[Item], source: str) -> Compiled:
        if not items:
            raise PatternError(f"empty pattern, group or choice in {source!r}")
        if items[0] == ".." or items[-1] == "..":
            raise PatternError(f"'..' must sit between words in {source!r}")
        parts: list[str] = []
        needs: dict[AnchorGroup, None] = {}
        for item in items:
            if item == "..":
                parts.append(self._gap)
                continue
            if isinstance(item, Choice):
                piece = _alternatives([self._sequence(c, source) for c in item.choices])
                if item.optional:  # needs nothing: the words may be absent
                    parts.append(f"(?:{piece.regex})?")
                    continue
            else:
                piece = self._element(item, source)
            parts.append(piece.regex)
            needs.update(dict.fromkeys(piece.needs))
        return Compiled("".join(parts), tuple(needs))

    def _element(self, item: str, source: str) -> Compiled:
        if item.startswith("re:"):
            # A bare word written as a regex (to skip spellings) still needs that word.
            plain = item[3:].isalnum() and item[3:].islower()
            return Compiled(_raw(item[3:]), (frozenset({("w", item[3:])}),) if plain else ())
        if item.startswith("!"):
            ahead = _alternatives([self._word(word, source) for word in item[1:].split("/")])
            return Compiled(f"(?!{ahead.regex})", ())
        return _alternatives([self._word(word, source) for word in item.split("/")])

    def _word(self, word: str, source: str) -> Compiled:
        slot = _SLOT.fullmatch(word)
        if slot:
            return self.slot(slot.group(1))
        if not _WORD.fullmatch(word):
            raise PatternError(f"cannot read {word!r} in {source!r} (a slot is {{name}})")
        if word.endswith("*"):
            stem = self._phrase(word[:-1])
            if len(stem) != 1:
                raise PatternError(f"{word!r} in {source!r}: a prefix must be one word")
            return Compiled(re.escape(stem[0]) + "[^ ]* ", (frozenset({("p", stem[0])}),))
        words = self._phrase(word)
        if not words:
            raise PatternError(f"{word!r} in {source!r} has no letters or digits")
        self.words.update(words)
        return Compiled(
            re.escape(" ".join(words)) + " ",
            tuple(frozenset({("w", w)}) for w in dict.fromkeys(words)),
        )


def _parse(text: str) -> list[Item]:
    """Words and nested choices: "a (b c | d) e" -> ["a", Choice(True, [[b, c], [d]]), "e"]."""
    top: list[Item] = []
    # Each open choice: its bracket and the choice; `current` is the phrase being read.
    open_groups: list[tuple[str, Choice]] = []
    current = top
    for token in _SYNTAX.findall(text):
        if token in _CLOSE:
            group = Choice(optional=token == "(", choices=[[]])
            current.append(group)
            open_groups.append((token, group))
            current = group.choices[-1]
        elif token in (")", "]"):
            if not open_groups or _CLOSE[open_groups[-1][0]] != token:
                raise PatternError(f"unbalanced {token!r} in {text!r}")
            open_groups.pop()
            current = open_groups[-1][1].choices[-1] if open_groups else top
        elif token == "|":
            if not open_groups:
                raise PatternError(f"'|' outside ( ) or [ ] in {text!r}")
            open_groups[-1][1].choices.append([])
            current = open_groups[-1][1].choices[-1]
        else:
            current.append(token)
    if open_groups:
        raise PatternError(f"unclosed {open_groups[-1][0]!r} in {text!r}")
    return top


def _raw(regex: str) -> str:
    try:
        re.compile(regex)
    except re.error as error:
        raise PatternError(f"bad regular expression {regex!r}: {error}") from None
    return f"(?:{regex}) "


def _alternatives(options: list[Compiled]) -> Compiled:
    if len(options) == 1:
        return options[0]
    regex = "(?:" + "|".join(option.regex for option in options) + ")"
    if any(not option.needs for option in options):
        return Compiled(regex, ())
    # Any one option may match, so all that is certain is one word from some option.
    return Compiled(regex, (frozenset().union(*(best(option.needs) for option in options)),))


def best(needs: tuple[AnchorGroup, ...]) -> AnchorGroup:
    """The group least likely to be met by ordinary text: the one to index a pattern by."""
    return min(needs, key=cost)


def cost(anchors: AnchorGroup) -> float:
    """Lower is better: no everyday words, no short words or stems, and few of them."""
    cost = 0.0
    for kind, word in anchors:
        cost += 50.0 if word in _COMMON else 5.0 if len(word) < 4 else 1.0 + 1.0 / len(word)
        if kind == "p" and len(word) < 4:
            cost += 5.0
    return cost
