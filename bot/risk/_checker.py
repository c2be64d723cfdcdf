"""Running a compiled rule set over a window of messages.

Order of work, cheapest first: normalise each message (cached); collect the words; pick
only the rules that have every word they need (most chat picks none and stops here); run
those rules' regexes over the joined window; adjust each match for negation and past
timing; then the rules that only count alongside another category (``needs``).
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from ._model import INTERNAL_ERROR, Assessment, Level
from ._patterns import AnchorGroup, best
from ._rules import Built, Rule

log = logging.getLogger(__name__)
# Prefix anchors are indexed by up to this many leading letters.
_STEM = 3
# Only short words are cached, and only so many, so no input can fill memory.
_CACHE_WORD_MAX = 48
_CACHE_WORDS = 65536
_NONE: frozenset[str] = frozenset()


def texts(messages: Sequence[str] | str) -> list[str]:
    """The messages as text, whatever arrived: one string, bytes, None, other objects."""
    if isinstance(messages, str):
        return [messages]
    out: list[str] = []
    for item in messages:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, bytes | bytearray):
            out.append(bytes(item).decode("utf-8", "replace"))
        elif item is not None:
            out.append(str(item))
    return out


def failed_safe(version: str) -> Assessment:
    return Assessment(Level.CONCERN, (), (INTERNAL_ERROR,), version)


class _Window:
    """The joined text of a window, with where each clause starts and its message's clauses."""

    __slots__ = ("spans", "starts", "text")

    def __init__(self, clauses: list[str], spans: list[tuple[int, int]]) -> None:
        self.text = " " + " ".join(clauses) + " "
        self.spans = spans
        # starts[i] is the space before clause i; the last entry is the closing space.
        self.starts = [0]
        for clause in clauses:
            self.starts.append(self.starts[-1] + len(clause) + 1)


class _Index:
    """Which rules could match, given the words present; cached per word."""

    def __init__(self, needs: Sequence[Sequence[tuple[AnchorGroup, ...]]]) -> None:
        group_ids: dict[AnchorGroup, int] = {}
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[tuple[str, int]]] = {}
        # A pattern is filed under its least common group, with all the groups it needs.
        self._by_group: dict[int, list[tuple[int, frozenset[int]]]] = {}
        self.always: set[int] = set()
        self._cache: dict[str, frozenset[int]] = {}
        for rule, patterns in enumerate(needs):
            for pattern in patterns:
                if not pattern:  # nothing to go on (a bare regular expression): always try
                    self.always.add(rule)
                    continue
                ids: dict[AnchorGroup, int] = {}
                for group in pattern:
                    if group not in group_ids:
                        group_ids[group] = len(group_ids)
                        for kind, word in group:
                            if kind == "w":
                                self._exact.setdefault(word, []).append(group_ids[group])
                            else:
                                self._prefix.setdefault(word[:_STEM], []).append(
                                    (word, group_ids[group])
                                )
                    ids[group] = group_ids[group]
                self._by_group.setdefault(ids[best(pattern)], []).append(
                    (rule, frozenset(ids.values()))
                )

    def candidates(self, words: Iterable[str]) -> set[int]:
        present: set[int] = set()
        for word in words:
            groups = self._cache.get(word)
            if groups is None:
                groups = self._groups(word)
                if len(word) <= _CACHE_WORD_MAX and len(self._cache) < _CACHE_WORDS:
                    self._cache[word] = groups
            present |= groups
        found = set(self.always)
        for group in present:
            for rule, needed in self._by_group.get(group, ()):
                if needed <= present:
                    found.add(rule)
        return found

    def _groups(self, word: str) -> frozenset[int]:
        found = set(self._exact.get(word, ()))
        for length in range(1, _STEM + 1):
            for stem, group in self._prefix.get(word[:length], ()):
                if word.startswith(stem):
                    found.add(group)
        return frozenset(found)


class RuleSet:
    """A loaded, compiled rule set. ``assess`` never raises: on error it answers CONCERN."""

    def __init__(self, built: Built) -> None:
        self.version = built.version
        self.rules: tuple[Rule, ...] = built.rules
        self._built = built
        self._normaliser = built.normaliser
        self._none = Assessment(Level.NONE, (), (), built.version)
        # A rule is tried only when one of its patterns has all the words it needs; a rule
        # with `needs` only after a rule of a category it needs has fired.
        self._needing = frozenset(i for i, rule in enumerate(built.rules) if rule.needs)
        self._index = _Index(built.needs)

    def __repr__(self) -> str:
        return f"RuleSet(version={self.version!r}, rules={len(self.rules)})"

    def assess(self, messages: Sequence[str]) -> Assessment:
        """Assess a window of one person's messages, oldest first; fails safe, never raises."""
        try:
            return self.assess_or_raise(messages)
        except Exception as error:  # a missed disclosure is worse than a needless question
            log.error("risk check failed (%s); answering concern", type(error).__name__)
            return failed_safe(self.version)

    def assess_or_raise(
        self, messages: Sequence[str], own: Sequence[frozenset[str]] = ()
    ) -> Assessment:
        """As ``assess``, but a bug raises: for checking the rules themselves.

        ``own``, per message: the ordinary words of the language it is written in, never
        read as English text-speak (see ``Normaliser.clauses``).
        """
        clauses: list[str] = []
        # For each clause, the range of clauses of its message: timing is read per message.
        spans: list[tuple[int, int]] = []
        for number, text in enumerate(texts(messages)):
            found = self._normaliser.clauses(text, own[number] if number < len(own) else _NONE)
            spans.extend([(len(clauses), len(clauses) + len(found) - 1)] * len(found))
            clauses.extend(found)
        if not clauses:
            return self._none
        candidates = self._index.candidates(set(" ".join(clauses).split()))
        if candidates <= self._needing:
            return self._none
        return self._run(_Window(clauses, spans), candidates)

    def negated(self, before: str) -> bool:
        """Whether the words just before a phrase negate it, as the rules read negation."""
        return self._negated(before)

    def continues(self, text: str) -> bool:
        """Whether a message goes on with the sentence of the one before it: it begins with
        a continuation word ("on the edge" / "of my seat"), as the rules' files list them."""
        clauses = self._normaliser.clauses(text, _NONE)
        first = clauses[0].split()[:1] if clauses else []
        return bool(first) and first[0] in self._built.continuation

    def normaliser_phrase(self, text: str) -> list[str]:
        """A lexicon's own words, normalised as the rules' words are."""
        return self._normaliser.phrase(text)

    def normalise(self, messages: Sequence[str], own: Sequence[frozenset[str]] = ()) -> list[str]:
        """The clauses the rules read, for explaining a decision (never logged)."""
        return [
            c
            for number, text in enumerate(texts(messages))
            for c in self._normaliser.clauses(text, own[number] if number < len(own) else _NONE)
        ]

    def written(
        self, messages: Sequence[str], own: Sequence[frozenset[str]] = ()
    ) -> list[tuple[str, str]]:
        """What ``normalise`` reads, as (read as, word as typed) for each word typed, in
        order (for explaining a decision in the person's own words; never logged)."""
        return [
            pair
            for number, text in enumerate(texts(messages))
            for pair in self._normaliser.written(text, own[number] if number < len(own) else _NONE)
        ]

    def _run(self, window: _Window, candidates: set[int]) -> Assessment:
        rules = self.rules
        fired: dict[int, Level] = {}
        for index in sorted(candidates - self._needing):
            level = self._level(index, window)
            if level:
                fired[index] = level
        if not fired:
            return self._none
        present = {c for index in fired for c in rules[index].categories}
        for index in sorted(candidates & self._needing):
            if present.intersection(rules[index].needs):
                level = self._level(index, window)
                if level:
                    fired[index] = level
        return Assessment(
            level=max(fired.values()),
            categories=tuple(sorted({c for index in fired for c in rules[index].categories})),
            rules=tuple(sorted({rules[index].id for index in fired})),
            ruleset_version=self.version,
        )

    def _level(self, index: int, window: _Window) -> Level:
        """The rule's level over its best match, after negation and timing; NONE if no match."""
        rule = self._built.rules[index]
        level = Level.NONE
        for match in self._built.regexes[index].finditer(window.text):
            if rule.level < Level.URGENT or not rule.lowered_by:
                return rule.level
            if not self._lowered(rule, window, match.start(), match.end()):
                return Level.URGENT
            level = Level.CONCERN
        return level

    def _lowered(self, rule: Rule, window: _Window, begin: int, end: int) -> bool:
        """Whether this match of an urgent rule reads as negated or as past (never to NONE)."""
        text, starts = window.text, window.starts
        first = bisect_right(starts, begin - 1) - 1
        if "negation" in rule.lowered_by and self._negated(text[starts[first] + 1 : begin]):
            return True
        if "past" in rule.lowered_by and self._built.past:
            # Past cues count only in the match's own messages ("I want to die" then "I used
            # to be happy" is not past); a present cue also counts in the messages either
            # side, as an SMS split in two can carry it ("...years ago and I", "feel it again").
            last = max(first, bisect_right(starts, end - 2) - 1)
            begin_clause, end_clause = window.spans[first][0], window.spans[last][1]
            if not self._built.past.search(text, starts[begin_clause], starts[end_clause + 1] + 1):
                return False
            wider_begin = window.spans[max(begin_clause - 1, 0)][0]
            wider_end = window.spans[min(end_clause + 1, len(window.spans) - 1)][1]
            present = self._built.present
            return not (
                present and present.search(text, starts[wider_begin], starts[wider_end + 1] + 1)
            )
        return False

    def _negated(self, before: str) -> bool:
        negation = self._built.negation
        for word in reversed(before.split()[-negation.reach :]):
            if word in negation.words:
                return True
            if word in negation.stop_at:
                return False
        return False
