"""The words the desk shows for why the learned risk layer raised a line: the person's own
words as the check read them, never character n-grams (``bot.peer.risk_words``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

import bot.risk as risk
from bot.peer.risk_words import learned_words
from bot.risk import learned_words as explain_learned

T0 = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
# A message only the learned layer hears (tests/risk/test_risk_layers.py ONLY).
HEAVY = "everything feels heavy and grey and i dont see it getting better"


def _line(
    text: str, minutes: int, rules: Sequence[str] = (), who: str = "person", **more: Any
) -> dict[str, Any]:
    risk = {"level": "concern", "rules": list(rules), "categories": []} if rules else None
    return {
        "who": who,
        "text": text,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(),
        "risk": risk,
        "pressed": False,
        "command": None,
        **more,
    }


def _phrases(window: str) -> set[str]:
    tokens = [t for t in window.split() if t != "|"]
    return set(tokens) | {f"{a} {b}" for a, b in pairwise(tokens)}


def test_each_line_the_learned_layer_raised_is_explained_with_the_window_read_then() -> None:
    asked: list[list[str]] = []

    def explain(window: Sequence[str]) -> list[tuple[str, float]]:
        asked.append(list(window))
        return [("tablets", 0.4), ("tonight", 0.2)] if len(asked) == 1 else [("tonight", 0.3)]

    lines = [
        _line("long ago", 0),
        _line("hello", 30),
        _line("Hello, I'm here.", 31, who="supporter"),
        _line("Talk to someone", 31, pressed=True),
        _line("one", 32),
        _line("two", 33),
        _line("got my tablets tonight", 34, rules=["learned"]),
        _line("tonight", 35, rules=["overdose-taken", "learned:urgent"]),
        _line("thank you", 36),
    ]
    shown = learned_words(lines, explain)
    # The person's own words only, the three newest within ten minutes, as the engine reads.
    assert asked == [
        ["one", "two", "got my tablets tonight"],
        ["two", "got my tablets tonight", "tonight"],
    ]
    # Each word once, at its strongest pull, best first.
    assert shown == [("tablets", 0.4), ("tonight", 0.3)]


def test_lines_the_learned_layer_did_not_raise_are_not_explained() -> None:
    def explain(window: Sequence[str]) -> list[tuple[str, float]]:
        raise AssertionError("not asked")

    lines = [_line("I want to die", 0, rules=["want-to-die"]), _line("hi", 1)]
    assert learned_words(lines, explain) == []


def test_the_real_reading_names_words_of_the_message_that_pulled_towards_the_flag() -> None:
    shown = explain_learned([HEAVY])
    assert shown, "the learned layer raised it, so something pulled"
    # Their words as they typed them ("feels", "dont"), not as normalised ("fels").
    assert all(word in _phrases(HEAVY) for word, _ in shown), shown
    assert all(pull > 0 for _, pull in shown)
    assert [p for _, p in shown] == sorted((p for _, p in shown), reverse=True)
    assert "everything" in dict(shown)


def test_a_message_the_learned_layer_did_not_raise_has_no_words() -> None:
    assert explain_learned(["hello, is anyone there?"]) == []
    assert explain_learned([]) == []


def test_a_reading_that_fails_shows_nothing_and_logs_no_words(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> object:
        raise RuntimeError(HEAVY)  # even an error holding their words is not logged

    monkeypatch.setattr(risk, "default_detector", broken)
    assert explain_learned([HEAVY]) == []
    assert "RuntimeError" in caplog.text
    assert "heavy" not in caplog.text.lower()
