"""The words that made the learned risk layer raise a conversation's lines, for the desk.

Pure but for the reading itself, which is passed in (``bot.risk.learned_words``): for each
of the person's lines the learned layer raised, the window the engine read then (that line
with the ones just before it, ``bot.engine.state``), and the words of it that pulled
hardest towards the flag. A lead or supporter sees "tablets +0.41, tonight +0.30", not
"Wording like earlier flagged messages" alone. The words are the person's own, already on
the same screen; they are never logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.engine.state import RISK_WINDOW, RISK_WINDOW_MESSAGES

Explain = Callable[[Sequence[str]], list[tuple[str, float]]]
TOP = 5


def _at(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _raised_by_learned(line: Mapping[str, Any]) -> bool:
    risk = line.get("risk") or {}
    return any(str(r).startswith("learned") for r in risk.get("rules", ()))


def learned_words(
    lines: Sequence[Mapping[str, Any]], explain: Explain, top: int = TOP
) -> list[tuple[str, float]]:
    """Over every line the learned layer raised, its words that pulled hardest, each once
    (at its strongest pull), best first."""
    # What they wrote, as the risk check read it: not a button pressed, not a command.
    person = [
        line
        for line in lines
        if line.get("who") == "person"
        and line.get("text")
        and not line.get("pressed")
        and not line.get("command")
    ]
    found: dict[str, float] = {}
    for i, line in enumerate(person):
        if not _raised_by_learned(line):
            continue
        at = _at(line["at"])
        window = [
            str(earlier["text"])
            for earlier in person[: i + 1]
            if at - _at(earlier["at"]) <= RISK_WINDOW
        ][-RISK_WINDOW_MESSAGES:]
        for word, pull in explain(window):
            found[word] = max(found.get(word, pull), pull)
    return sorted(found.items(), key=lambda wp: (-wp[1], wp[0]))[:top]
