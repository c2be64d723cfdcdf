"""Concept lexicons that compose: the second layer of the risk check.

A window of messages is normalised exactly as the rules read it; then each concept
(``concepts/concepts.yaml``: means, possession, place of danger, lethality questions,
finality, voices, acts done, someone else, age, abuse...) is either present or not; then
combinations of concepts decide the level. So "rope" + "in my bag" is urgent without a
rule for that sentence, and a clinical lead can see which concepts combined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ._model import CATEGORIES, Level

DEFAULT_CONCEPTS = Path(__file__).parent / "concepts" / "concepts.yaml"
# A concept is not counted when negated just before it, as the rules read negation
# (rules/language.yaml `negation`); reading back also stops at these object words, so in
# "won't need him where I'm going" the "not" belongs to "need".
_STOP_AT = frozenset({"him", "her", "them", "it", "me"})
# Clauses and messages are joined with this mark: negation stops at it, phrases do not.
BREAK = "|"
_FRAMES = ("reported", "recovered", "service")
# Frames a present cue does not undo: an idiom ("going to die if i dont finish"), an
# everyday use of a risky word ("rope to tie the shed door", "nurse on a&e, 3 overdoses in
# tonight"): "tonight" there is not the writer's risk. Only a strong present cue undoes them.
_FIRM_FRAMES = ("idiom", "everyday")
# A denial followed by what the writer does want ("not suicidal, just angry", "i dont want to
# hurt myself, i just want someone to listen") frames the negated rule's word; but not when
# anything else of risk is said in the window ("not suicidal, just want it all to stop").
# ("finality" is not listed: its weak words, "the night", "decided", are everyday.)
_DENIAL_UNDONE = frozenset(
    {
        "intent",
        "passive",
        "strong_finality",
        "means",
        "ominous_means",
        "vague_means",
        "act_done",
        "took_them",
        "effects",
        "bleeding",
        "lethality",
        "lethality_weak",
        "brink",
        "danger_strong",
        "urgent_alone",
        "self_harm_word",
        "sh_named",
        "sh_recent",
        "voices",
        "voices_only",
        "command",
        "abuse_now",
        "threat_weapon",
        "kill_threat",
        "distress",
        "terse_act",
    }
)


class ConceptError(ValueError):
    """A concept file that cannot be used: the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Combination:
    id: str
    level: Level
    category: str
    all: frozenset[str]
    unless: frozenset[str]
    match_examples: tuple[str, ...]
    no_match_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Framed:
    """An everyday concept that counts as others only in a frame: a phone battery, a belt,
    bleach for the bathroom are not means; "swallow the batteries", "the belt round my
    neck", "how much bleach would it take" are."""

    concept: str
    counts_as: frozenset[str]
    # Counted only when one of these is present too (none given: always, but for...)
    when_any: frozenset[str]
    # ...an everyday frame ("won't wake up for school", "a lie-in"), which quietens it
    # unless something pressing is present as well (tablets, empty boxes, blood).
    unless_any: frozenset[str] = frozenset()
    except_with: frozenset[str] = frozenset()

    def applies(self, present: set[str] | frozenset[str]) -> bool:
        if self.concept not in present:
            return False
        if self.when_any and not present & self.when_any:
            return False
        return not (present & self.unless_any and not present & self.except_with)


@dataclass(frozen=True, slots=True)
class ConceptReading:
    """What the concept layer found in a window: concepts, combinations, level."""

    level: Level
    concepts: frozenset[str]
    combinations: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def framed(self) -> bool:
        """An idiom, an everyday use, a story, a recovered past, a service question or a
        denial, with no present cue (for an idiom or an everyday use, no strong one:
        "killing me" with "again" is still an idiom)."""
        if "banter" in self.concepts and not self.concepts & {"time_now", "means", "act_done"}:
            # "failed my mock kms 😭😂": the one frame a strong present cue ("kms" itself)
            # does not undo, as the cue is the banter's own word; a time or a means does.
            return True
        if "strong_present" in self.concepts:
            return False
        if self.concepts.intersection(_FIRM_FRAMES):
            return True
        if "denial" in self.concepts and not self.concepts & _DENIAL_UNDONE:
            return True
        if {"petty", "kill_other"} <= self.concepts and not self.concepts & _DENIAL_UNDONE:
            # "going to kill my son, he left the door open again": the threat is a grievance
            return True
        return bool(self.concepts.intersection(_FRAMES)) and "present_cue" not in self.concepts


# Between two words of a phrase a clause break may fall (an SMS split in two, a new
# line): phrases read across breaks, as the rules' patterns do; negation does not.
_SEP = r" (?:\| )?"
_GAP = r" (?:[^ ]+ ){0,5}"


def _phrase_regex(phrase: str, normalise: Callable[[str], list[str]]) -> str:
    out, gap = "", False
    tokens = phrase.split()
    # "^" and "$" at a phrase's ends: "^" starts a clause, "$" ends the window, so
    # "^ took them $" is the last thing said, alone ("took them", "ok. did it"), not
    # "took them to school" nor "did it! finished my first 10k".
    start = bool(tokens) and tokens[0] == "^"
    end = len(tokens) > 1 and tokens[-1] == "$"
    tokens = tokens[1 if start else 0 : -1 if end else None]
    for token in tokens:
        if token == "..":
            out += _GAP
            gap = True
            continue
        if token == "#":  # any number: took 40, 3 boxes
            words = [r"[0-9]+"]
        else:
            star = token.endswith("*")
            words = [re.escape(w) for w in normalise(token.rstrip("*"))]
            if not words:
                raise ValueError(f"phrase {phrase!r} has a word that normalises to nothing")
            if star:
                words[-1] += r"[^ |]*"
        out += ("" if gap or not out else _SEP) + _SEP.join(words)
        gap = False
    if gap or not out:
        raise ValueError(f"phrase {phrase!r} cannot end with ..")
    if start:
        out = r"(?:(?<=^ )|(?<=\| ))" + out
    if end:
        out += r"(?= $)"
    return out


def _compile(phrases: Sequence[str], normalise: Callable[[str], list[str]]) -> re.Pattern[str]:
    # Longest first, so "in front of a train" is preferred to "in front of".
    alternatives = sorted({_phrase_regex(p, normalise) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<= )(?:" + "|".join(alternatives) + r")(?= )")


class ConceptLayer:
    """Compiled concepts and combinations; ``read`` is pure and never does I/O."""

    def __init__(
        self,
        data: Mapping[str, Any],
        normalise: Callable[[str], list[str]],
        source: str,
        negated: Callable[[str], bool] = lambda before: False,
    ) -> None:
        self.source = source
        self._negated = negated
        self.version = str(data.get("version", "unknown"))
        lexicons: dict[str, list[str]] = {}
        for key in ("concepts", "extra"):
            for name, phrases in (data.get(key) or {}).items():
                if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                    raise ConceptError(f"{source}: concept {name!r}: a list of phrases, please")
                lexicons[str(name)] = [str(p) for p in phrases]
        self.regexes: dict[str, re.Pattern[str]] = {}
        for name, phrases in lexicons.items():
            try:
                self.regexes[name] = _compile(phrases, normalise)
            except (ValueError, re.error) as error:
                raise ConceptError(f"{source}: concept {name!r}: {error}") from error
        self.unions: dict[str, frozenset[str]] = {
            str(name): frozenset(parts) for name, parts in (data.get("unions") or {}).items()
        }
        known = set(self.regexes) | set(self.unions)
        for name, parts in self.unions.items():
            if not parts <= set(self.regexes):
                raise ConceptError(f"{source}: union {name!r} names an unknown concept")
        framed = []
        for entry in data.get("framed") or []:
            try:
                rule = Framed(
                    concept=str(entry["concept"]),
                    counts_as=frozenset(str(c) for c in entry["counts_as"]),
                    when_any=frozenset(str(c) for c in entry.get("when_any") or ()),
                    unless_any=frozenset(str(c) for c in entry.get("unless_any") or ()),
                    except_with=frozenset(str(c) for c in entry.get("except_with") or ()),
                )
            except (KeyError, TypeError) as error:
                raise ConceptError(f"{source}: framed entry {entry!r}: {error}") from error
            named = rule.counts_as | rule.when_any | rule.unless_any | rule.except_with
            strays = ({rule.concept} | named) - known
            if strays:
                raise ConceptError(f"{source}: framed {rule.concept!r}: unknown {sorted(strays)}")
            framed.append(rule)
        self.framed: tuple[Framed, ...] = tuple(framed)
        # Concepts read even just after a negation: a frame ("won't wake up for school")
        # is a frame whatever comes before it.
        self.never_negated = frozenset(str(c) for c in data.get("never_negated") or ())
        if self.never_negated - set(self.regexes):
            raise ConceptError(f"{source}: never_negated names an unknown concept")
        combinations = []
        for entry in data.get("combinations") or []:
            where = f"{source}: combination {entry.get('id')!r}"
            try:
                combination = Combination(
                    id=str(entry["id"]),
                    level=Level.from_label(str(entry["level"])),
                    category=str(entry["category"]),
                    all=frozenset(entry["all"]),
                    unless=frozenset(entry.get("unless") or ()),
                    match_examples=tuple((entry.get("examples") or {}).get("match") or ()),
                    no_match_examples=tuple((entry.get("examples") or {}).get("no_match") or ()),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise ConceptError(f"{where}: {error}") from error
            unknown = (combination.all | combination.unless) - known
            if unknown:
                raise ConceptError(f"{where}: unknown concepts {sorted(unknown)}")
            if combination.category not in CATEGORIES:
                raise ConceptError(f"{where}: unknown category {combination.category!r}")
            combinations.append(combination)
        if not combinations:
            raise ConceptError(f"{source}: no combinations")
        self.combinations: tuple[Combination, ...] = tuple(combinations)

    def concepts(self, text: str) -> frozenset[str]:
        """The concepts present, unnegated, in a window text (`` a b | c d ``)."""
        found = set()
        for name, regex in self.regexes.items():
            for match in regex.finditer(text):
                before = text[max(0, match.start() - 80) : match.start()].split()
                kept: list[str] = []
                for word in reversed(before):
                    if word == BREAK or word in _STOP_AT:
                        break
                    kept.append(word)
                if name in self.never_negated or not self._negated(" ".join(reversed(kept))):
                    found.add(name)
                    break
        return self.with_unions(found)

    def negated_concepts(self, text: str) -> frozenset[str]:
        """The concepts whose phrases are in a window text only negated: a negation read as
        the rules read it, within their reach just before a phrase in its clause, not a
        negation word anywhere ("cant swim" negates no concept)."""
        return self.with_unions(set(self._bare(text))) - self.concepts(text)

    def _bare(self, text: str) -> Iterator[str]:
        for name, regex in self.regexes.items():
            if name not in self.never_negated and regex.search(text):
                yield name

    @property
    def names(self) -> frozenset[str]:
        """Every concept a combination can name (for other layers that add concepts)."""
        return frozenset(self.regexes) | frozenset(self.unions)

    def with_unions(self, found: set[str] | frozenset[str]) -> frozenset[str]:
        """The concepts with their unions, and an everyday object counted as means when a
        frame of harm is present (``framed``; from any layer, any language)."""
        out = self._unions(set(found))
        # Each rule reads what the phrases found, not what another rule added.
        adds = [rule.counts_as for rule in self.framed if rule.applies(out)]
        grown = False
        for counts_as in adds:
            if not counts_as <= out:
                out |= counts_as
                grown = True
        return frozenset(self._unions(out) if grown else out)

    def _unions(self, out: set[str]) -> set[str]:
        for name, parts in self.unions.items():
            if out & parts:
                out.add(name)
        return out

    def read(self, text: str) -> ConceptReading:
        return self.decide(self.concepts(text))

    def decide(self, present: frozenset[str]) -> ConceptReading:
        """The combinations a set of concepts makes."""
        fired = [c for c in self.combinations if c.all <= present and not (c.unless & present)]
        return ConceptReading(
            level=max((c.level for c in fired), default=Level.NONE),
            concepts=present,
            combinations=tuple(sorted(c.id for c in fired)),
            categories=tuple(sorted({c.category for c in fired})),
        )


def load_concepts(
    normalise: Callable[[str], list[str]],
    path: Path | None = None,
    negated: Callable[[str], bool] = lambda before: False,
) -> ConceptLayer:
    path = Path(path) if path is not None else DEFAULT_CONCEPTS
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, yaml.YAMLError) as error:
        raise ConceptError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise ConceptError(f"{path}: not a mapping")
    return ConceptLayer(data, normalise, str(path), negated)
