"""The sixth blind set's cases in other languages (bot/risk/data/training-blind6-lang.yaml).

Scored before anything learned from them: urgent recall 0.882, any-risk 0.875, benign
specificity 0.935 (bench/blind/README.md). After the language files' sixth fold every one is
read right; they are training data now, so this guards against regressions only and says
nothing about unseen wording. The English cases are in training-blind6.yaml (another fold).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.risk import assess

DATA = Path(__file__).resolve().parents[2] / "bot" / "risk" / "data" / "training-blind6-lang.yaml"


def test_the_sixth_blind_sets_other_languages_are_read_at_their_level() -> None:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    cases = [
        (str(level), list(text) if isinstance(text, list) else [str(text)])
        for entries in data.values()
        for level, text in entries
    ]
    assert len(cases) >= 87
    wrong = [
        f"{level} <- {assess(messages).level.label}: {messages}"
        for level, messages in cases
        if assess(messages).level.label != level
    ]
    assert not wrong, "\n".join(wrong)
