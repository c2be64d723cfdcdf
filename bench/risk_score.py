"""Score the risk check on a labelled message set: urgent recall, any-risk recall, benign
specificity. Not a test: it prints figures.

    .venv/bin/python bench/risk_score.py tests/risk/fresh.yaml [--misses]

The set's format is tests/risk/golden.yaml's: [level, text or window, (categories)].
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.risk import LAYERS, Detector, load_detector  # noqa: E402 - after the path is set


def load(path: Path) -> list[tuple[str, list[str]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for entries in data.values():
        for level, text, *_ in entries:
            out.append((level, list(text) if isinstance(text, list) else [text]))
    return out


def score(
    cases: list[tuple[str, list[str]]], detector: Detector, show: bool = False
) -> dict[str, float]:
    urgent = [c for c in cases if c[0] == "urgent"]
    risky = [c for c in cases if c[0] != "none"]
    benign = [c for c in cases if c[0] == "none"]
    got = {id(c): detector.assess(c[1]).level.label for c in cases}
    figures = {
        "urgent_recall": sum(got[id(c)] == "urgent" for c in urgent) / max(len(urgent), 1),
        "any_risk_recall": sum(got[id(c)] != "none" for c in risky) / max(len(risky), 1),
        "benign_specificity": sum(got[id(c)] == "none" for c in benign) / max(len(benign), 1),
    }
    if show:
        for c in cases:
            want, level = c[0], got[id(c)]
            miss = (want == "urgent" and level != "urgent") or (want != "none") != (level != "none")
            if miss:
                print(f"  want {want:7} got {level:7} {' || '.join(c[1])}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--layers", default=",".join(LAYERS))
    args = parser.parse_args()
    detector = load_detector(layers=args.layers.split(","))
    for path in args.sets:
        cases = load(path)
        figures = score(cases, detector, args.misses)
        print(
            f"{path}: {len(cases)} messages; "
            + ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
        )


if __name__ == "__main__":
    main()
