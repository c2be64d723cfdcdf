"""Play a conversation through the engine, keeping every outcome (replies and effects)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.directory import Directory
from bot.engine import Context, Inbound, Kind, Outcome, State, handle

from .conftest import START


def play(
    sent: Sequence[str | Inbound],
    state: State | None = None,
    directory: Directory | None = None,
    now: datetime = START,
) -> tuple[State, list[Outcome]]:
    """Strings are typed text; options and commands come as Inbound. A minute apart."""
    state = state or State()
    outcomes = []
    for number, item in enumerate(sent):
        at = now + timedelta(minutes=number)
        inbound = Inbound(Kind.TEXT, at, text=item) if isinstance(item, str) else item
        outcome = handle(state, inbound, Context(now=at, directory=directory))
        outcomes.append(outcome)
        state = outcome.state
    return state, outcomes


def keys_of(outcomes: Sequence[Outcome]) -> list[list[str]]:
    return [[reply.key for reply in outcome.replies] for outcome in outcomes]


def effects_of(outcomes: Sequence[Outcome], kind: type) -> list:
    return [
        effect for outcome in outcomes for effect in outcome.effects if isinstance(effect, kind)
    ]
