"""The second blind set (bot/risk/data/training-blind2.yaml), folded in after it was scored.

It was written by someone who never saw the detector and scored once (urgent recall
0.583, any-risk recall 0.804, benign specificity 0.972). It is training data now, so
these floors guard against regressions only: they say nothing about unseen wording.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.risk import assess

BLIND2 = Path(__file__).resolve().parents[2] / "bot" / "risk" / "data" / "training-blind2.yaml"


def _cases() -> list[tuple[str, list[str]]]:
    data = yaml.safe_load(BLIND2.read_text(encoding="utf-8"))
    out = []
    for entries in data.values():
        for level, text in entries:
            out.append((str(level), list(text) if isinstance(text, list) else [str(text)]))
    return out


def test_the_second_blind_set_holds_its_floors() -> None:
    cases = _cases()
    assert len(cases) >= 230
    got = [(level, assess(messages).level.label) for level, messages in cases]
    urgent = [g for level, g in got if level == "urgent"]
    risk = [g for level, g in got if level != "none"]
    benign = [g for level, g in got if level == "none"]
    assert sum(g == "urgent" for g in urgent) / len(urgent) >= 0.95
    assert sum(g != "none" for g in risk) / len(risk) >= 0.95
    assert sum(g == "none" for g in benign) / len(benign) >= 0.95
    # An urgent message is never missed altogether.
    assert sum(g == "none" for g in urgent) <= 2
