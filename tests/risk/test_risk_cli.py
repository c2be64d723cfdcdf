"""`waitingroom risk`: JSON per line on stdin, and --check over every rule's examples."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.risk import cli

BROKEN_EXAMPLE = """\
version: "2026.11.1"
rules:
  - id: want-to-die
    category: suicidal_intent
    level: urgent
    patterns: ["want* to die"]
    rationale: A wish to die.
    examples: {match: [I wish I was dead], no_match: [I want to die]}
"""


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args(argv)
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), io.StringIO(), io.StringIO()
    try:
        code = cli.run(args)
        return code, sys.stdout.getvalue(), sys.stderr.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = old


def test_configure_adds_check_and_rules() -> None:
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args(["--check", "--rules", "x.yaml"])
    assert args.check is True
    assert args.rules == Path("x.yaml")
    assert parser.parse_args([]).check is False
    assert parser.parse_args([]).explain is False


def test_one_json_object_per_input_line() -> None:
    code, out, _ = run([], "I want to kill myself\nhi\n\nmy son has taken an overdose\n")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["level"] for line in lines] == ["urgent", "none", "none", "urgent"]
    assert lines[0]["categories"] == ["suicidal_intent"]
    # The rule that fired, and any other layer's reason beside it (concept:..., learned).
    assert "kill-self" in lines[0]["rules"]
    assert set(lines[3]["categories"]) >= {"act_in_progress", "third_party"}
    assert all(set(line) == {"level", "categories", "rules", "language"} for line in lines)
    assert {line["language"] for line in lines} <= {"en", ""}


def test_explain_shows_the_words_the_rules_read() -> None:
    code, out, _ = run(["--explain"], "Im gonna k1ll myselfff. lol\n")
    assert code == 0
    assert json.loads(out)["read_as"] == ["i am going to kil myself", "lol"]


def test_check_passes_on_the_packaged_rules() -> None:
    code, out, _ = run(["--check"])
    assert code == 0
    assert ", 0 failing (ruleset 2026.11.1)" in out


def test_check_reports_each_failing_example_and_exits_1(tmp_path: Path) -> None:
    rules = tmp_path / "draft.yaml"
    rules.write_text(BROKEN_EXAMPLE, encoding="utf-8")
    code, out, _ = run(["--check", "--rules", str(rules)])
    assert code == 1
    assert f"{rules}: rule 'want-to-die': should match 'I wish I was dead'" in out
    assert f"{rules}: rule 'want-to-die': should not match 'I want to die'" in out
    assert "2 failing" in out


def test_an_invalid_rule_file_is_an_error_naming_it(tmp_path: Path) -> None:
    rules = tmp_path / "draft.yaml"
    rules.write_text(BROKEN_EXAMPLE.replace("level: urgent", "level: severe"), encoding="utf-8")
    code, out, err = run(["--check", "--rules", str(rules)])
    assert code == 2
    assert out == ""
    assert f"{rules}: rule 'want-to-die': 'level' must be concern or urgent" in err


def test_a_custom_rule_file_assesses_stdin(tmp_path: Path) -> None:
    rules = tmp_path / "draft.yaml"
    rules.write_text(BROKEN_EXAMPLE, encoding="utf-8")
    code, out, _ = run(["--rules", str(rules)], "I want to die\n")
    assert code == 0
    # A draft rule file is tried alone: the other layers need the packaged rules' words.
    assert json.loads(out) == {
        "level": "urgent",
        "categories": ["suicidal_intent"],
        "rules": ["want-to-die"],
        "language": "",
    }


@pytest.mark.parametrize(
    ("command", "stdin", "expected_code", "expected_out"),
    [
        ([sys.executable, "-m", "bot.risk.cli", "--check"], "", 0, "0 failing"),
        (
            [sys.executable, "-c", "import sys; from bot.risk.cli import main; sys.exit(main())"],
            "kms\nthis traffic is killing me\n",
            0,
            '"level": "none"',
        ),
    ],
)
def test_it_runs_as_its_own_process(
    command: list[str], stdin: str, expected_code: int, expected_out: str
) -> None:
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == expected_code, done.stderr
    assert expected_out in done.stdout
    if stdin:
        first, second = (json.loads(line) for line in done.stdout.splitlines())
        assert (first["level"], second["level"]) == ("urgent", "none")
