"""Score bot.risk.assess on a JSONL set (bench/blind/*.jsonl format): urgent recall, any-risk
recall, benign specificity. Not a test: it prints figures.

    .venv/bin/python bench/risk_score_jsonl.py bench/blind/risk-blind-11.jsonl --lang en [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.risk import assess  # noqa: E402 - after the path is set


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--lang", default="")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    lines = args.path.read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    if args.lang:
        cases = [c for c in cases if c.get("lang") == args.lang]
    urgent = risky = benign = hit_u = hit_r = hit_b = 0
    for case in cases:
        want, got = case["label"], assess(case["messages"]).level.label
        urgent += want == "urgent"
        risky += want != "none"
        benign += want == "none"
        hit_u += want == "urgent" and got == "urgent"
        hit_r += want != "none" and got != "none"
        hit_b += want == "none" and got == "none"
        miss = (want == "urgent" and got != "urgent") or (want != "none") != (got != "none")
        if args.misses and miss:
            print(f"  {case['id']} want {want:7} got {got:7} {' || '.join(case['messages'])}")
    print(
        f"{args.path} {args.lang or 'all'}: {len(cases)} cases; "
        f"urgent_recall {hit_u / max(urgent, 1):.3f}, any_risk_recall {hit_r / max(risky, 1):.3f}, "
        f"benign_specificity {hit_b / max(benign, 1):.3f}"
    )


if __name__ == "__main__":
    main()
