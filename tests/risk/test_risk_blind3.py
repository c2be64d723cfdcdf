"""The third blind set (bot/risk/data/training-blind3.yaml), folded in after it was scored.

It was written by someone who never saw the detector and scored once (urgent recall
0.776, any-risk recall 0.830, benign specificity 0.883). It is training data now, so
these floors guard against regressions only: they say nothing about unseen wording.
The floors are what the fold reached (0.910 / 0.939 / 1.000 on the set, not blind), not
the 0.95 of set 2: the urgent cases still missed (questions about a method or a height,
a goodbye told with a "song", threats to children, "not going home" by a reservoir) are
kinds the lexicons do not yet read, and are left for the next change to raise.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.risk import assess

BLIND3 = Path(__file__).resolve().parents[2] / "bot" / "risk" / "data" / "training-blind3.yaml"


def _cases() -> list[tuple[str, list[str]]]:
    data = yaml.safe_load(BLIND3.read_text(encoding="utf-8"))
    out = []
    for entries in data.values():
        for level, text in entries:
            out.append((str(level), list(text) if isinstance(text, list) else [str(text)]))
    return out


def test_the_third_blind_set_holds_its_floors() -> None:
    cases = _cases()
    assert len(cases) >= 322
    got = [(level, assess(messages).level.label) for level, messages in cases]
    urgent = [g for level, g in got if level == "urgent"]
    risk = [g for level, g in got if level != "none"]
    benign = [g for level, g in got if level == "none"]
    assert sum(g == "urgent" for g in urgent) / len(urgent) >= 0.90
    assert sum(g != "none" for g in risk) / len(risk) >= 0.93
    assert sum(g == "none" for g in benign) / len(benign) >= 0.99
    # Urgent messages missed altogether: seven, all named in the module docstring's kinds.
    assert sum(g == "none" for g in urgent) <= 7
