"""Helpers for engine dialogues: what the person says, what the bot answers (as keys)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.engine import Context, Inbound, Kind, Outcome, State, handle

START = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)


def said(text: str, at: datetime = START) -> Inbound:
    return Inbound(kind=Kind.TEXT, at=at, text=text)


def pressed(option: str, at: datetime = START) -> Inbound:
    return Inbound(kind=Kind.OPTION, at=at, option=option)


def command(name: str, at: datetime = START) -> Inbound:
    return Inbound(kind=Kind.COMMAND, at=at, command=name)


def keys(outcome: Outcome) -> list[str]:
    return [reply.key for reply in outcome.replies]


def converse(
    turns: Sequence[tuple[Inbound | str, Sequence[str]]], state: State | None = None
) -> State:
    """Play a dialogue table; each row is (what the person sends, the reply keys)."""
    state = state or State()
    for number, (sent, expected) in enumerate(turns, start=1):
        inbound = said(sent, START + timedelta(minutes=number)) if isinstance(sent, str) else sent
        outcome = handle(state, inbound, Context(now=inbound.at))
        assert keys(outcome) == list(expected), f"turn {number}: {sent!r}"
        state = outcome.state
    return state


def after_greeting() -> State:
    return handle(State(), said("hi"), Context(now=START)).state
