"""How often the learned layer's urgent head reaches each threshold, by level, in five-fold
cross-validation over the reviewed training data. Not a test: it prints figures.

    .venv/bin/python bench/learned_gate.py

The detector lets that head give the urgent reply only at ``_LEARNED_URGENT`` and only
where nothing lowers or frames the window (hazard log H21); this shows what each
threshold would cost on concern and benign messages, beside what it gains on urgent ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.risk import load_detector  # noqa: E402 - after the path is set
from bot.risk._learned import LearnedLayer  # noqa: E402
from bot.risk._train import fit, training_cases  # noqa: E402

THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
FOLDS = 5


def main() -> None:
    cases = training_cases()
    window = load_detector(layers=["rules"]).window_text
    scores: dict[str, list[float]] = {"urgent": [], "concern": [], "none": []}
    for fold in range(FOLDS):
        train = [c for i, c in enumerate(cases) if i % FOLDS != fold]
        held = [c for i, c in enumerate(cases) if i % FOLDS == fold]
        layer = LearnedLayer(fit(train, window), f"fold {fold}")
        for level, messages, _ in held:
            scores[level].append(layer.score(window(messages))["urgent"])
    print(f"{'threshold':>9}  " + "  ".join(f"{lv:>8}" for lv in scores))
    for t in THRESHOLDS:
        rates = [sum(s >= t for s in got) / max(len(got), 1) for got in scores.values()]
        print(f"{t:>9.2f}  " + "  ".join(f"{r:>8.2%}" for r in rates))
    print("counts: " + ", ".join(f"{lv} {len(got)}" for lv, got in scores.items()))


if __name__ == "__main__":
    main()
