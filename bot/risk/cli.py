"""`waitingroom risk`: assess messages from standard input, check the layers, rebuild.

    waitingroom risk < messages.txt          one JSON assessment per input line
    waitingroom risk --explain < messages    the same, with why: each layer's reading, the
                                             concepts found, the words and phrases of the
                                             message that weighed most in the learned layer
                                             (with their pull; as read and as typed) and
                                             the nearest reviewed examples
    waitingroom risk --layers rules,concepts only these layers (for comparing them)
    waitingroom risk --check                 every rule's and combination's own examples;
                                             exit 1 on a failure
    waitingroom risk --check --rules FILE    the same for a draft rule file or folder
    waitingroom risk build                   retrain the learned layer from the reviewed
                                             data and write bot/risk/data/model.json
    waitingroom risk build --verify          exit 1 if the committed model is not what the
                                             data gives

Also runs alone: ``python -m bot.risk.cli --check``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import LAYERS, Detector, RuleError, RuleSet, load_detector
from ._learned import DEFAULT_MODEL, as_typed, ranked, similar


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=["assess", "build"],
        default="assess",
        help="assess messages from standard input (default), or rebuild the learned layer",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="run every rule's and combination's inline examples; exit 1 if any fails",
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
        help="add why: each layer's reading, concepts, weighty words, nearest examples",
    )
    parser.add_argument(
        "--layers",
        default=None,
        help=f"comma-separated layers to use (default all: {','.join(LAYERS)}; "
        "with --rules, only rules)",
    )
    parser.add_argument("--verify", action="store_true", help="with build: compare, do not write")


def run(args: argparse.Namespace) -> int:
    if args.action == "build":
        return build(args.verify)
    try:
        chosen = args.layers or ("rules" if args.rules is not None else ",".join(LAYERS))
        detector = load_detector(args.rules, [x for x in chosen.split(",") if x])
    except RuleError as error:
        print(f"risk rules: {error}", file=sys.stderr)
        return 2
    if args.check:
        return check(detector)
    for line in sys.stdin:
        message = [line.rstrip("\r\n")]
        result = detector.assess(message).as_dict()
        if args.explain:
            result.update(explain(detector, message))
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


def explain(detector: Detector, messages: Sequence[str]) -> dict[str, object]:
    """Why a window was assessed as it was: for reviewers, never logged."""
    ruled, concepts, learned, language = detector.readings(messages)
    window = detector.window_text(messages)
    out: dict[str, object] = {
        "read_as": detector.rules.normalise(messages),
        "layers": {
            "rules": {"level": ruled.level.label, "rules": list(ruled.rules)},
        },
    }
    layers: dict[str, object] = out["layers"]  # type: ignore[assignment]
    if concepts is not None:
        layers["concepts"] = {
            "level": concepts.level.label,
            "concepts": sorted(concepts.concepts),
            "combinations": list(concepts.combinations),
            "framed": concepts.framed,
        }
    if learned is not None and detector.learned is not None:
        from ._train import training_cases

        examples = [
            (detector.window_text(list(m)), level, " || ".join(m))
            for level, m, _ in training_cases()
        ]
        layers["learned"] = {
            "level": learned.level.label,
            "risk": learned.risk,
            "urgent": learned.urgent,
            # The words and phrases of ``read_as``, not n-grams: what a lead can read;
            # then the same pulls given to the words as they were typed.
            "words": detector.learned.explain(window),
            "words_as_typed": {
                head: ranked(as_typed(pulled, detector.window_written(messages)))
                for head, pulled in detector.learned.pulls(window).items()
            },
            "nearest_examples": similar(window, examples, spec=detector.learned.features),
        }
    if language is not None:
        layers["languages"] = {
            "language": language.language,
            "level": language.level.label,
            "found": list(language.found),
        }
    return out


def build(verify: bool) -> int:
    """Retrain the learned layer from the reviewed data: the same data, the same bytes."""
    try:
        import sklearn  # type: ignore[import-untyped]  # noqa: F401 - a dev extra

        from ._train import built
    except ImportError as error:
        print(f"risk build needs the dev extras (scikit-learn): {error}", file=sys.stderr)
        return 2
    text = built()
    if verify:
        same = DEFAULT_MODEL.exists() and DEFAULT_MODEL.read_text(encoding="utf-8") == text
        print("model.json matches the data" if same else "model.json is out of date")
        return 0 if same else 1
    DEFAULT_MODEL.write_text(text, encoding="utf-8")
    print(f"wrote {DEFAULT_MODEL} ({len(text):,} bytes)")
    return 0


def check(detector: Detector) -> int:
    failures = example_failures(detector.rules) + combination_failures(detector)
    for failure in failures:
        print(failure)
    ruleset = detector.rules
    examples = sum(len(r.match_examples) + len(r.no_match_examples) for r in ruleset.rules)
    combinations = detector.concepts.combinations if detector.concepts else ()
    print(
        f"{len(ruleset.rules)} rules, {len(combinations)} combinations, {examples} examples, "
        f"{len(failures)} failing (ruleset {ruleset.version})"
    )
    return 1 if failures else 0


def combination_failures(detector: Detector) -> list[str]:
    """Each combination's `match` examples must fire it; its `no_match` ones must not."""
    if detector.concepts is None:
        return []
    failures = []
    for combination in detector.concepts.combinations:
        for example, wanted in [(e, True) for e in combination.match_examples] + [
            (e, False) for e in combination.no_match_examples
        ]:
            reading = detector.concepts.read(detector.window_text([example]))
            if (combination.id in reading.combinations) != wanted:
                failures.append(
                    f"{detector.concepts.source}: combination {combination.id!r}: should "
                    f"{'' if wanted else 'not '}match {example!r} "
                    f"(concepts: {', '.join(sorted(reading.concepts)) or 'none'})"
                )
    return failures


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
