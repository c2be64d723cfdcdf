"""`waitingroom risk`: assess messages from standard input, or check the rule files.

    waitingroom risk < messages.txt          one JSON assessment per input line
    waitingroom risk --explain < messages    the same, with the words the rules read
    waitingroom risk --check                 every rule's own examples; exit 1 on a failure
    waitingroom risk --check --rules FILE    the same for a draft rule file or folder

Also runs alone: ``python -m bot.risk.cli --check``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import RuleError, RuleSet, load_ruleset


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="run every rule's inline examples; exit 1 if any fails"
    )
    parser.add_argument(
        "--rules",
        type=Path,
        metavar="PATH",
        help="a rule file or folder (default: the packaged rules)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="add the normalised words the rules read (for rule reviewers)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        ruleset = load_ruleset(args.rules)
    except RuleError as error:
        print(f"risk rules: {error}", file=sys.stderr)
        return 2
    if args.check:
        return check(ruleset)
    for line in sys.stdin:
        message = [line.rstrip("\r\n")]
        result = ruleset.assess(message).as_dict()
        if args.explain:
            result["read_as"] = ruleset.normalise(message)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


def check(ruleset: RuleSet) -> int:
    failures = example_failures(ruleset)
    for failure in failures:
        print(failure)
    examples = sum(len(r.match_examples) + len(r.no_match_examples) for r in ruleset.rules)
    print(
        f"{len(ruleset.rules)} rules, {examples} examples, {len(failures)} failing "
        f"(ruleset {ruleset.version})"
    )
    return 1 if failures else 0


def example_failures(ruleset: RuleSet) -> list[str]:
    """Each rule's `match` examples must fire it; its `no_match` examples must not."""
    failures = []
    for rule in ruleset.rules:
        for example in rule.match_examples:
            fired = ruleset.assess_or_raise([example]).rules
            if rule.id not in fired:
                failures.append(
                    f"{rule.source}: rule {rule.id!r}: should match {example!r} "
                    f"(fired: {', '.join(fired) or 'nothing'})"
                )
        for example in rule.no_match_examples:
            if rule.id in ruleset.assess_or_raise([example]).rules:
                failures.append(f"{rule.source}: rule {rule.id!r}: should not match {example!r}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="risk", description=__doc__.split("\n")[0])
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
