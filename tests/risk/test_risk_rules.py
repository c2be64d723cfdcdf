"""The rule files: the packaged set is complete and self-consistent; bad files are refused.

Every refusal names the file and, where there is one, the rule, so a clinical lead
editing YAML sees where the problem is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.risk import CATEGORIES, DEFAULT_RULES, Level, RuleError, load_ruleset
from bot.risk.cli import example_failures

MINIMAL = """\
version: "2026.11.1"
rules:
  - id: want-to-die
    category: suicidal_intent
    level: urgent
    patterns: ["want* to die"]
    rationale: A wish to die.
    examples: {match: [I want to die], no_match: [dying to see it]}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_packaged_rule_passes_its_own_examples() -> None:
    assert example_failures(load_ruleset()) == []


def test_every_category_has_a_rule_and_every_rule_says_why() -> None:
    ruleset = load_ruleset()
    assert {c for rule in ruleset.rules for c in rule.categories} == set(CATEGORIES)
    for rule in ruleset.rules:
        assert len(rule.rationale) > 20, rule.id
        assert rule.match_examples, rule.id


def test_all_rule_files_carry_the_same_version() -> None:
    versions = {yaml.safe_load(path.read_text(encoding="utf-8"))["version"]
                for path in DEFAULT_RULES.glob("*.yaml")}
    assert versions == {load_ruleset().version}


def test_the_pattern_syntax_is_documented_where_reviewers_read() -> None:
    header = (DEFAULT_RULES / "language.yaml").read_text(encoding="utf-8")
    for syntax in ("word*", "a/b/c", "{slot}", "( ... )", "[a b | c]", "..", "!a/b", "re:"):
        assert syntax in header, syntax


def test_a_single_file_is_a_ruleset(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, "rules.yaml", MINIMAL))
    assert ruleset.version == "2026.11.1"
    assert ruleset.assess(["I want to dieeee"]).rules == ("want-to-die",)
    assert ruleset.assess(["dying to see it"]).level is Level.NONE


def bad(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, "draft.yaml", text)
    with pytest.raises(RuleError) as caught:
        load_ruleset(path)
    message = str(caught.value)
    assert str(path) in message
    return message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    level: urgent", "    level: high"), r"rule 'want-to-die'.*'level' must be"),
        (("    level: urgent", "    level: urgent\n    pattern: [x]"),
         r"rule 'want-to-die'.*unknown key.*'pattern'"),
        (("    category: suicidal_intent", "    category: sadness"),
         r"rule 'want-to-die'.*unknown category \['sadness'\]"),
        (('patterns: ["want* to die"]', 'patterns: ["want* to {death}"]'),
         r"rule 'want-to-die'.*unknown slot \{death\}"),
        (('patterns: ["want* to die"]', 'patterns: ["re:(unclosed"]'),
         r"rule 'want-to-die'.*bad regular expression"),
        (('patterns: ["want* to die"]', 'patterns: ["want [to die"]'),
         r"rule 'want-to-die'.*unclosed"),
        (('patterns: ["want* to die"]', "patterns: [no, reason]"),
         r"rule 'want-to-die'.*quote entries"),
        (('patterns: ["want* to die"]', "patterns: []"), r"rule 'want-to-die'.*empty"),
        (("    rationale: A wish to die.\n", ""), r"rule 'want-to-die'.*missing \['rationale'\]"),
        (("{match: [I want to die], no_match: [dying to see it]}", "{no_match: [x]}"),
         r"rule 'want-to-die'.*at least one 'examples.match'"),
        (("  - id: want-to-die", "  - id: Want To Die"), r"rule #1.*'id' must be"),
        (("    level: urgent", "    level: urgent\n    lowered_by: [jokes]"),
         r"rule 'want-to-die'.*'lowered_by'"),
        (("    level: urgent", "    level: urgent\n    needs: []"), r"rule 'want-to-die'.*'needs'"),
        (('version: "2026.11.1"', "version: 2026.11"), r"'version' must be quoted text"),
        (("rules:", "rule:"), r"unknown top-level key"),
        (("    level: urgent", "    level: urgent\n    level: concern"), r"appears twice"),
    ],
)
def test_a_bad_rule_file_is_refused_naming_file_and_rule(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MINIMAL
    message = bad(tmp_path, MINIMAL.replace(old, new))
    assert re.search(expected, message), message


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MINIMAL)
    write(tmp_path, "b.yaml", MINIMAL)
    with pytest.raises(RuleError, match=r"b\.yaml: rule 'want-to-die': duplicate id \(also in "):
        load_ruleset(tmp_path)


def test_files_of_one_ruleset_must_share_a_version(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MINIMAL)
    write(tmp_path, "b.yaml", 'version: "2026.12.1"\n')
    with pytest.raises(RuleError, match=r"b\.yaml: version '2026.12.1' differs"):
        load_ruleset(tmp_path)


def test_a_slot_defined_twice_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MINIMAL + "slots:\n  me: [myself]\n")
    write(tmp_path, "b.yaml", 'version: "2026.11.1"\nslots:\n  me: [me]\n')
    with pytest.raises(RuleError, match=r"b\.yaml: slot \{me\} is defined twice"):
        load_ruleset(tmp_path)


def test_a_slot_that_refers_to_itself_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", MINIMAL + "slots:\n  loop: ['{loop} again']\n")
    with pytest.raises(RuleError, match=r"a\.yaml: slot \{loop\}.*refers to itself"):
        load_ruleset(path)


def test_missing_and_empty_places_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no such rule file or folder"):
        load_ruleset(tmp_path / "nowhere.yaml")
    with pytest.raises(RuleError, match=r"no \.yaml rule files"):
        load_ruleset(tmp_path)
    with pytest.raises(RuleError, match="cannot read"):
        load_ruleset(write(tmp_path, "broken.yaml", "version: [\n"))
    with pytest.raises(RuleError, match="no rules"):
        load_ruleset(write(tmp_path, "empty.yaml", 'version: "2026.11.1"\n'))


def test_spellings_are_one_word_and_listed_once(tmp_path: Path) -> None:
    twice = MINIMAL + "spellings:\n  want to: [wanna]\n  want: [wanna]\n"
    assert "listed twice" in bad(tmp_path, twice)
    with pytest.raises(RuleError, match=r"two\.yaml: spelling 'wan na'.*must be one word"):
        load_ruleset(write(tmp_path, "two.yaml", MINIMAL + "spellings:\n  want to: [wan na]\n"))


def test_the_pattern_language(tmp_path: Path) -> None:
    rules = MINIMAL + """\
  - id: syntax
    category: method
    level: concern
    patterns:
      - "[right now | tonight] .. bridge !club"
      - take/took (an) overdose*
      - re:\\d+ tablets
    rationale: Exercises the pattern syntax.
    examples: {match: [tonight the bridge, took overdoses, 30 tablets]}
"""
    ruleset = load_ruleset(write(tmp_path, "syntax.yaml", rules))
    fired = [bool(ruleset.assess([text]).rules) for text in (
        "right now the bridge", "tonight bridge", "tonight the bridge club", "right bridge",
        "take an overdose", "took overdoses", "30 tablets", "tablets",
    )]
    assert fired == [True, True, False, False, True, True, True, False]
