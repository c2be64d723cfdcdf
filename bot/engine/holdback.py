"""Holding back ordinary replies from a flood or a lead's block, never urgent ones.

A message that reads as risk gets its whole answer whatever else is going on; an urgent
reply (asked for by "urgent" or a button) always goes; so does the "forget me" journey,
which is the person's right. Everything else is replaced by one kind notice: one per
flood, one per block.

Only typed messages make a flood: pressing the buttons the bot offered is using it, so
presses are neither counted nor held back. The newest reply held back in a flood is
kept, and a release is booked for when the window has passed (the scheduler sends it,
bot/engine/checkins.py ``release``), so a person who typed fast is still answered.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from . import flood
from .replies import CheckinAsked, Effect, Option, Reply
from .state import State

ALWAYS_SENT = frozenset({"forget_ask", "forgotten", "forget_kept"})
RELEASE = "release"  # the check-in kind the scheduler reads as "send what was held"


def _keepable(reply: Reply) -> bool:
    """Whether a reply can wait in the state (which is stored as JSON)."""
    try:
        json.dumps(reply.values)
    except (TypeError, ValueError):
        return False
    return True


def apply(
    state: State,
    replies: list[Reply],
    at: datetime,
    block_id: int | None,
    *,
    risky: bool,
    pressed: bool = False,
) -> tuple[State, list[Reply], list[Effect]]:
    """The replies that go now, and a release booked for one held back in a flood."""
    if pressed:
        flooded = False
    else:
        arrivals, flooded = flood.arrive(state.arrivals, at)
        state = replace(state, arrivals=arrivals, slowed=state.slowed and flooded)
    if risky or not (flooded or block_id):
        # Answered now: anything held earlier is out of date.
        return replace(state, held=()), replies, []
    kept = [reply for reply in replies if reply.urgent or reply.key in ALWAYS_SENT]
    if len(kept) == len(replies):
        return state, kept, []  # nothing held back, so nothing to explain
    effects: list[Effect] = []
    if block_id:
        if state.noticed_block != block_id:
            kept.append(Reply("blocked", {}, (Option.URGENT,)))
            state = replace(state, noticed_block=block_id)
        return state, kept, effects
    held = [r for r in replies if r not in kept and _keepable(r)]
    if held:
        # The newest answer only, sent once the window has passed since this message;
        # a later message in the same flood books it again, later.
        state = replace(state, held=(held[-1],))
        effects.append(CheckinAsked(due=at + flood.WINDOW, kind=RELEASE))
    if not state.slowed:
        kept.append(Reply("slow_down", {}, (Option.URGENT,)))
        state = replace(state, slowed=True)
    return state, kept, effects
