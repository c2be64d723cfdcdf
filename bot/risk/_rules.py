"""Reading the reviewed rule files: strict YAML, validated, errors naming file and rule.

A rule set is one YAML file or a folder of them (read in name order). Every file states
the same ``version``; sections other than ``rules`` and ``version`` may appear in any one
file, and a name (slot, spelling) may be defined only once across all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._model import CATEGORIES, Level
from ._normalise import Normaliser, one_token
from ._patterns import AnchorGroup, PatternCompiler, PatternError

DEFAULT_RULES = Path(__file__).parent / "rules"

_FILE_KEYS = frozenset(
    {
        "version",
        "about",
        "rules",
        "slots",
        "spellings",
        "emoji",
        "fuzzy",
        "not_fuzzy",
        "negation",
        "timing",
        "continuation",
    }
)
_RULE_KEYS = frozenset(
    {"id", "category", "level", "patterns", "rationale", "examples", "needs", "lowered_by"}
)
_REQUIRED_RULE_KEYS = ("id", "category", "level", "patterns", "rationale", "examples")
_EXAMPLE_KEYS = frozenset({"match", "no_match"})
_NEGATION_KEYS = frozenset({"words", "reach", "stop_at"})
_TIMING_KEYS = frozenset({"past", "present"})
_LOWERED_BY = frozenset({"negation", "past"})
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VERSION = re.compile(r"\d{4}\.\d{1,2}\.\d+")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and, where known, the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One reviewed rule, as written, plus where it came from."""

    id: str
    categories: tuple[str, ...]
    level: Level
    patterns: tuple[str, ...]
    rationale: str
    match_examples: tuple[str, ...]
    no_match_examples: tuple[str, ...]
    needs: tuple[str, ...] = ()
    lowered_by: frozenset[str] = _LOWERED_BY
    source: str = ""


@dataclass(frozen=True, slots=True)
class Negation:
    words: frozenset[str]
    reach: int
    stop_at: frozenset[str]


@dataclass(slots=True)
class Parsed:
    """Everything read from the files, before compiling."""

    version: str = ""
    rules: list[Rule] = field(default_factory=list)
    slots: dict[str, list[str]] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)
    emoji: dict[str, str] = field(default_factory=dict)
    fuzzy: list[str] = field(default_factory=list)
    not_fuzzy: list[str] = field(default_factory=list)
    negation: Negation = field(default_factory=lambda: Negation(frozenset(), 0, frozenset()))
    past: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    continuation: list[str] = field(default_factory=list)
    # Which file defined each slot, spelling and the timing cues, for error messages.
    sources: dict[str, str] = field(default_factory=dict)


class _StrictLoader(yaml.CSafeLoader):
    """Safe YAML that refuses a key given twice (PyYAML would silently keep the last)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise RuleError(f"{path}: no .yaml rule files in this folder")
        return files
    if not path.exists():
        raise RuleError(f"{path}: no such rule file or folder")
    return [path]


def read(path: Path) -> Parsed:
    parsed = Parsed()
    seen_sections: dict[str, Path] = {}
    for file in rule_files(path):
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=_StrictLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise RuleError(f"{file}: cannot read: {error}") from None
        _read_file(file, data, parsed, seen_sections)
    if not parsed.version:
        raise RuleError(f"{path}: no version")
    if not parsed.rules:
        raise RuleError(f"{path}: no rules")
    ids: dict[str, str] = {}
    for rule in parsed.rules:
        if rule.id in ids:
            raise RuleError(
                f"{rule.source}: rule {rule.id!r}: duplicate id (also in {ids[rule.id]})"
            )
        ids[rule.id] = rule.source
    return parsed


def _read_file(file: Path, data: object, parsed: Parsed, seen: dict[str, Path]) -> None:
    where = str(file)
    if not isinstance(data, dict):
        raise RuleError(f"{where}: expected a mapping with 'version' at the top")
    unknown = sorted(set(data) - _FILE_KEYS, key=str)
    if unknown:
        raise RuleError(f"{where}: unknown top-level key(s) {unknown}; known: {sorted(_FILE_KEYS)}")
    version = data.get("version")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise RuleError(
            f"{where}: 'version' must be quoted text like \"2026.11.1\", got {version!r}"
        )
    if parsed.version and version != parsed.version:
        raise RuleError(
            f"{where}: version {version!r} differs from {parsed.version!r} in the "
            "other rule files; review and bump them together"
        )
    parsed.version = version
    for section in ("negation", "timing", "fuzzy", "not_fuzzy", "continuation"):
        if section in data:
            if section in seen:
                raise RuleError(f"{where}: '{section}' is already given in {seen[section]}")
            seen[section] = file
    for name, entries in _named_lists(where, "slots", data.get("slots")).items():
        if not _NAME.fullmatch(name):
            raise RuleError(f"{where}: slot name {name!r} must be lower_case_with_underscores")
        if name in parsed.slots:
            raise RuleError(f"{where}: slot {{{name}}} is defined twice")
        parsed.slots[name] = entries
        parsed.sources[f"slot {{{name}}}"] = where
    for canonical, typed in _named_lists(where, "spellings", data.get("spellings")).items():
        for variant in typed:
            key = variant.lower()
            if key in parsed.spellings:
                raise RuleError(
                    f"{where}: spelling {variant!r} is listed twice "
                    f"({parsed.spellings[key]!r} and {canonical!r})"
                )
            parsed.spellings[key] = canonical.lower()
            parsed.sources[f"spelling {key!r}"] = where
    for word, symbols in _named_lists(where, "emoji", data.get("emoji")).items():
        for symbol in symbols:
            char = symbol.replace("\ufe0f", "")
            if len(char) != 1:
                raise RuleError(f"{where}: emoji {symbol!r} for {word!r} must be one character")
            parsed.emoji[char] = word.lower()
    parsed.fuzzy.extend(_strings(where, "fuzzy", data.get("fuzzy", [])))
    parsed.not_fuzzy.extend(_strings(where, "not_fuzzy", data.get("not_fuzzy", [])))
    if "negation" in data:
        parsed.negation = _negation(where, data["negation"])
    parsed.continuation.extend(_strings(where, "continuation", data.get("continuation", [])))
    if "timing" in data:
        timing = data["timing"]
        if not isinstance(timing, dict) or set(timing) - _TIMING_KEYS:
            raise RuleError(f"{where}: 'timing' takes only {sorted(_TIMING_KEYS)}")
        parsed.past = _strings(where, "timing.past", timing.get("past", []))
        parsed.sources["timing"] = where
        parsed.present = _strings(where, "timing.present", timing.get("present", []))
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise RuleError(f"{where}: 'rules' must be a list")
    for index, raw in enumerate(rules, 1):
        parsed.rules.append(_rule(where, index, raw))


def _rule(where: str, index: int, raw: object) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: rule #{index}: expected a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise RuleError(
            f"{where}: rule #{index}: 'id' must be lower-case words joined by '-', got {rule_id!r}"
        )
    here = f"{where}: rule {rule_id!r}"
    unknown = sorted(set(raw) - _RULE_KEYS, key=str)
    if unknown:
        raise RuleError(f"{here}: unknown key(s) {unknown}; known: {sorted(_RULE_KEYS)}")
    missing = [key for key in _REQUIRED_RULE_KEYS if key not in raw]
    if missing:
        raise RuleError(f"{here}: missing {missing}")
    categories = _categories(here, "category", raw["category"])
    level_text = raw["level"]
    if level_text not in ("concern", "urgent"):
        raise RuleError(f"{here}: 'level' must be concern or urgent, got {level_text!r}")
    patterns = _strings(here, "patterns", raw["patterns"])
    if not patterns:
        raise RuleError(f"{here}: 'patterns' is empty")
    rationale = raw["rationale"]
    if not isinstance(rationale, str) or not rationale.strip():
        raise RuleError(f"{here}: 'rationale' must say why the rule exists")
    examples = raw["examples"]
    if not isinstance(examples, dict) or set(examples) - _EXAMPLE_KEYS:
        raise RuleError(f"{here}: 'examples' takes only {sorted(_EXAMPLE_KEYS)}")
    matches = _strings(here, "examples.match", examples.get("match", []))
    if not matches:
        raise RuleError(f"{here}: give at least one 'examples.match'")
    no_matches = _strings(here, "examples.no_match", examples.get("no_match", []))
    needs = _categories(here, "needs", raw["needs"]) if "needs" in raw else ()
    lowered = _strings(here, "lowered_by", raw.get("lowered_by", sorted(_LOWERED_BY)))
    if set(lowered) - _LOWERED_BY:
        raise RuleError(f"{here}: 'lowered_by' takes {sorted(_LOWERED_BY)}, got {lowered}")
    return Rule(
        id=rule_id,
        categories=categories,
        level=Level.from_label(level_text),
        patterns=tuple(patterns),
        rationale=rationale.strip(),
        match_examples=tuple(matches),
        no_match_examples=tuple(no_matches),
        needs=needs,
        lowered_by=frozenset(lowered),
        source=where,
    )


def _categories(here: str, key: str, value: object) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise RuleError(f"{here}: '{key}' must be a category id or a list of them")
    unknown = [name for name in names if name not in CATEGORIES]
    if unknown:
        raise RuleError(f"{here}: unknown category {unknown} in '{key}'; known: {list(CATEGORIES)}")
    return tuple(dict.fromkeys(names))


def _strings(here: str, key: str, value: object) -> list[str]:
    if not isinstance(value, list):
        raise RuleError(f"{here}: '{key}' must be a list")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise RuleError(
                f"{here}: '{key}' has {item!r}; every entry must be text (quote "
                "entries YAML reads otherwise: no, yes, on, off, or starting with "
                "[ { ! * &)"
            )
    return [item.strip() for item in value]


def _named_lists(where: str, section: str, value: object) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuleError(f"{where}: '{section}' must be a mapping of name to list")
    return {
        str(name): _strings(f"{where}: {section} {name!r}", "entries", entries)
        for name, entries in value.items()
    }


def _negation(where: str, value: object) -> Negation:
    if not isinstance(value, dict) or set(value) - _NEGATION_KEYS:
        raise RuleError(f"{where}: 'negation' takes only {sorted(_NEGATION_KEYS)}")
    reach = value.get("reach", 4)
    if not isinstance(reach, int) or isinstance(reach, bool) or not 1 <= reach <= 8:
        raise RuleError(f"{where}: 'negation.reach' must be a whole number from 1 to 8")
    return Negation(
        words=frozenset(_strings(where, "negation.words", value.get("words", []))),
        reach=reach,
        stop_at=frozenset(_strings(where, "negation.stop_at", value.get("stop_at", []))),
    )


@dataclass(frozen=True, slots=True)
class Built:
    """What the checker needs: normaliser, compiled rules, negation and timing."""

    version: str
    rules: tuple[Rule, ...]
    regexes: tuple[re.Pattern[str], ...]
    # Per rule, per pattern: the anchor groups it needs (see _patterns).
    needs: tuple[tuple[tuple[AnchorGroup, ...], ...], ...]
    normaliser: Normaliser
    negation: Negation
    past: re.Pattern[str] | None
    present: re.Pattern[str] | None
    # Words a message may begin with that go on with the sentence of the message before.
    continuation: frozenset[str] = frozenset()


def build(parsed: Parsed) -> Built:
    for typed, canonical in parsed.spellings.items():
        if not one_token(typed):
            raise RuleError(
                f"{parsed.sources[f'spelling {typed!r}']}: spelling {typed!r} "
                f"(for {canonical!r}) must be one word as typed"
            )
    normaliser = Normaliser(parsed.spellings, parsed.emoji, parsed.fuzzy, parsed.not_fuzzy)
    negation = Negation(
        words=frozenset(w for word in parsed.negation.words for w in normaliser.phrase(word)),
        reach=parsed.negation.reach,
        stop_at=frozenset(w for word in parsed.negation.stop_at for w in normaliser.phrase(word)),
    )
    compiler = PatternCompiler(parsed.slots, normaliser.phrase, negation.words)
    for name in parsed.slots:
        try:
            compiler.slot(name)
        except PatternError as error:
            raise RuleError(
                f"{parsed.sources[f'slot {{{name}}}']}: slot {{{name}}}: {error}"
            ) from None
    regexes: list[re.Pattern[str]] = []
    needs: list[tuple[tuple[AnchorGroup, ...], ...]] = []
    for rule in parsed.rules:
        try:
            compiled = [compiler.pattern(text) for text in rule.patterns]
        except PatternError as error:
            raise RuleError(f"{rule.source}: rule {rule.id!r}: {error}") from None
        regexes.append(re.compile("(?<= )(?:" + "|".join(p.regex for p in compiled) + ")"))
        needs.append(tuple(p.needs for p in compiled))
    try:
        past = _cue_regex(compiler, parsed.past)
        present = _cue_regex(compiler, parsed.present)
    except PatternError as error:
        raise RuleError(f"{parsed.sources.get('timing', '')}: timing: {error}") from None
    known = set(compiler.words) | negation.words | negation.stop_at
    known.update(w for value in parsed.spellings.values() for w in normaliser.phrase(value))
    normaliser.set_known_words(known)
    return Built(
        parsed.version,
        tuple(parsed.rules),
        tuple(regexes),
        tuple(needs),
        normaliser,
        negation,
        past,
        present,
        frozenset(w for word in parsed.continuation for w in normaliser.phrase(word)),
    )


def _cue_regex(compiler: PatternCompiler, cues: Iterable[str]) -> re.Pattern[str] | None:
    bodies = [compiler.pattern(cue).regex for cue in cues]
    return re.compile("(?<= )(?:" + "|".join(bodies) + ")") if bodies else None
